// Reading the formula editor's LaTeX into a small tree (formula-text.js prints it as the
// answer syntax of the checking contract).
//
// Only what MathLive writes for the contract's notation needs a meaning here: fractions,
// powers, roots, the functions, σ, ŷ, e, π, subscripts, groups and |…|. Anything else is kept
// as text, so the server's preview names it, as it does for typed text. Reading never fails.
//
// A browser script (window.GradWorkFormulaParse, after formula-tokens.js) and a CommonJS
// module (tests run it in Node).
(function (root, factory) {
  "use strict";
  if (typeof module === "object" && module.exports) {
    module.exports = factory(require("./formula-tokens.js"));
  } else {
    root.GradWorkFormulaParse = factory(root.GradWorkFormulaTokens);
  }
})(typeof self !== "undefined" ? self : this, function (T) {
  "use strict";

  var tokenize = T.tokenize, delimiter = T.delimiter, isCh = T.isCh, isCmd = T.isCmd;
  var isLetter = T.isLetter, FUNCTIONS = T.FUNCTIONS, SPELLED = T.SPELLED;
  var CONSTANTS = T.CONSTANTS, SKIPPED = T.SKIPPED, CLOSERS = T.CLOSERS;
  var WRAPPERS = T.WRAPPERS, FRACTIONS = T.FRACTIONS, splitWord = T.splitWord, call = T.call;

  function Parser(tokens, whole) {
    this.tokens = tokens;
    this.i = 0;
    this.whole = whole;  // names kept as one: the problem's variables
  }

  Parser.prototype.peek = function () { return this.tokens[this.i]; };
  Parser.prototype.next = function () { return this.tokens[this.i++]; };

  // The end of the sequence being read: a `}`, a closing delimiter or \right, and inside
  // |...| the closing bar.
  Parser.prototype.atEnd = function (inBars) {
    var token = this.peek();
    if (!token || token.t === "}" || isCmd(token, CLOSERS)) return true;
    var kind = delimiter(token);
    return kind === "close" || (inBars && kind === "bar" && !isCmd(token, {lvert: true}));
  };

  Parser.prototype.operator = function () {
    var token = this.peek();
    if (isCh(token, "+-−") || (token && token.t === "cmd" && token.v === "pm")) {
      return token.v === "+" ? "+" : token.v === "pm" ? "±" : "-";
    }
    if (isCh(token, "*·×") || isCmd(token, T.TIMES)) return "*";
    if (isCh(token, "/÷") || (token && token.t === "cmd" && token.v === "div")) return "/";
    return null;
  };

  // A sum of terms; a term is a list of factors joined by * and / or written side by side.
  Parser.prototype.sequence = function (inBars) {
    var terms = [];
    var term = {op: null, items: []};
    var pending = "";
    var sign = null;
    while (!this.atEnd(inBars)) {
      var op = this.operator();
      if (op === "+" || op === "-" || op === "±") {
        this.next();
        if (term.items.length && !pending) {
          terms.push(term);
          term = {op: op, items: []};
        } else if (!term.items.length && term.op === null && sign === null) {
          term.op = op;
        } else {
          sign = sign === "-" && op === "-" ? "+" : op;
        }
      } else if (op) {
        this.next();
        pending = op;
      } else {
        var factor = this.factor(inBars);
        if (!factor) continue;
        if (sign === "-") factor = {k: "neg", body: factor};
        else if (sign === "±") factor = {k: "raw", v: "±", then: factor};
        sign = null;
        term.items.push({op: pending, node: factor});
        pending = "";
      }
    }
    if (pending || sign) term.items.push({op: pending, node: {k: "raw", v: sign || ""}});
    if (term.items.length || term.op !== null) terms.push(term);
    var whole = this.whole;
    var nodes = terms.map(function (t) { return {op: t.op, node: product(t.items, whole)}; });
    if (!nodes.length) return {k: "empty"};
    if (nodes.length === 1 && nodes[0].op === null) return nodes[0].node;
    return {k: "sum", terms: nodes};
  };

  // Letters side by side: a function name (typed letter by letter or by a shortcut), `yhat`,
  // `pi` or a declared variable stays one name; a function name at the end of a run takes
  // what follows as its argument (`xsin(x)` is x·sin(x)); other letters are a product of
  // one-letter names (`tx(1-x)` is t·x·(1-x), as the editor shows it).
  function product(items, whole) {
    var out = [];
    var run = [];
    function flush(following) {
      if (!run.length) return;
      var word = run.map(function (item) { return item.node.v; }).join("");
      var op = run[0].op;
      run = [];
      var split = splitWord(word, whole, following && !following.op);
      split.forEach(function (node, index) { out.push({op: index ? "" : op, node: node}); });
    }
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (item.node.letters) {
        if (item.op) flush(item);
        run.push(item);
        continue;
      }
      flush(item);
      var last = out[out.length - 1];
      if (last && last.node.k === "fn" && !item.op) {
        last.node = call(last.node.v, inside(item.node));
      } else {
        out.push(item);
      }
    }
    flush(null);
    out = out.map(function (item) {
      return item.node.k === "fn" ? {op: item.op, node: call(item.node.v, null)} : item;
    });
    if (!out.length) return {k: "empty"};
    if (out.length === 1 && !out[0].op) return out[0].node;
    return {k: "prod", items: out};
  }

  // One factor with its scripts: a number, a name, a command, a group.
  Parser.prototype.factor = function (inBars) {
    var token = this.next();
    var node = null;
    if (token.t === "ch" && /[0-9.]/.test(token.v)) {
      node = this.number(token.v);
    } else if (token.t === "ch" && isLetter(token.v)) {
      node = {k: "id", v: token.v, letters: true};
    } else if (token.t === "{") {
      node = this.braced();
    } else if (token.t === "cmd") {
      node = this.command(token);
    } else {
      node = this.character(token);
    }
    return node && this.scripts(node);
  };

  Parser.prototype.number = function (first) {
    var text = first;
    while (isCh(this.peek(), "0123456789.")) text += this.next().v;
    return {k: "num", v: text};
  };

  Parser.prototype.braced = function () {
    var body = this.sequence(false);
    if (this.peek() && this.peek().t === "}") this.next();
    return {k: "brace", body: body};
  };

  Parser.prototype.character = function (token) {
    var kind = delimiter(token);
    if (kind === "open") return this.group();
    if (kind === "bar") return this.bars(true);
    if (token.v === "σ") return this.functionCall("sigma");
    if (token.v === "π" || token.v === "ŷ") return {k: "id", v: token.v};
    return {k: "raw", v: token.v};
  };

  // (…), after the opening delimiter; a missing closing one is left missing, so the server's
  // message points at it.
  Parser.prototype.group = function () {
    var body = this.sequence(false);
    var closed = false;
    var token = this.peek();
    if (isCmd(token, CLOSERS)) {
      this.next();
      var closing = this.next();
      closed = delimiter(closing) !== "none";
      if (delimiter(closing) === "bar") return {k: "abs", body: body};
    } else if (delimiter(token) === "close") {
      this.next();
      closed = true;
    }
    return {k: "group", body: body, closed: closed};
  };

  // |…| (inBars: ended by the next bar) or \left|…\right|.
  Parser.prototype.bars = function (inBars) {
    var body = this.sequence(inBars);
    var token = this.peek();
    if (isCmd(token, CLOSERS)) {
      this.next();
      this.next();
    } else if (inBars && delimiter(token) === "bar") {
      this.next();
    }
    return {k: "abs", body: body};
  };

  Parser.prototype.command = function (token) {
    var v = token.v;
    if (v === "left" || v === "mleft") {
      var opener = this.next();
      var kind = delimiter(opener);
      if (kind === "bar") return this.bars(false);
      if (kind === "none") return {k: "brace", body: this.group().body};
      return this.group();
    }
    if (SKIPPED[v] || v === " ") return null;
    if (FRACTIONS[v]) return {k: "frac", num: this.arg(), den: this.arg()};
    if (v === "sqrt") return this.root();
    if (v === "hat" || v === "widehat") return this.hat();
    if (v === "placeholder") return this.placeholder();
    if (v === "textcolor" || v === "color") {
      this.arg();
      return v === "color" ? null : this.arg();
    }
    if (WRAPPERS[v]) return this.wrapped();
    if (FUNCTIONS[v] || SPELLED[v]) return this.functionCall(v);
    if (CONSTANTS[v]) return {k: "id", v: CONSTANTS[v]};
    var kind2 = delimiter(token);
    if (kind2 === "open") return this.group();
    if (kind2 === "bar") return this.bars(true);
    return {k: "id", v: v};  // \theta, \alpha…: the server names what it does not know
  };

  // A macro argument: a braced group or a single token.
  Parser.prototype.arg = function () {
    var token = this.peek();
    if (!token || token.t === "}") return {k: "empty"};
    if (token.t === "{") {
      this.next();
      return this.braced();
    }
    this.next();
    if (token.t === "ch" && /[0-9.]/.test(token.v)) return {k: "num", v: token.v};
    if (token.t === "ch" && isLetter(token.v)) return {k: "id", v: token.v};
    if (token.t === "cmd") return this.command(token) || {k: "empty"};
    return this.character(token);
  };

  Parser.prototype.root = function () {
    var index = null;
    if (isCh(this.peek(), "[")) {
      this.next();
      index = this.sequence(false);
      if (isCh(this.peek(), "]")) this.next();
    }
    var body = this.arg();
    if (!index) return {k: "call", f: "sqrt", arg: inside(body), exp: null};
    return {k: "pow", base: {k: "group", body: inside(body), closed: true},
            exp: {k: "frac", num: {k: "num", v: "1"}, den: index}};
  };

  Parser.prototype.hat = function () {
    var body = unbrace(this.arg());
    if (body.k === "id" && body.v === "y") return {k: "id", v: "ŷ"};
    return {k: "id", v: (body.k === "id" ? body.v : "") + "hat"};
  };

  // An empty box of the editor stays visible as □, which the server refuses at its place:
  // dropping it would grade `\placeholder{}+1` as 1.
  Parser.prototype.placeholder = function () {
    if (isCh(this.peek(), "[")) {
      while (this.peek() && !isCh(this.peek(), "]")) this.next();
      this.next();
    }
    var body = unbrace(this.arg());
    return body.k === "empty" ? {k: "raw", v: "□"} : body;
  };

  // \operatorname{sigmoid}, \mathrm{e}, \text{yhat}: a name; anything else inside is read
  // as a group.
  Parser.prototype.wrapped = function () {
    var start = this.i;
    var name = this.spelledArg();
    if (name) {
      if (FUNCTIONS[name]) return this.functionCall(name);
      return {k: "id", v: name === "yhat" ? "ŷ" : name};
    }
    this.i = start;
    var body = unbrace(this.arg());
    return body.k === "empty" ? null : {k: "brace", body: body};
  };

  // The letters and digits of a macro argument, through nested wrappers
  // (`\operatorname{\mathrm{sech}}`), or null when it holds anything else.
  Parser.prototype.spelledArg = function () {
    var token = this.next();
    if (!token) return null;
    if (token.t === "ch") return /^[A-Za-z0-9_]$/.test(token.v) ? token.v : null;
    if (token.t === "cmd") return WRAPPERS[token.v] ? this.spelledArg() : null;
    if (token.t !== "{") return null;
    var name = "";
    while (this.peek() && this.peek().t !== "}") {
      var part = this.spelledArg();
      if (part === null) return null;
      name += part;
    }
    this.next();
    return name;
  };

  function spelledName(node) {
    if (node.k === "id") return node.v;
    if (node.k === "prod" && node.items.every(function (item) {
      return !item.op && item.node.k === "id";
    })) {
      return node.items.map(function (item) { return item.node.v; }).join("");
    }
    return null;
  }

  function unbrace(node) {
    while (node && node.k === "brace") node = node.body;
    return node || {k: "empty"};
  }

  // What a function or root applies to: `{\left(x\right)}` and `(x)` give x.
  function inside(node) {
    node = unbrace(node);
    return node.k === "group" && node.closed ? node.body : node;
  }

  // \sin^2(x), \log_b x, \sigma\left(…\right): the scripts written after the name, then the
  // argument — a group, a braced group, or the factors side by side up to the next operator.
  Parser.prototype.functionCall = function (name) {
    var exponent = null;
    var base = null;
    for (;;) {
      if (isCh(this.peek(), "^")) {
        this.next();
        exponent = this.arg();
      } else if (isCh(this.peek(), "_")) {
        this.next();
        base = this.arg();
      } else {
        break;
      }
    }
    var node = call(name, this.argument(), exponent);
    if (base && (name === "log" || name === "ln")) {
      node = {k: "frac", num: call("log", node.arg, null), den: call("log", unbrace(base), null)};
      if (exponent) node = {k: "pow", base: node, exp: exponent};
    }
    return node;
  };

  Parser.prototype.argument = function () {
    var token = this.peek();
    if (!token) return {k: "empty"};
    if (token.t === "{") {
      this.next();
      return inside(this.braced());
    }
    if (isCmd(token, {left: true, mleft: true}) || delimiter(token) === "open") {
      // The group alone: a power after it belongs to the call, `σ(x)^2`.
      this.next();
      return inside(token.t === "cmd" ? this.command(token) : this.character(token));
    }
    var items = [];
    while (!this.atEnd(false) && !this.operator()) {
      var next = this.peek();
      if (next.t === "cmd" && (FUNCTIONS[next.v] || SPELLED[next.v]) && items.length) break;
      var factor = this.factor(false);
      if (factor) items.push({op: "", node: factor});
    }
    return product(items, this.whole);
  };

  Parser.prototype.scripts = function (node) {
    for (;;) {
      var token = this.peek();
      if (isCh(token, "^")) {
        this.next();
        node = {k: "pow", base: node, exp: this.arg()};
      } else if (isCh(token, "_")) {
        this.next();
        node = subscripted(node, unbrace(this.arg()));
      } else if (isCh(token, "'")) {
        this.next();
        node = {k: "prod", items: [{op: "", node: node}, {op: "", node: {k: "raw", v: "'"}}]};
      } else {
        return node;
      }
    }
  };

  function subscripted(node, sub) {
    var text = spelledName(sub);
    if (text === null && sub.k === "num") text = sub.v;
    if (node.k === "pow") return {k: "pow", base: subscripted(node.base, sub), exp: node.exp};
    if (node.k !== "id" || text === null) {
      return {k: "prod", items: [{op: "", node: node}, {op: "", node: {k: "raw", v: "_"}},
                                 {op: "", node: sub}]};
    }
    return {k: "id", v: node.v + "_" + text};
  }

  // The tree of `latex`: nodes {k: "num"|"id"|"call"|"group"|"brace"|"abs"|"pow"|"frac"|
  // "neg"|"prod"|"sum"|"raw"|"empty", …}. `variables` are names kept whole when their letters
  // stand side by side. A stray closing delimiter ends a sequence; the rest is read on, with
  // the delimiter kept as text.
  function parse(latex, variables) {
    var whole = {};
    (Array.isArray(variables) ? variables : []).forEach(function (name) { whole[name] = true; });
    var parser = new Parser(tokenize(latex), whole);
    var pieces = [];
    while (parser.i < parser.tokens.length) {
      pieces.push(parser.sequence(false));
      var stray = parser.next();
      if (stray && stray.t === "ch") pieces.push({k: "raw", v: stray.v});
    }
    if (pieces.length === 1) return pieces[0];
    return {k: "prod", items: pieces.map(function (node) { return {op: "", node: node, raw: true}; })};
  }

  return {parse: parse};
});
