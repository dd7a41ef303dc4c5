// Movement-analysis form: "add a test" clones the last extra-test row (the page works without
// it: the server always offers a few empty rows).
(function () {
  "use strict";

  var MAX_ROWS = 30;
  var button = document.querySelector("[data-add-extra-test]");
  if (!button) { return; }
  button.hidden = false;

  button.addEventListener("click", function () {
    var rows = document.querySelectorAll(".extra-test");
    if (!rows.length || rows.length >= MAX_ROWS) { return; }
    var last = rows[rows.length - 1];
    var next = rows.length;
    var copy = last.cloneNode(true);
    var pattern = /extra_tests-\d+-/g;
    var replacement = "extra_tests-" + next + "-";
    copy.querySelectorAll("[id], [name], [for], [aria-describedby]").forEach(function (el) {
      ["id", "name", "for", "aria-describedby"].forEach(function (attr) {
        var value = el.getAttribute(attr);
        if (value) { el.setAttribute(attr, value.replace(pattern, replacement)); }
      });
    });
    copy.querySelectorAll("input").forEach(function (input) {
      input.value = "";
      input.classList.remove("is-invalid");
    });
    copy.querySelectorAll(".invalid-feedback").forEach(function (el) { el.remove(); });
    var legend = copy.querySelector("legend");
    if (legend) { legend.textContent = legend.textContent.replace(/\d+\s*$/, String(next + 1)); }
    last.after(copy);
    if (rows.length + 1 >= MAX_ROWS) { button.hidden = true; }
    var first = copy.querySelector("input");
    if (first) { first.focus(); }
  });
})();
