// The formula editor's LaTeX as the answer syntax of the checking contract.
//
// The visual editor (MathLive) writes LaTeX; the server reads only the contract's plain
// syntax. This turns one into the other in the browser, so what is submitted, previewed and
// graded is text a student could have typed: `\frac{e^{-x}}{\left(1+e^{-x}\right)^2}` is sent
// as `e^(-x)/(1+e^(-x))^2`. formula-parse.js reads the LaTeX; this prints the tree with the
// parentheses the server's reading needs (its syntax decisions: app/cas/parse/__init__.py).
//
// A browser script (window.GradWorkFormulaText, after formula-parse.js) and a CommonJS
// module, so the tests run it in Node (tests/js/).
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./formula-parse.js"));
  } else {
    root.GradWorkFormulaText = factory(root.GradWorkFormulaParse);
  }
})(typeof self !== "undefined" ? self : this, function (FormulaParse) {
  "use strict";

  // Printing precedence, loosest first: a sum, a leading minus, explicit * and /,
  // juxtaposition (which the server binds tighter than /: `1/2x` is 1/(2x)), a power, an atom.
  var SUM = 1, NEG = 2, MULDIV = 3, IMPL = 4, POW = 5, ATOM = 6;

  function out(s, p) { return {s: s, p: p}; }

  function wrap(printed, least) {
    return printed.p < least ? "(" + printed.s + ")" : printed.s;
  }

  function print(node) {
    switch (node.k) {
      case "num": case "id": case "raw":
        return node.then ? out(node.v + wrap(print(node.then), POW), ATOM) : out(node.v, ATOM);
      case "empty": return out("", ATOM);
      case "brace": return print(node.body);
      case "group": return out("(" + print(node.body).s + (node.closed ? ")" : ""), ATOM);
      case "abs": return out("abs(" + print(node.body).s + ")", ATOM);
      case "call": return printCall(node);
      case "pow": return out(wrap(print(node.base), ATOM) + "^" + exponent(node.exp), POW);
      case "frac":
        return out(wrap(print(node.num), MULDIV) + "/" + wrap(print(node.den), POW), MULDIV);
      case "neg": return out("-" + wrap(print(node.body), MULDIV), NEG);
      case "prod": return printProduct(node.items);
      case "sum": return printSum(node.terms);
      default: return out("", ATOM);
    }
  }

  function printCall(node) {
    var body = node.f + "(" + print(node.arg).s + ")";
    if (!node.exp) return out(body, ATOM);
    var power = print(node.exp);
    // `sin^2(x)` is sin(x)^2; a negative exponent (`sin^{-1}`) is kept where it was written,
    // where the server refuses it as ambiguous (arcsin or 1/sin?) with a hint.
    if (/^-/.test(power.s)) return out(node.f + "^(" + power.s + ")(" + print(node.arg).s + ")", ATOM);
    return out(body + "^" + exponent(node.exp), POW);
  }

  // A bare exponent only when it is one number or one name: `e^(-x)`, `x^2`, `e^(2x)`.
  function exponent(node) {
    var printed = print(node);
    if (/^([0-9]+(\.[0-9]+)?|[A-Za-zπŷ][A-Za-z0-9_]*)$/.test(printed.s)) return printed.s;
    return "(" + printed.s + ")";
  }

  // Factors side by side form a run that the server reads as one product, tighter than * and
  // /; inside a run a fraction, a sign or a sum needs parentheses: `\frac12x` is `(1/2)x`.
  function printProduct(items) {
    var text = "";
    var explicit = false;
    var previous = null;
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var inRun = (i > 0 && !item.op) || (i + 1 < items.length && !items[i + 1].op);
      var printed = print(item.node);
      var least = item.raw ? 0 : inRun ? POW : i === 0 ? MULDIV : IMPL;
      var piece = wrap(printed, least);
      if (item.op) {
        explicit = true;
        text += item.op + piece;
      } else {
        var glued = !previous || item.raw || item.node.k === "raw" || previous.k === "raw";
        text += glued ? piece : joiner(previous, piece, text) + piece;
      }
      previous = item.node;
    }
    return out(text, explicit ? MULDIV : IMPL);
  }

  // What goes between two factors written side by side, so the server reads them as a product:
  // nothing (`2x`, `σ(x)(1-σ(x))`), a space between names (`t ŷ`, never one name `tŷ`), and `*`
  // before a number (`x*2`: the server refuses `x 2`). `2 e` keeps `2e-2` from being 0.02.
  function joiner(left, piece, text) {
    if (/^[0-9.]/.test(piece)) return "*";
    var last = text.charAt(text.length - 1);
    var first = piece.charAt(0);
    if (!nameChar(last) || !nameChar(first)) return "";
    if (left.k === "num") return /[eE]/.test(first) ? " " : "";
    return " ";
  }

  function nameChar(c) {
    return /[A-Za-z0-9_]/.test(c) || /[\u00c0-\u024f\u0370-\u03ff]/.test(c);
  }

  function printSum(terms) {
    var text = "";
    terms.forEach(function (term, index) {
      var printed = print(term.node);
      var piece = wrap(printed, MULDIV);
      if (term.op === "-" || term.op === "±") text += term.op + piece;
      else text += (index && term.op === "+" ? "+" : "") + piece;
    });
    if (terms.length === 1) return out(text, terms[0].op === "-" ? NEG : print(terms[0].node).p);
    return out(text, SUM);
  }

  // The answer text for the editor's LaTeX; `variables` (the problem's) are names whose
  // letters side by side stay one name.
  function latexToAnswer(latex, variables) {
    if (typeof latex !== "string" || !latex.trim()) return "";
    return print(FormulaParse.parse(latex, variables)).s;
  }

  return {latexToAnswer: latexToAnswer};
});
