// The template editor's live check: a while after the instructor stops typing, the source is
// posted to the JSON check route (CSRF token in the form) and the server-rendered errors and
// preview replace the page's. Without JavaScript the Validate button does the same by a form
// post. One check runs at a time (each costs a worker's time): text typed meanwhile is sent
// when it returns, and an answer about older text is dropped.
"use strict";
(function () {
  var DELAY_MS = 700;
  var form = document.getElementById("template-form");
  var source = document.getElementById("template-source");
  if (!form || !source) { return; }
  var url = form.getAttribute("data-check-url");
  var token = form.querySelector("input[name=csrf_token]").value;
  var timer = null;
  var running = false;
  var again = false;

  function replace(id, html) {
    var old = document.getElementById(id);
    if (!old) { return; }
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var fresh = holder.firstElementChild;
    if (fresh) { old.replaceWith(fresh); }
  }

  function check() {
    if (running) { again = true; return; }
    running = true;
    var body = new FormData(form);
    body.delete("action");
    form.setAttribute("aria-busy", "true");
    fetch(url, {method: "POST", body: body, credentials: "same-origin",
                headers: {"X-CSRFToken": token, "Accept": "application/json"}})
      .then(function (r) { if (!r.ok) { throw new Error("HTTP " + r.status); } return r.json(); })
      .then(function (reply) {
        if (again) { return; }  // the text changed meanwhile: its check comes next
        replace("template-errors", reply.errors_html);
        replace("template-preview", reply.preview_html);
      })
      .catch(function () { /* the Validate button still works */ })
      .finally(function () {
        running = false;
        if (again) { again = false; check(); } else { form.removeAttribute("aria-busy"); }
      });
  }

  // An error's "line N" link puts the caret at the start of that line of the source.
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-goto-line]") : null;
    if (!link) { return; }
    event.preventDefault();
    var line = parseInt(link.getAttribute("data-goto-line"), 10);
    var lines = source.value.split("\n");
    var start = 0;
    for (var i = 0; i < line - 1 && i < lines.length; i++) { start += lines[i].length + 1; }
    var end = start + (lines[line - 1] || "").length;
    source.focus();
    source.setSelectionRange(start, end);
    // Scroll the textarea so that the line is in view.
    var height = source.scrollHeight / Math.max(lines.length, 1);
    source.scrollTop = Math.max(0, (line - 3) * height);
  });

  source.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(check, DELAY_MS);
  });
}());
