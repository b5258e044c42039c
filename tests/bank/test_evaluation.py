"""The decimal a numeric problem's worked solution ends on (app.bank.evaluation)."""

from __future__ import annotations

import pytest
import sympy as sp

from app.bank.evaluation import answer_steps, decimal_latex


@pytest.mark.parametrize(("value", "digits", "shown"), [
    (sp.Rational(47, 200), 4, "0.2350"),  # the trailing zero is a significant figure
    (sp.Float("0.149146"), 4, "0.1491"),
    (sp.Integer(-1) / 2, 3, "-0.500"),
    (sp.Float("0.000123456"), 4, "0.0001235"),
    (sp.Float("1234.4"), 4, "1234"),
    (sp.Float("12345.678"), 4, r"1.235 \cdot 10^{4}"),
    (sp.Float("0.00000123456"), 3, r"1.23 \cdot 10^{-6}"),
])
def test_the_decimal_shows_as_many_figures_as_the_step_says(value, digits, shown):
    assert decimal_latex(value, digits) == shown


def test_an_answers_numeric_step_keeps_its_trailing_zeros():
    half = sp.Rational(1, 2)
    # σ'(1/2) = e^(-1/2)/(1 + e^(-1/2))^2 = 0.2350037...: four figures end on a zero.
    value = sp.exp(-half) / (1 + sp.exp(-half)) ** 2
    last = answer_steps(value, numeric=True, digits=4)[-1]
    assert last.latex.endswith(r"\approx 0.2350")
