// The tokens of the formula editor's LaTeX, and the names formula-parse.js gives a meaning
// (functions, constants, the words that side-by-side letters make).
//
// A browser script (window.GradWorkFormulaTokens) and a CommonJS module (tests run it in Node).
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) module.exports = factory();
  else root.GradWorkFormulaTokens = factory();
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Function names of the contract; `\operatorname{...}` and letters typed one by one spell
  // them too.
  var FUNCTIONS = toSet("sin cos tan sec csc cot asin acos atan arcsin arccos arctan sinh " +
                        "cosh tanh sech csch coth exp log ln sqrt abs sigma sigmoid");
  var SPELLED = {sigma: "σ"};
  var CONSTANTS = {pi: "π", exponentialE: "e", imaginaryI: "i", prime: "'", infty: "∞"};
  var TIMES = toSet("cdot times ast");
  var SKIPPED = toSet(", : ; ! quad qquad enspace thinspace medspace thickspace negthinspace " +
                      "displaystyle textstyle scriptstyle limits nolimits big Big bigg Bigg " +
                      "bigl Bigl biggl Biggl");
  var CLOSERS = toSet("right mright bigr Bigr biggr Biggr");
  var WRAPPERS = toSet("operatorname mathrm mathit mathbf mathsf mathnormal boldsymbol text " +
                       "textrm textit mathop");
  var FRACTIONS = toSet("frac dfrac tfrac cfrac");
  var OPENING = toSet("( [ lparen lbrack lbrace { langle");
  var CLOSING = toSet(") ] rparen rbrack rbrace } rangle");
  var BARS = toSet("| vert lvert rvert Vert lVert rVert |ESC");

  function toSet(words) {
    var set = {};
    words.split(" ").forEach(function (word) { set[word] = true; });
    return set;
  }

  // ---- Tokens: {t: "cmd", v: name} for \name, {t: "ch", v: c} for one character, and
  // {t: "{"} / {t: "}"} for braces. Digits stay single characters: `\frac12` takes one
  // digit per argument.
  function tokenize(latex) {
    var text = String(latex).replace(/\{([.,])\}/g, ".");  // `0{.}5`: a decimal separator
    var tokens = [];
    var i = 0;
    while (i < text.length) {
      var c = text.charAt(i);
      var m;
      if (c === "\\") {
        m = /^\\([A-Za-z]+\*?|[\s\S])/.exec(text.slice(i));
        if (!m) {  // a lone backslash at the end
          tokens.push({t: "ch", v: "\\"});
          break;
        }
        var name = m[1].replace(/\*$/, "");
        tokens.push({t: "cmd", v: name === "|" ? "|ESC" : /^\s$/.test(name) ? " " : name});
        i += m[0].length;
      } else if (c === "{" || c === "}") {
        tokens.push({t: c});
        i += 1;
      } else if (c === "#") {
        i += /^#[0-9?@]?/.exec(text.slice(i))[0].length;  // an empty keyboard slot
      } else {
        if (!/\s/.test(c) && c !== "~") tokens.push({t: "ch", v: c});
        i += 1;
      }
    }
    return tokens;
  }

  function isCh(token, chars) { return !!token && token.t === "ch" && chars.indexOf(token.v) >= 0; }
  function isCmd(token, set) { return !!token && token.t === "cmd" && set[token.v] === true; }
  function isLetter(c) { return /^[A-Za-z]$/.test(c); }

  // What a delimiter token does: "open", "close", "bar", "none" (the `.` of \left.) or null.
  function delimiter(token) {
    if (!token || (token.t !== "ch" && token.t !== "cmd")) return null;
    var v = token.v;
    if (token.t === "cmd" && (v === "{" || v === "}")) return v === "{" ? "open" : "close";
    if (OPENING[v]) return "open";
    if (CLOSING[v]) return "close";
    if (BARS[v]) return "bar";
    return v === "." ? "none" : null;
  }

  // Letters side by side (see formula-parse.js's product): the names they make.
  var WHOLE = toSet("yhat pi");

  function splitWord(word, whole, takesArgument) {
    if (whole[word] || WHOLE[word]) return [{k: "id", v: word}];
    if (FUNCTIONS[word]) return [{k: "fn", v: word}];
    for (var cut = 0; takesArgument && cut < word.length - 1; cut++) {
      if (FUNCTIONS[word.slice(cut)]) {
        return splitWord(word.slice(0, cut), whole, false).concat([{k: "fn", v: word.slice(cut)}]);
      }
    }
    return word.split("").map(function (letter) { return {k: "id", v: letter}; });
  }

  function call(name, arg, exponent) {
    return {k: "call", f: SPELLED[name] || name, arg: arg || {k: "empty"}, exp: exponent || null};
  }

  return {
    tokenize: tokenize, delimiter: delimiter, isCh: isCh, isCmd: isCmd, isLetter: isLetter,
    splitWord: splitWord, call: call, toSet: toSet, FUNCTIONS: FUNCTIONS, SPELLED: SPELLED, CONSTANTS: CONSTANTS, TIMES: TIMES,
    SKIPPED: SKIPPED, CLOSERS: CLOSERS, WRAPPERS: WRAPPERS, FRACTIONS: FRACTIONS,
  };
});
