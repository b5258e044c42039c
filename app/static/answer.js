// Live preview of typed answers: "we read your answer as ...", from POST /api/v1/preview.
//
// Progressive enhancement: every form works without this file. It looks for inputs marked
// data-answer-input and writes into the element named by their data-preview-target. No
// inline script and no innerHTML: MathML from the server is parsed as XML and imported, and
// all student text is inserted as text nodes.
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;
  // The preview's own sentences: the page's language from the input's data-words (whole
  // sentences with %(name)s placeholders), English without them. Messages about the answer
  // come from the API and are in English (its contract).
  var ENGLISH = {
    readAs: "We read your answer as ",
    tooLong: "Your answer is %(length)s characters long; an answer may be at most %(limit)s. Shorten it: nothing was cut.",
    unavailable: "The preview is not available right now.",
    unavailableSubmit: "The preview is not available right now; you can still submit.",
  };
  var words = ENGLISH;

  function say(key, values) {
    var text = words[key] || ENGLISH[key];
    return text.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }
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

  // How much of the text an error echo shows around the marked character.
  var ECHO_BEFORE = 30;
  var ECHO_AFTER = 20;

  var BREAK_BEFORE = {"+": 1, "−": 1, "-": 1, "=": 1};
  var OPEN = {"(": ")"};
  // A group of parentheses longer than this many characters may break inside.
  var LONG = 30;

  function fenced(node) {
    var first = node.firstElementChild, last = node.lastElementChild;
    return node.localName === "mrow" && node.childElementCount >= 3 &&
      first.localName === "mo" && last.localName === "mo" &&
      OPEN[first.textContent.trim()] === last.textContent.trim();
  }

  function flatten(children, depth, items) {
    // The formula's elements in order, grouping rows dissolved, with where a line may break:
    // before a + , − or = that follows an operand, outside parentheses or inside one long pair.
    for (var i = 0; i < children.length; i++) {
      var child = children[i];
      if (child.localName === "mrow" && !fenced(child)) {
        flatten(child.children, depth, items);
      } else if (fenced(child) && depth === 0 && child.textContent.length > LONG) {
        var inner = Array.prototype.slice.call(child.children);
        items.push({node: inner[0]});
        flatten(inner.slice(1, -1), 1, items);
        items.push({node: inner[inner.length - 1]});
      } else {
        var previous = items.length ? items[items.length - 1].node : null;
        var afterOperand = previous && (previous.localName !== "mo" ||
          previous.textContent.trim() === ")");
        var cut = child.localName === "mo" && afterOperand &&
          BREAK_BEFORE[child.textContent.trim()] === 1;
        items.push({node: child, cut: !!cut});
      }
    }
    return items;
  }

  function appendPieces(parent, math) {
    // A long answer is cut into several <math> elements with a <wbr> between them, so that a
    // phone wraps it instead of cutting it (the server does the same for steps and prompts,
    // app/cas/linebreak.py).
    var items = flatten(Array.prototype.slice.call(math.children), 0, []);
    if (!items.some(function (item) { return item.cut; })) {
      parent.appendChild(math);
      return;
    }
    // The pieces are one formula: a screen reader hears it once, in the words of the whole.
    var words = math.getAttribute("aria-label");
    var holder = parent;
    if (words) {
      holder = el("span", "math-run");
      holder.setAttribute("role", "math");
      holder.setAttribute("aria-label", words);
      parent.appendChild(holder);
    }
    var row = null;
    for (var i = 0; i < items.length; i++) {
      if (!row || items[i].cut) {
        if (row) {
          holder.appendChild(document.createElement("wbr"));
          items[i].node.setAttribute("form", "infix");  // binary spacing at a line's start
        }
        var piece = math.cloneNode(false);
        if (words) {
          piece.removeAttribute("aria-label");
          piece.removeAttribute("alttext");
          piece.setAttribute("aria-hidden", "true");
        }
        row = document.createElementNS(MATHML_NS, "mrow");
        piece.appendChild(row);
        holder.appendChild(piece);
      }
      row.appendChild(items[i].node);
    }
  }

  function showValid(target, body) {
    clear(target);
    target.dataset.state = "valid";
    // The answer in the student's own form (every implicit reading explicit); the contract's
    // canonical reading only where a server does not send it.
    var typed = body.as_typed || {};
    var reading = el("p", "preview-reading");
    reading.appendChild(el("span", "preview-label", say("readAs", {})));
    var markup = typed.mathml || body.answer_mathml;
    var math = markup ? mathNode(markup) : null;
    if (math) appendPieces(reading, math);
    var plain = typed.plain || body.canonical;
    if (plain) {
      // The same reading again as text, for the eye: a screen reader already heard the
      // formula's words.
      var echo = el("span", "preview-plain", " (" + plain + ")");
      echo.setAttribute("aria-hidden", "true");
      reading.appendChild(echo);
    }
    target.appendChild(reading);
    var hints = body.hints || [];
    for (var i = 0; i < hints.length; i++) {
      target.appendChild(el("p", "preview-hint", hints[i].message));
    }
  }

  function showError(target, text, error) {
    clear(target);
    target.dataset.state = "error";
    target.appendChild(el("span", "preview-error", error.message));
    var pos = error.position;
    if (typeof pos === "number" && pos >= 0 && pos <= text.length) {
      // Echo the text around the offending character, marked, so the position is visible.
      var start = Math.max(0, pos - ECHO_BEFORE);
      var end = Math.min(text.length, pos + 1 + ECHO_AFTER);
      var echo = el("code", "preview-echo");
      echo.appendChild(document.createTextNode((start > 0 ? "…" : "") + text.slice(start, pos)));
      echo.appendChild(el("mark", null, text.charAt(pos) || " "));
      echo.appendChild(document.createTextNode(text.slice(pos + 1, end) + (end < text.length ? "…" : "")));
      target.appendChild(document.createTextNode(" "));
      target.appendChild(echo);
    }
  }

  function tooLong(text, limit) {
    // Said here rather than cut by maxlength: the student keeps what they pasted.
    return {
      code: "too_long",
      message: say("tooLong", {length: text.length.toLocaleString("en-US"),
                               limit: limit.toLocaleString("en-US")}),
      position: limit,
    };
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
    var limit = parseInt(input.dataset.maxLength || "0", 10);
    try {
      words = JSON.parse(input.dataset.words || "null") || ENGLISH;
    } catch (e) {
      words = ENGLISH;
    }

    function request() {
      var text = input.value;
      var seq = ++latest;
      if (controller) controller.abort();
      if (!text.trim()) {
        showEmpty(target);
        return;
      }
      if (limit > 0 && text.length > limit) {
        showError(target, text, tooLong(text, limit));
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
            var error = body.error || {message: say("unavailable", {})};
            showError(target, text, error);
          }
        })
        .catch(function (err) {
          if (err && err.name === "AbortError") return;
          if (seq !== latest) return;
          showError(target, text, {message: say("unavailableSubmit", {})});
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
