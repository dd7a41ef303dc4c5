// The guided session: today's exercises one at a time, with a timer that runs the sets
// (hold, relax, next hold, rest, next set), a sound or a vibration where the phone allows,
// and one large start/pause button. What the patient does here fills the logging form
// (done, skipped with a reason, too hard or too easy) and the session's minutes come from
// the timer; the form then asks its two questions and saves as it does without this script.
(function () {
  "use strict";

  var guide = document.querySelector("[data-guide]");
  var form = document.querySelector("[data-session-form]");
  var startButton = document.querySelector("[data-guide-start]");
  if (!guide || !form || !startButton) { return; }
  var rows = Array.prototype.slice.call(form.querySelectorAll("[data-exercise][data-guide-kind]"));
  if (!rows.length) { return; }

  function words(name, values) {
    var text = guide.getAttribute("data-words-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("%(" + key + ")s").join(String(values[key]));
    });
    return text;
  }
  function number(row, name) {
    return parseInt(row.getAttribute("data-guide-" + name), 10) || 0;
  }
  function part(selector) { return guide.querySelector(selector); }

  var el = {
    progress: part("[data-guide-progress]"),
    name: part("[data-guide-name]"),
    dose: part("[data-guide-dose]"),
    visual: part("[data-guide-visual]"),
    step: part("[data-guide-step]"),
    clock: part("[data-guide-clock]"),
    announce: part("[data-guide-announce]"),
    toggle: part("[data-guide-toggle]"),
    next: part("[data-guide-next]"),
    done: part("[data-guide-done]"),
    skip: part("[data-guide-skip]"),
    skipReason: part("[data-guide-skip-reason]"),
    skipBox: part("[data-guide-skip-box]"),
    stop: part("[data-guide-stop]"),
    feels: Array.prototype.slice.call(guide.querySelectorAll("[data-guide-feel]"))
  };

  // The steps of one exercise: each side of each set, holds with a breath between them,
  // a rest between sets. Timed steps count down; a set of repetitions waits for a tap.
  function stepsOf(row) {
    var kind = row.getAttribute("data-guide-kind");
    var sets = Math.max(number(row, "sets"), 1);
    var sides = Math.max(number(row, "sides"), 1);
    var reps = Math.max(number(row, "reps"), 1);
    var rest = number(row, "rest");
    var steps = [];
    if (kind === "distance") { return [{ type: "manual", set: 1, sets: 1 }]; }
    for (var set = 1; set <= sets; set += 1) {
      for (var side = 1; side <= sides; side += 1) {
        var info = { set: set, sets: sets, side: sides > 1 ? side : 0 };
        if (kind === "hold") {
          for (var rep = 1; rep <= reps; rep += 1) {
            steps.push(Object.assign({ type: "hold", seconds: number(row, "hold"), rep: rep, reps: reps,
              last: rep === reps }, info));
            if (rep < reps) { steps.push(Object.assign({ type: "relax", seconds: number(row, "relax") }, info)); }
          }
        } else if (kind === "time") {
          steps.push(Object.assign({ type: "work", seconds: number(row, "work"), last: true }, info));
        } else {
          steps.push(Object.assign({ type: "reps", reps: reps, last: true }, info));
        }
        var lastOfAll = set === sets && side === sides;
        if (!lastOfAll && rest > 0) { steps.push(Object.assign({ type: "rest", seconds: rest }, info)); }
      }
    }
    return steps;
  }

  // --- sound and vibration ---------------------------------------------------------------
  var audio = null;
  function wakeSound() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) {
      try { audio = new Context(); } catch (e) { audio = null; }
    }
    if (audio && audio.state === "suspended") { audio.resume(); }
  }
  function signal(long) {
    if (navigator.vibrate) { navigator.vibrate(long ? [300, 150, 300] : 200); }
    if (!audio) { return; }
    var tone = audio.createOscillator();
    var gain = audio.createGain();
    tone.frequency.value = long ? 660 : 880;
    gain.gain.value = 0.2;
    tone.connect(gain);
    gain.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + (long ? 0.6 : 0.2));
  }
  function say(text) {
    // A fresh text each time, so a screen reader reads it even when it repeats.
    el.announce.textContent = "";
    window.setTimeout(function () { el.announce.textContent = text; }, 50);
  }

  // --- the clock ----------------------------------------------------------------------------
  // The session's minutes run from the first start to the last exercise, changing position
  // between exercises included, pauses not; a step's countdown runs while its exercise does.
  var state = {
    index: 0, steps: [], step: 0, running: false, started: false, sessionStarted: false,
    paused: false, stepLeft: 0, lastTick: 0, activeMs: 0, ticker: null, finished: false
  };

  function format(seconds) {
    var s = Math.max(0, Math.ceil(seconds));
    var m = Math.floor(s / 60);
    var r = s % 60;
    return m + ":" + (r < 10 ? "0" : "") + r;
  }

  function tick() {
    var now = Date.now();
    var passed = now - state.lastTick;
    state.lastTick = now;
    if (state.sessionStarted && !state.paused) { state.activeMs += passed; }
    if (!state.running) { return; }
    var step = state.steps[state.step];
    if (step && step.seconds) {
      state.stepLeft -= passed / 1000;
      if (state.stepLeft <= 0) { endStep(); return; }
    }
    showClock();
  }

  function setRunning(running) {
    state.running = running;
    state.paused = state.started && !running;
    if (running) { state.sessionStarted = true; }
    el.toggle.textContent = state.started ? words("pause") : words("go");
    // Pressed = paused: the button is "Pause", and it stays pressed until tapped again.
    el.toggle.setAttribute("aria-pressed", state.started && !running ? "true" : "false");
    guide.classList.toggle("guide-paused", state.started && !running);
  }

  function showClock() {
    var step = state.steps[state.step];
    el.clock.textContent = step && step.seconds ? format(state.stepLeft) : "";
  }

  function describe(step) {
    var parts = [];
    if (step.sets > 1) { parts.push(words("set", { n: step.set, total: step.sets })); }
    if (step.side) { parts.push(words("side", { n: step.side })); }
    if (step.type === "hold") {
      parts.push(words("hold", { n: step.rep, total: step.reps }) + ": " + words("holding"));
    } else if (step.type === "relax") {
      parts.push(words("relax"));
    } else if (step.type === "rest") {
      parts = [words("rest")];
    } else if (step.type === "work") {
      parts.push(words("work"));
    } else if (step.type === "reps") {
      parts.push(words("reps", { n: step.reps }));
    } else {
      parts.push(words("distance"));
    }
    return parts.join(" · ");
  }

  function beginStep() {
    var step = state.steps[state.step];
    if (!step) { finishExercise(); return; }
    state.stepLeft = step.seconds || 0;
    el.step.textContent = describe(step);
    var manual = step.type === "reps" || step.type === "manual";
    el.next.hidden = !manual;
    el.next.textContent = step.type === "manual" ? words("done") : words("next-set");
    showClock();
  }

  function endStep() {
    var step = state.steps[state.step];
    if (step.type === "hold") {
      signal(false);
      say(step.last ? words("set-done", { n: step.set }) : words("hold-done", { n: step.rep }));
    } else if (step.type === "work" || step.type === "reps") {
      signal(false);
      say(words("set-done", { n: step.set }));
    } else if (step.type === "rest" || step.type === "relax") {
      signal(false);
    }
    state.step += 1;
    beginStep();
  }

  function finishExercise() {
    state.finished = true;
    state.running = false;
    el.toggle.disabled = true;
    el.next.hidden = true;
    el.step.textContent = words("finished", { name: currentRow().getAttribute("data-name") });
    el.clock.textContent = "";
    signal(true);
    say(words("finished", { name: currentRow().getAttribute("data-name") }));
    el.done.focus();
  }

  function currentRow() { return rows[state.index]; }

  function showExercise() {
    var row = currentRow();
    state.steps = stepsOf(row);
    state.step = 0;
    state.finished = false;
    state.started = false;
    el.toggle.disabled = false;
    setRunning(false);
    el.progress.textContent = words("exercise", { n: state.index + 1, total: rows.length });
    el.name.textContent = row.getAttribute("data-name");
    el.dose.textContent = row.getAttribute("data-dose");
    el.visual.textContent = "";
    var visual = row.querySelector("template[data-visual]");
    if (visual) { el.visual.appendChild(visual.content.cloneNode(true)); }
    el.feels.forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
    if (el.skipBox) { el.skipBox.open = false; }
    beginStep();
    el.name.focus();
  }

  // --- what the patient did fills the form ------------------------------------------------
  function field(row, suffix) {
    var id = row.querySelector("input[name$='-prescription_id']").name.replace("prescription_id", suffix);
    return form.querySelector("[name='" + id + "']");
  }
  function markRow(row, outcome, feel, reason) {
    var asPrescribed = field(row, "as_prescribed");
    var skipped = field(row, "skipped");
    if (asPrescribed) { asPrescribed.checked = outcome === "done"; }
    if (skipped) { skipped.checked = outcome === "skipped"; }
    var reasonField = field(row, "skip_reason");
    if (reasonField && reason) { reasonField.value = reason; }
    form.querySelectorAll("[name='" + field(row, "feel").name + "']").forEach(function (radio) {
      radio.checked = radio.value === (outcome === "done" ? feel || "" : "");
    });
    [asPrescribed, skipped].forEach(function (box) {
      if (box) { box.dispatchEvent(new Event("change", { bubbles: true })); }
    });
  }

  function chosenFeel() {
    var pressed = el.feels.filter(function (b) { return b.getAttribute("aria-pressed") === "true"; });
    return pressed.length ? pressed[0].getAttribute("data-guide-feel") : "";
  }

  function nextExercise() {
    if (state.index + 1 < rows.length) {
      state.index += 1;
      showExercise();
    } else {
      finishSession();
    }
  }

  function finishSession() {
    window.clearInterval(state.ticker);
    state.running = false;
    guide.hidden = true;
    form.hidden = false;
    startButton.hidden = false;
    var minutes = Math.max(1, Math.ceil(state.activeMs / 60000));
    var input = form.querySelector("[name='duration_minutes']");
    if (input) { input.value = minutes; }
    var hint = form.querySelector("[data-minutes-hint]");
    if (hint) { hint.textContent = words("minutes", { n: minutes }); }
    var intro = form.querySelector("[data-how-intro]");
    if (intro) { intro.textContent = words("all-done"); }
    var panel = form.querySelector("[data-how-it-went]");
    if (panel) { panel.open = true; }
    form.dispatchEvent(new Event("change", { bubbles: true }));
    var pain = form.querySelector("[name='pain_during']");
    if (pain) {
      pain.closest("fieldset").scrollIntoView({ block: "start" });
      pain.focus({ preventScroll: true });
    }
  }

  // --- the buttons ---------------------------------------------------------------------------
  startButton.hidden = false;
  startButton.addEventListener("click", function () {
    wakeSound();
    state.index = 0;
    state.activeMs = 0;
    state.sessionStarted = false;
    state.paused = false;
    state.lastTick = Date.now();
    form.hidden = true;
    guide.hidden = false;
    window.clearInterval(state.ticker);
    state.ticker = window.setInterval(tick, 250);
    showExercise();
  });

  el.toggle.addEventListener("click", function () {
    wakeSound();
    if (state.finished) { return; }
    if (!state.started) {
      state.started = true;
      setRunning(true);
      say(words("start", { name: currentRow().getAttribute("data-name") }));
      return;
    }
    setRunning(!state.running);
  });

  el.next.addEventListener("click", function () {
    if (!state.started) { state.started = true; setRunning(true); }
    endStep();
  });

  el.feels.forEach(function (button) {
    button.addEventListener("click", function () {
      var on = button.getAttribute("aria-pressed") !== "true";
      el.feels.forEach(function (b) { b.setAttribute("aria-pressed", "false"); });
      button.setAttribute("aria-pressed", on ? "true" : "false");
    });
  });

  el.done.addEventListener("click", function () {
    markRow(currentRow(), "done", chosenFeel());
    nextExercise();
  });

  el.skip.addEventListener("click", function () {
    markRow(currentRow(), "skipped", "", el.skipReason.value);
    nextExercise();
  });

  el.stop.addEventListener("click", function () {
    // Stopping early: what was not reached is left as it stands in the form (ticked as
    // prescribed); the exercise list below lets the patient change it before saving.
    finishSession();
  });
})();
