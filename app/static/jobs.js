// Live progress of background jobs (regrade, exports): poll the job's JSON until it is done.
// Without JavaScript the page shows the state as of loading it; reloading updates it.
"use strict";
(function () {
  function summary(kind, job) {
    if (job.status === "failed") { return "Failed: " + (job.error || "unknown error"); }
    if (!job.finished) {
      return job.status === "queued" ? "Waiting for a worker…"
        : job.done + " of " + job.total + " done…";
    }
    var r = job.result || {};
    if (kind === "regrade") {
      var text = "Done: " + r.checked + " answers re-checked, " + r.changed_count +
        " verdicts changed, " + r.rescored + " scores updated.";
      if (r.unchecked) { text += " " + r.unchecked + " could not be re-checked in time and kept their verdict."; }
      return text;
    }
    return "Ready.";
  }

  function watch(box) {
    var bar = box.querySelector("[data-job-bar]");
    var text = box.querySelector("[data-job-text]");
    var kind = box.getAttribute("data-job-kind");
    function tick() {
      fetch(box.getAttribute("data-job-url"), {credentials: "same-origin",
                                                headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
        .then(function (job) {
          bar.value = job.percent;
          bar.textContent = job.percent + " %";
          text.textContent = summary(kind, job);
          if (job.download_url) {
            var link = document.createElement("a");
            link.href = job.download_url;
            link.textContent = "Download";
            link.setAttribute("data-testid", "export-download");
            text.appendChild(document.createTextNode(" "));
            text.appendChild(link);
          }
          if (job.finished) {
            var button = document.querySelector("[data-testid=regrade-button]");
            if (button) { button.disabled = false; }
          } else {
            window.setTimeout(tick, 700);
          }
        })
        .catch(function () { window.setTimeout(tick, 3000); });
    }
    tick();
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-job-url]").forEach(watch);
  });
})();
