// The formula editor's LaTeX → answer text (app/static/formula-text.js), run by `node --test`
// from tests/test_formula_js.py. The LaTeX is what MathLive 0.111 writes (mf.getValue with
// "latex-expanded", and "latex" where it differs) for what students enter; the bank-wide
// round trip through the server's parser is in tests/test_formula_js.py.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const {latexToAnswer} = require("../../app/static/formula-text.js");

const CASES = [
  // The contract's examples, as the editor writes them.
  ["\\sigma\\left(x\\right)\\left(1-\\sigma\\left(x\\right)\\right)", "σ(x)(1-σ(x))"],
  ["\\sigma\\left(x\\right) \\left(1 - \\sigma\\left(x\\right)\\right)", "σ(x)(1-σ(x))"],
  ["\\frac{e^{-x}}{\\left(1+e^{-x}\\right)^2}", "e^(-x)/(1+e^(-x))^2"],
  ["2\\sigma\\left(2x-1\\right)\\left(1-\\sigma\\left(2x-1\\right)\\right)", "2σ(2x-1)(1-σ(2x-1))"],
  ["\\frac{\\hat{y}-t}{\\hat{y}\\left(1-\\hat{y}\\right)}", "(ŷ-t)/(ŷ(1-ŷ))"],
  ["-\\frac{t}{\\hat{y}}-\\frac{1-t}{1-\\hat{y}}", "-t/ŷ-(1-t)/(1-ŷ)"],
  ["\\sigma\\left(z\\right)-t", "σ(z)-t"],
  ["\\left(x-1\\right)\\left(x+1\\right)", "(x-1)(x+1)"],
  ["0.5", "0.5"],
  ["\\frac12", "1/2"],
  ["x+1+y", "x+1+y"],
  // Keyboard and typing forms.
  ["\\sigma(x)", "σ(x)"],
  ["\\sigma\\left(3x+2\\right)", "σ(3x+2)"],
  ["e^{x}", "e^x"],
  ["e^{-x}", "e^(-x)"],
  ["e^{2x}", "e^(2x)"],
  ["x^2", "x^2"],
  ["x^{-2}", "x^(-2)"],
  ["\\sqrt{x}", "sqrt(x)"],
  ["\\sqrt{\\left(x\\right)}", "sqrt(x)"],
  ["\\sqrt[3]{x}", "(x)^(1/3)"],
  ["\\log\\left(x\\right)", "log(x)"],
  ["\\log{\\left(x \\right)}", "log(x)"],
  ["\\ln\\hat{y}", "ln(ŷ)"],
  ["t\\log\\hat{y}", "t log(ŷ)"],
  ["\\log_{2}x", "log(x)/log(2)"],
  ["\\sin^2{\\left(x\\right)}", "sin(x)^2"],
  ["\\sin^{-1}x", "sin^(-1)(x)"],
  ["\\sin 2x", "sin(2x)"],
  ["\\operatorname{\\mathrm{sech}}{\\left(x\\right)}", "sech(x)"],
  ["\\operatorname{sigmoid}\\left(x\\right)", "sigmoid(x)"],
  ["\\exp\\left(-x\\right)", "exp(-x)"],
  ["\\left|{x}\\right|", "abs(x)"],
  ["|x-1|", "abs(x-1)"],
  ["\\lvert x\\rvert", "abs(x)"],
  ["x_{1}", "x_1"],
  ["x_1x_2", "x_1 x_2"],
  ["x^{2}_{1}", "x_1^2"],
  ["\\frac{1}{1+e^{-\\left(3x+2\\right)}}", "1/(1+e^(-(3x+2)))"],
  ["\\frac{1}{2}x", "(1/2)x"],
  ["\\frac12x", "(1/2)x"],
  ["x\\frac{1}{2}", "x(1/2)"],
  ["\\frac{1}{2x}", "1/(2x)"],
  ["\\frac{a}{b}\\cdot c", "a/b*c"],
  ["3\\cdot\\frac{1}{2}", "3*(1/2)"],
  ["a/\\frac{b}{c}", "a/(b/c)"],
  ["2\\times x", "2*x"],
  ["\\frac{x}{2}\\div 3", "x/2/3"],
  ["-x^2", "-x^2"],
  ["\\left(-x\\right)^2", "(-x)^2"],
  ["\\left(x^2\\right)^3", "(x^2)^3"],
  ["2^{x}", "2^x"],
  ["e^{\\sigma\\left(x\\right)}", "e^(σ(x))"],
  ["\\sigma\\left(x\\right)^2", "σ(x)^2"],
  ["2\\pi", "2π"],
  ["\\mathrm{e}^{x}", "e^x"],
  ["\\exponentialE^{x}", "e^x"],
  // Letters side by side: function names and yhat stay whole, the rest is a product of
  // one-letter names, as the editor shows them (the server would read `tx(` as a function).
  ["wx+b", "w x+b"],
  ["tx\\left(1-x\\right)", "t x(1-x)"],
  ["xsin\\left(x\\right)", "x sin(x)"],
  ["sin", "sin()"],
  ["sigmoid(x)", "sigmoid(x)"],
  ["sigma\\left(x\\right)", "σ(x)"],
  ["log\\left(x\\right)", "log(x)"],
  ["yhat", "yhat"],
  ["x\\sigma\\left(x\\right)", "x σ(x)"],
  ["e^{x}y", "e^x y"],
  ["2x", "2x"],
  // Separators the server's reading needs.
  ["x2", "x*2"],
  ["\\left(x+1\\right)2", "(x+1)*2"],
  ["2e-2", "2 e-2"],
  ["2\\,3", "2*3"],
  ["a+-b", "a+(-b)"],
  ["--x", "-(-x)"],
  ["0{.}5x", "0.5x"],
  // What the contract has no notation for goes on as text, and the server names it.
  ["\\placeholder{}+1", "□+1"],
  ["\\frac{\\placeholder{}}{2}", "□/2"],
  ["\\theta", "theta"],
  ["\\int x", "int x"],
  ["x=1", "x=1"],
  ["\\left(x", "(x"],
  ["x)", "x)"],
  ["", ""],
  ["   ", ""],
];

for (const [latex, text] of CASES) {
  test(`${JSON.stringify(latex)} → ${JSON.stringify(text)}`, () => {
    assert.equal(latexToAnswer(latex), text);
  });
}

test("the problem's variables stay whole names", () => {
  assert.equal(latexToAnswer("mu+x", ["mu", "x"]), "mu+x");
  assert.equal(latexToAnswer("mu+x", ["x"]), "m u+x");
  assert.equal(latexToAnswer("\\frac{1}{mu}", ["mu"]), "1/mu");
});

test("never throws, whatever the LaTeX", () => {
  const pieces = ["\\frac", "{", "}", "^", "_", "\\left(", "\\right)", "|", "x", "2", "-",
                  "\\sqrt", "[", "]", "\\sigma", "\\hat", "\\operatorname", "\\", "\\right.",
                  "\\placeholder", "(", ")", "\\log", "'", "\\cdot", "/"];
  let seed = 7;
  for (let n = 0; n < 3000; n++) {
    let latex = "";
    const length = 1 + (n % 12);
    for (let i = 0; i < length; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      latex += pieces[seed % pieces.length];
    }
    assert.equal(typeof latexToAnswer(latex), "string", latex);
  }
});
