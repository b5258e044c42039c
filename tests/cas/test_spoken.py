"""Formulas in plain words (app.cas.spoken): the alttext / aria-label of every MathML formula,
for answers as read and expected answers (sympy expressions) and for prompts and worked steps
(MathML from LaTeX)."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
import sympy as sp

from app.bank import load_bank
from app.bank.prompt import latex_to_mathml, math_segments, prompt_html
from app.cas.parse import parse
from app.cas.render import to_mathml
from app.cas.spoken import expression_words, labelled, mathml_words
from tests.formula_corpus import PROBLEMS, SEEDS, cases

# What words may contain: letters, digits, spaces and the commas and dots of pauses and
# decimals; never a symbol a screen reader would spell out or skip ("σ", "^", "\\frac").
PLAIN = re.compile(r"[A-Za-z0-9 ,.]+")


@pytest.mark.parametrize(("text", "variables", "words"), [
    ("σ(x)(1-σ(x))", ["x"], "sigma of x times open paren one minus sigma of x close paren"),
    ("2σ(2x-1)(1-σ(2x-1))", ["x"], "two sigma of open paren two x minus one close paren "
     "times open paren one minus sigma of open paren two x minus one close paren close paren"),
    ("σ(z) - t", ["t", "z"], "sigma of z minus t"),
    ("(yhat-t)/(yhat(1-yhat))", ["t", "yhat"], "the fraction y hat minus t, over y hat times "
     "open paren one minus y hat close paren, end fraction"),
    ("-t/yhat - (1-t)/(1-yhat)", ["t", "yhat"],
     "minus t over y hat minus the fraction one minus t, over one minus y hat, end fraction"),
    ("x^2 - 1", ["x"], "x squared minus one"),
    ("(x-1)(x+1)", ["x"], "open paren x minus one close paren times open paren x plus one "
     "close paren"),
    ("e^(-x)", ["x"], "e to the minus x power"),
    # The printers' order: a number before an exponential ("1 + e^(-x)", as in σ's denominator).
    ("e^(-3x-2) + 1", ["x"], "one plus e raised to the exponent minus three x minus two, "
     "end exponent"),
    ("y x^4", ["x", "y"], "x to the fourth power times y"),  # the printer's order
    ("sqrt(x)", ["x"], "the square root of x"),
    ("sqrt(x^2)", ["x"], "the absolute value of x"),  # what the parser makes of it
    ("abs(x - 1)", ["x"], "the absolute value of open paren x minus one close paren"),
    ("1/2", None, "one over two"),
    ("0.5", None, "one over two"),
    ("-x", ["x"], "minus x"),
    ("log(σ(3x+2))", ["x"], "log of sigma of open paren three x plus two close paren"),
    ("tanh(x_1)", ["x_1"], "hyperbolic tangent of x sub one"),
    ("25x", ["x"], "25 x"),
])
def test_expression_words(text, variables, words):
    assert expression_words(parse(text, variables=variables)) == words


def test_derivatives_and_substitutions_are_said():
    x, u = sp.Symbol("x"), sp.Symbol("u")
    assert expression_words(sp.Derivative(sp.log(x), x)) == \
        "the derivative of log of x with respect to x"
    assert expression_words(sp.Derivative(x**3, (x, 2))) == \
        "the derivative of order two of x cubed with respect to x"
    assert expression_words(sp.Subs(sp.log(u), u, x + 1)) == \
        "log of u, at u equals x plus one"


@pytest.mark.parametrize(("latex", "words"), [
    (r"\frac{dL}{d\hat{y}}", "the derivative of L with respect to y hat"),
    (r"\frac{\partial L}{\partial z_1}", "the partial derivative of L with respect to z sub one"),
    (r"\frac{d}{dx} \sigma\left(3 x + 2\right) = \sigma'\left(3 x + 2\right) \cdot 3",
     "the derivative with respect to x of sigma of open paren three x plus two close paren "
     "equals sigma prime of open paren three x plus two close paren times three"),
    (r"\left.\frac{d}{du} \log{\left(u \right)}\right|_{u = x}",
     "the derivative with respect to u of log of u, evaluated at u equals x"),
    (r"L = -\sum_{j=1}^{3} t_j \log p_j",
     "L equals minus the sum from j equals one to three of t sub j times log of p sub j"),
    (r"f(x) = \frac{1}{1 + e^{-x}}",
     "f of x equals the fraction one, over one plus e to the minus x power, end fraction"),
    (r"\hat{y} \in (0, 1)", "y hat is in open paren zero, one close paren"),
    (r"\sigma''(x)", "sigma double prime of x"),
    (r"x = -2.5", "x equals minus 2.5"),
])
def test_mathml_words(latex, words):
    assert mathml_words(latex_to_mathml(latex)) == words


def _words_of(markup: str) -> tuple[str, str]:
    root = ElementTree.fromstring(markup)
    return root.get("alttext"), root.get("aria-label")


def test_every_answer_and_expected_expression_is_labelled_in_plain_words():
    for case in cases():
        alttext, label = _words_of(to_mathml(case.expr))
        assert alttext == label, case.label
        assert label and PLAIN.fullmatch(label), (case.label, label)


def test_every_prompt_formula_and_worked_step_is_labelled_in_plain_words():
    bank = load_bank(str(PROBLEMS))
    checked = 0
    for template in bank.templates:
        for seed in SEEDS:
            variant = bank.variant(template.id, seed)
            formulas = [latex_to_mathml(s) for s in math_segments(variant.prompt)]
            formulas += [latex_to_mathml(step.latex, display=True)
                         for solution in variant.solutions for step in solution.steps]
            for markup in formulas:
                alttext, label = _words_of(markup)
                assert alttext == label
                assert label and PLAIN.fullmatch(label), (template.id, seed, label, markup)
                checked += 1
            assert prompt_html(variant.prompt).count('aria-label="') == \
                len(math_segments(variant.prompt))
    assert checked > 300


def test_labels_are_escaped_and_the_markup_stays_xml():
    markup = labelled('<math xmlns="http://www.w3.org/1998/Math/MathML"><mi>x</mi></math>',
                      'a "quoted" <word> & more')
    root = ElementTree.fromstring(markup)
    assert root.get("aria-label") == 'a "quoted" <word> & more'
    assert labelled("<math/>", "") == "<math/>"
    assert mathml_words("<math><mi>x</mi>") == ""  # unreadable markup: no words, no error
