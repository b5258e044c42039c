// Live preview of typed answers: "we read your answer as ...", from POST /api/v1/preview.
//
// Progressive enhancement: every form works without this file. It looks for inputs marked
// data-answer-input and writes into the element named by their data-preview-target. No
// inline script and no innerHTML: MathML from the server is parsed as XML and imported, and
// all student text is inserted as text nodes.
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;
  var MATHML_NS = "http://www.w3.org/1998/Math/MathML";

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function mathNode(markup) {
    // The server renders MathML from a parsed expression; parsing it as XML (never as HTML)
    // means nothing in it can become a script or an event handler.
    var doc = new DOMParser().parseFromString(markup, "application/xml");
    var root = doc.documentElement;
    if (!root || root.namespaceURI !== MATHML_NS || doc.getElementsByTagName("parsererror").length) {
      return null;
    }
    return document.importNode(root, true);
  }

  function showValid(target, body) {
    clear(target);
    target.dataset.state = "valid";
    target.appendChild(el("span", "preview-label", "We read your answer as "));
    var math = body.answer_mathml ? mathNode(body.answer_mathml) : null;
    if (math) target.appendChild(math);
    if (body.canonical) {
      target.appendChild(el("span", "preview-plain", " (" + body.canonical + ")"));
    }
  }

  function showError(target, text, error) {
    clear(target);
    target.dataset.state = "error";
    target.appendChild(el("span", "preview-error", error.message));
    var pos = error.position;
    if (typeof pos === "number" && pos >= 0 && pos <= text.length) {
      // Echo the text with the offending character marked, so the position is visible.
      var echo = el("code", "preview-echo");
      echo.appendChild(document.createTextNode(text.slice(0, pos)));
      echo.appendChild(el("mark", null, text.charAt(pos) || " "));
      echo.appendChild(document.createTextNode(text.slice(pos + 1)));
      target.appendChild(document.createTextNode(" "));
      target.appendChild(echo);
    }
  }

  function showEmpty(target) {
    clear(target);
    target.dataset.state = "empty";
    target.appendChild(el("span", "preview-label", target.dataset.emptyText || ""));
  }

  function attach(input) {
    var target = document.getElementById(input.dataset.previewTarget);
    if (!target) return;
    var url = input.dataset.previewUrl || "/api/v1/preview";
    var variables = null;
    try {
      variables = JSON.parse(input.dataset.variables || "null");
    } catch (e) {
      variables = null;
    }
    var timer = null;
    var latest = 0;
    var controller = null;

    function request() {
      var text = input.value;
      var seq = ++latest;
      if (controller) controller.abort();
      if (!text.trim()) {
        showEmpty(target);
        return;
      }
      controller = typeof AbortController === "function" ? new AbortController() : null;
      var payload = {answer: text};
      if (variables) payload.variables = variables;
      target.setAttribute("aria-busy", "true");
      fetch(url, {
        method: "POST",
        headers: {"Content-Type": "application/json", "Accept": "application/json"},
        body: JSON.stringify(payload),
        credentials: "same-origin",
        signal: controller ? controller.signal : undefined,
      })
        .then(function (response) {
          return response.json().then(function (body) {
            return {status: response.status, body: body};
          });
        })
        .then(function (reply) {
          if (seq !== latest) return;  // a newer keystroke already asked again
          var body = reply.body || {};
          if (reply.status === 200 && body.valid) {
            showValid(target, body);
          } else {
            var error = body.error || {message: "The preview is not available right now."};
            showError(target, text, error);
          }
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
          if (seq !== latest) return;
          showError(target, text, {message: "The preview is not available right now; you can still submit."});
        })
        .finally(function () {
          if (seq === latest) target.removeAttribute("aria-busy");
        });
    }

    input.addEventListener("input", function () {
      if (timer) clearTimeout(timer);
      timer = setTimeout(request, DEBOUNCE_MS);
    });
    // A reloaded page (or one re-shown after an invalid answer) keeps the typed text: read it.
    if (input.value.trim() && target.dataset.state !== "error") request();
  }

  function init() {
    var inputs = document.querySelectorAll("input[data-answer-input]");
    for (var i = 0; i < inputs.length; i++) attach(inputs[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
