// The visual formula editor (MathLive), for accounts that chose it on their Account page.
//
// Progressive enhancement over the plain answer box: the text input stays in the page, stays
// the field that is submitted, and keeps its live preview (answer.js). This script puts a
// MathLive field above it and, on every edit, writes the editor's formula into the input in
// the contract's syntax (formula-text.js), announcing the change with an `input` event so the
// preview follows. Text typed into the input itself is read back into the editor from the
// server's reading of it (POST /api/v1/preview) when the input loses focus. Without
// JavaScript, or if MathLive did not load, nothing here runs and the text box is the answer box.
//
// Every word shown to the student comes from the page (data-* attributes of the answer box
// template), never from this file.
(function () {
  "use strict";

  // Shortcuts typed in the editor; everything else the student types stays letters, which
  // formula-text.js reads the way the server reads typed text (`tanh` is tanh, `tx` is t·x).
  // Function names are deliberately not shortcuts: `cos` would fire before the `h` of `cosh`.
  var SHORTCUTS = {sigma: "\\sigma", yhat: "\\hat{y}", pi: "\\pi", sqrt: "\\sqrt{#?}"};
  var MAX_VARIABLE_KEYS = 4;

  function readJson(text, fallback) {
    try {
      return JSON.parse(text);
    } catch (e) {
      return fallback;
    }
  }

  function variableKey(name, words) {
    var latex = name === "yhat" ? "\\hat{y}" : name.replace(/_(\w+)$/, "_{$1}");
    return {latex: latex, tooltip: name === "yhat" ? words.yhat : name};
  }

  function key(latex, tooltip, insert) {
    var keycap = {latex: latex, tooltip: tooltip};
    if (insert) keycap.insert = insert;
    return keycap;
  }

  // One layout of at most ten keys a row, so a 390 px phone shows every label whole: the
  // sigmoid, ŷ, e^□, powers, fractions and parentheses first; then the problem's variables and
  // the digits; MathLive's letters on a second tab for anything else.
  function layout(variables, words) {
    var names = variables.filter(function (name) { return name !== "yhat"; })
      .slice(0, MAX_VARIABLE_KEYS).map(function (name) { return variableKey(name, words); });
    while (names.length < MAX_VARIABLE_KEYS) names.push("[separator]");
    var log = key("\\log", words.log, "\\log\\left(#0\\right)");
    return {
      label: words.layout,
      tooltip: words.layoutTooltip,
      rows: [
        [key("\\sigma(\\placeholder{})", words.sigma, "\\sigma\\left(#0\\right)"),
         key("\\hat{y}", words.yhat),
         key("e^{\\placeholder{}}", words.exp, "e^{#0}"),
         key("#@^{#?}", words.power),
         key("\\frac{#@}{#?}", words.fraction),
         key("(", words.open),
         key(")", words.close),
         "[backspace]"],
        names.concat(["[7]", "[8]", "[9]", key("\\cdot", words.times), key("-", words.minus)]),
        [key("e", words.e), key("\\pi", words.pi), key("\\sqrt{#0}", words.sqrt), log,
         "[4]", "[5]", "[6]", key("/", words.divide), key("+", words.plus)],
        ["[left]", "[right]", key("|\\placeholder{}|", words.abs, "\\left|#0\\right|"),
         "[separator]", "[1]", "[2]", "[3]", "[0]", "[.]", "[hide-keyboard]"],
      ],
    };
  }

  function configure(box, variables, words) {
    var Field = window.MathfieldElement;
    Field.fontsDirectory = box.dataset.fonts;
    Field.soundsDirectory = box.dataset.sounds;
    if (window.mathVirtualKeyboard) {
      window.mathVirtualKeyboard.layouts = [layout(variables, words), "alphabetic"];
    }
  }

  function Editor(box, input) {
    this.box = box;
    this.input = input;
    this.variables = readJson(input.dataset.variables || "[]", []) || [];
    this.note = box.querySelector("[data-formula-editor-note]");
    this.writing = false;
    this.field = document.createElement("math-field");
  }

  Editor.prototype.start = function () {
    var field = this.field;
    field.setAttribute("aria-labelledby", this.box.dataset.labelledby);
    field.setAttribute("data-testid", "formula-editor");
    field.setAttribute("math-virtual-keyboard-policy", "auto");
    field.className = "formula-editor-field";
    this.box.insertBefore(field, this.box.firstChild);
    field.inlineShortcuts = SHORTCUTS;
    field.menuItems = [];
    field.smartFence = true;
    this.box.hidden = false;
    this.box.closest(".answer-box").classList.add("editor-on");

    var self = this;
    field.addEventListener("input", function () { self.toText(); });
    field.addEventListener("keydown", function (event) { self.onKey(event); });
    this.input.addEventListener("change", function () {
      if (!self.writing) self.fromText();
    });
    if (this.input.value.trim()) this.fromText();
    if (this.input.hasAttribute("autofocus") && document.activeElement === this.input) field.focus();
  };

  // The editor's formula, in the contract's syntax, into the submitted input.
  Editor.prototype.toText = function () {
    var latex = this.field.getValue("latex-expanded");
    var text = window.GradWorkFormulaText.latexToAnswer(latex, this.variables);
    this.showNote(false);
    if (text === this.input.value) return;
    this.writing = true;
    this.input.value = text;
    this.input.dispatchEvent(new Event("input", {bubbles: true}));
    this.writing = false;
  };

  // Enter submits the answer, as it does in the text box.
  Editor.prototype.onKey = function (event) {
    if (event.key !== "Enter" || event.shiftKey || event.isComposing) return;
    var form = this.input.form;
    if (!form) return;
    event.preventDefault();
    this.toText();
    var button = form.querySelector("[type=submit]");
    if (typeof form.requestSubmit === "function") form.requestSubmit(button || undefined);
    else form.submit();
  };

  // The text box's answer into the editor, as the server read it; unreadable text leaves the
  // editor as it was, with a note that the text box is what is sent.
  Editor.prototype.fromText = function () {
    var self = this;
    var text = this.input.value;
    if (!text.trim()) {
      this.field.setValue("", {silenceNotifications: true});
      this.showNote(false);
      return;
    }
    var payload = {answer: text, variables: this.variables};
    fetch(this.input.dataset.previewUrl || "/api/v1/preview", {
      method: "POST",
      headers: {"Content-Type": "application/json", "Accept": "application/json"},
      body: JSON.stringify(payload),
      credentials: "same-origin",
    })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) {
        if (self.input.value !== text) return;  // typed on meanwhile: the next change reads it
        if (body && body.valid && body.answer_latex) {
          self.field.setValue(body.answer_latex, {silenceNotifications: true});
          self.showNote(false);
        } else {
          self.showNote(true);
        }
      })
      .catch(function () { self.showNote(true); });
  };

  Editor.prototype.showNote = function (shown) {
    if (this.note) this.note.hidden = !shown;
  };

  function init() {
    var boxes = document.querySelectorAll("[data-formula-editor]");
    if (!boxes.length || !window.MathfieldElement || !window.GradWorkFormulaText) return;
    var first = document.getElementById(boxes[0].dataset.input);
    var words = readJson(boxes[0].dataset.words || "{}", {}) || {};
    configure(boxes[0], readJson((first && first.dataset.variables) || "[]", []) || [], words);
    for (var i = 0; i < boxes.length; i++) {
      var input = document.getElementById(boxes[i].dataset.input);
      if (input) new Editor(boxes[i], input).start();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
