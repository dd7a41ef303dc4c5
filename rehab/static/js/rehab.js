// Rehab's own small behaviours. Every page works without them (progressive enhancement).
(function () {
  "use strict";

  // Ask before a destructive POST: <form data-confirm="Are you sure?">
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // Copy a link to the clipboard: <button data-copy-target="#id">
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button || !navigator.clipboard) { return; }
    var source = document.querySelector(button.getAttribute("data-copy-target"));
    if (!source) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      var done = button.getAttribute("data-copied-label");
      if (done) { button.textContent = done; }
    });
  });

  // A refused form: focus its error summary, so a keyboard or screen-reader user hears what
  // to correct; each item's link then moves focus to its field, not only the view.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) { return; }
    var target = document.getElementById(link.getAttribute("href").slice(1));
    if (!target) { return; }
    var input = target.matches("input, select, textarea") ? target
      : target.querySelector("input, select, textarea, button");
    if (input) {
      event.preventDefault();
      input.scrollIntoView({ block: "center" });
      input.focus({ preventScroll: true });
    }
  });

  // A table wider than the screen scrolls sideways: then it takes the keyboard's focus, so
  // the arrow keys can scroll it too (WCAG 2.1.1). Checked again when a <details> opens.
  function focusScrollingTables() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth || box.scrollHeight > box.clientHeight) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }
  focusScrollingTables();
  window.addEventListener("resize", focusScrollingTables);
  document.addEventListener("toggle", focusScrollingTables, true);

  // A form submits once: a double tap must not send it twice (the server also refuses it).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-submit-once")) { return; }
    if (form.dataset.submitted === "1") { event.preventDefault(); return; }
    form.dataset.submitted = "1";
    // Disable after the browser has read the form, so the pressed button's value is sent.
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
    }, 0);
  });
})();

// The installable app, for patients (base.html names the worker only on their pages): the
// shell and today's programme without a network (rehab/core/offline.py).
(function () {
  "use strict";
  var worker = document.body.getAttribute("data-service-worker");
  if (!worker || !("serviceWorker" in navigator)) { return; }
  window.addEventListener("load", function () {
    navigator.serviceWorker.register(worker, { scope: "/" }).catch(function () {
      // Without a worker everything still works online: nothing to tell the patient.
    });
  });
})();
