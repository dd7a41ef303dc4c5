// The logging form's small helpers. The form works without them: the server logs an exercise
// still ticked "as prescribed" at its dose unless its numbers were changed.
(function () {
  "use strict";

  var form = document.querySelector("[data-session-form]");
  if (!form) { return; }

  // The reason for skipping shows once "skipped" is ticked (always, without JavaScript).
  function showSkipReason(card) {
    var reason = card.querySelector("[data-skip-reason]");
    var skipped = card.querySelector("[data-skipped]");
    if (!reason || !skipped) { return; }
    var needed = skipped.checked || reason.querySelector(".is-invalid");
    reason.classList.toggle("d-none", !needed);
  }

  // Each exercise says at a glance how it will be logged.
  function showState(card) {
    var badge = card.querySelector("[data-row-state]");
    var done = card.querySelector("[data-as-prescribed]");
    var skipped = card.querySelector("[data-skipped]");
    if (!badge || !done || !skipped) { return; }
    var guide = document.querySelector("[data-guide]");
    var feel = card.querySelector("input[name$='-feel']:checked");
    var state = skipped.checked ? "skipped" : done.checked ? "done" : "";
    var text = state && guide ? guide.getAttribute("data-state-" + state) : "";
    if (state === "done" && feel && feel.value && guide) {
      text += " · " + guide.getAttribute("data-state-" + feel.value.replace("_", "-"));
    }
    badge.textContent = text || "…";
  }

  var cards = Array.prototype.slice.call(form.querySelectorAll("[data-exercise]"));
  cards.forEach(function (card) { showSkipReason(card); showState(card); });

  // "Done as prescribed" fills the exercise's fields with the prescribed values;
  // changing a field by hand afterwards unticks it (the patient did something else).
  form.addEventListener("change", function (event) {
    var box = event.target;
    var card = box.closest && box.closest("[data-exercise]");
    if (!card) { return; }
    if (box.matches("[data-as-prescribed]")) {
      if (box.checked) {
        card.querySelectorAll("[data-prescribed]").forEach(function (input) {
          input.value = input.getAttribute("data-prescribed");
        });
        var skip = card.querySelector("[data-skipped]");
        if (skip) { skip.checked = false; showSkipReason(card); }
      }
    } else if (box.matches("[data-skipped]")) {
      var done = card.querySelector("[data-as-prescribed]");
      if (box.checked && done) { done.checked = false; }
      showSkipReason(card);
    } else if (box.matches("[data-prescribed]")) {
      var tick = card.querySelector("[data-as-prescribed]");
      if (tick && box.value !== box.getAttribute("data-prescribed")) { tick.checked = false; }
    }
    showState(card);
  });

  // Typing a number that is not the prescribed one unticks "as prescribed" at once.
  form.addEventListener("input", function (event) {
    var input = event.target;
    var card = input.closest && input.closest("[data-exercise]");
    if (!card || !input.matches("[data-prescribed]")) { return; }
    var tick = card.querySelector("[data-as-prescribed]");
    if (tick && input.value !== input.getAttribute("data-prescribed")) { tick.checked = false; }
    showState(card);
  });

  // "How hard was it": the eleven buttons are one stop for the Tab key; the arrow keys move
  // between them, Enter or Space saves (a keyboard user tabs past one answer, not eleven).
  var group = form.querySelector("[data-effort-buttons]");
  if (group) {
    var buttons = Array.prototype.slice.call(group.querySelectorAll("button"));
    var current = buttons.filter(function (b) { return b.hasAttribute("aria-current"); })[0] || buttons[0];
    function rove(target) {
      buttons.forEach(function (b) { b.tabIndex = b === target ? 0 : -1; });
      target.focus();
    }
    buttons.forEach(function (b) { b.tabIndex = b === current ? 0 : -1; });
    group.addEventListener("keydown", function (event) {
      var index = buttons.indexOf(document.activeElement);
      if (index < 0) { return; }
      var moves = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
      if (event.key in moves) {
        event.preventDefault();
        rove(buttons[Math.min(buttons.length - 1, Math.max(0, index + moves[event.key]))]);
      } else if (event.key === "Home" || event.key === "End") {
        event.preventDefault();
        rove(buttons[event.key === "Home" ? 0 : buttons.length - 1]);
      }
    });
  }
})();
