// The logging form's small helpers. The form works without them: the server treats
// "done as prescribed" as the prescribed dose whatever the fields say.
(function () {
  "use strict";

  // The reason for skipping shows once "skipped" is ticked (always, without JavaScript).
  function showSkipReason(card) {
    var reason = card.querySelector("[data-skip-reason]");
    var skipped = card.querySelector("[data-skipped]");
    if (!reason || !skipped) { return; }
    var needed = skipped.checked || reason.querySelector(".is-invalid");
    reason.classList.toggle("d-none", !needed);
  }
  document.querySelectorAll("[data-exercise]").forEach(showSkipReason);

  // "Done as prescribed" fills the exercise's fields with the prescribed values;
  // changing a field by hand afterwards unticks it (the patient did something else).
  document.addEventListener("change", function (event) {
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
  });

  // Countdown timers for holds and timed exercises: <div data-timer data-seconds="30">.
  function format(seconds) {
    var m = Math.floor(seconds / 60);
    var s = seconds % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }

  function setUp(timer) {
    var total = parseInt(timer.getAttribute("data-seconds"), 10);
    if (!(total > 0)) { return; }
    var display = timer.querySelector("[data-timer-display]");
    var start = timer.querySelector("[data-timer-start]");
    var reset = timer.querySelector("[data-timer-reset]");
    var left = total;
    var ticking = null;

    function show() {
      display.textContent = left > 0 ? format(left) : timer.getAttribute("data-done-label");
      timer.classList.toggle("timer-finished", left === 0);
    }
    function stop() {
      if (ticking) { window.clearInterval(ticking); ticking = null; }
      start.textContent = start.getAttribute("data-start-label");
    }
    function tick() {
      left -= 1;
      if (left <= 0) {
        left = 0;
        stop();
        if (navigator.vibrate) { navigator.vibrate([200, 100, 200]); }
      }
      show();
    }

    start.addEventListener("click", function () {
      if (ticking) { stop(); return; }
      if (left === 0) { left = total; }
      ticking = window.setInterval(tick, 1000);
      start.textContent = start.getAttribute("data-pause-label");
      show();
    });
    reset.addEventListener("click", function () {
      stop();
      left = total;
      show();
    });
    show();
    timer.classList.remove("d-none");
  }

  document.querySelectorAll("[data-timer]").forEach(setUp);
})();
