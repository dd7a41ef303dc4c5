// A batch print's page while the job runs (templates/reports/batch_job.html): fetch the page
// again every few seconds and bring the progress, the status and the outcome up to date, in
// place, so focus and reading position stay where they are (no meta refresh). The progress
// is announced politely at most once per step of 10 %, and once when the batch is finished.
(function () {
  "use strict";
  var job = document.getElementById("batch-job");
  if (!job || job.getAttribute("data-finished") === "1") { return; }
  var seconds = parseInt(job.getAttribute("data-poll-seconds"), 10) || 3;
  var announcer = document.getElementById("job-announce");
  var lastStep = step(document.getElementById("job-progress"));

  function step(progress) {
    if (!progress || !progress.max) { return 0; }
    return Math.floor((10 * progress.value) / progress.max);
  }

  function announce(text) {
    if (announcer) { announcer.textContent = text; }
  }

  function replace(id, fresh) {
    var old = document.getElementById(id);
    var now = fresh.getElementById(id);
    if (old && now) { old.innerHTML = now.innerHTML; }
  }

  function update(html) {
    var fresh = new DOMParser().parseFromString(html, "text/html");
    var freshJob = fresh.getElementById("batch-job");
    if (!freshJob) { return true; }  // not the job page (logged out?): stop asking
    replace("job-status", fresh);
    replace("job-count", fresh);
    var progress = document.getElementById("job-progress");
    var freshProgress = fresh.getElementById("job-progress");
    if (progress && freshProgress) {
      progress.max = freshProgress.max;
      progress.value = freshProgress.value;
      progress.textContent = freshProgress.textContent;
    }
    var finished = freshJob.getAttribute("data-finished") === "1";
    if (finished) {
      replace("job-outcome", fresh);
      job.setAttribute("data-finished", "1");
      announce(document.getElementById("job-status").textContent.trim());
      return true;
    }
    var now = step(progress);
    if (now > lastStep && announcer) {
      lastStep = now;
      var template = announcer.getAttribute("data-progress-template") || "{percent}%";
      announce(template.replace("{percent}", String(now * 10)));
    }
    return false;
  }

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null || !update(html)) { window.setTimeout(poll, seconds * 1000); }
      })
      .catch(function () { window.setTimeout(poll, seconds * 1000); });
  }

  window.setTimeout(poll, seconds * 1000);
})();
