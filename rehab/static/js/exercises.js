// The exercise form: show only the dose numbers the chosen kind of dose uses.
// Without JavaScript every field stays visible and the server ignores the unused ones.
(function () {
  "use strict";
  var select = document.querySelector(".js-dosage-type");
  if (!select) { return; }
  var parts = document.querySelectorAll("[data-dose-for]");
  function update() {
    parts.forEach(function (part) {
      var kinds = part.getAttribute("data-dose-for").split(" ");
      part.classList.toggle("d-none", kinds.indexOf(select.value) === -1);
    });
  }
  select.addEventListener("change", update);
  update();
})();
