// Live progress of background jobs (regrade, exports): poll the job's JSON until it is done.
// Without JavaScript the page shows the state as of loading it; reloading updates it.
"use strict";
(function () {
  // The sentences, in the page's language, come from the box's data-words (whole sentences
  // with %(name)s placeholders, filled in here); English when a page gives none.
  var ENGLISH = {
    failed: "Failed: %(error)s", unknown: "unknown error", queued: "Waiting for a worker…",
    progress: "%(done)s of %(total)s done…", ready: "Ready.", download: "Download",
    regraded: "Done: %(checked)s answers re-checked, %(changed)s verdicts changed, %(rescored)s scores updated.",
    unchecked: "%(unchecked)s could not be re-checked in time and kept their verdict.",
  };

  function say(words, key, values) {
    var text = (words && words[key]) || ENGLISH[key];
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  function summary(kind, job, words) {
    if (job.status === "failed") {
      return say(words, "failed", {error: job.error || say(words, "unknown", {})});
    }
    if (!job.finished) {
      return job.status === "queued" ? say(words, "queued", {})
        : say(words, "progress", {done: job.done, total: job.total});
    }
    var r = job.result || {};
    if (kind === "regrade") {
      var text = say(words, "regraded", {checked: r.checked, changed: r.changed_count,
                                         rescored: r.rescored});
      if (r.unchecked) { text += " " + say(words, "unchecked", {unchecked: r.unchecked}); }
      return text;
    }
    return say(words, "ready", {});
  }

  function watch(box) {
    var bar = box.querySelector("[data-job-bar]");
    var text = box.querySelector("[data-job-text]");
    var kind = box.getAttribute("data-job-kind");
    var words = null;
    try { words = JSON.parse(box.getAttribute("data-words") || "null"); } catch (e) { words = null; }
    function tick() {
      fetch(box.getAttribute("data-job-url"), {credentials: "same-origin",
                                                headers: {"Accept": "application/json"}})
        .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
        .then(function (job) {
          bar.value = job.percent;
          bar.textContent = job.percent + " %";
          text.textContent = summary(kind, job, words);
          if (job.download_url) {
            var link = document.createElement("a");
            link.href = job.download_url;
            link.textContent = say(words, "download", {});
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
