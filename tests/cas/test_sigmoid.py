"""The sigmoid as a sympy function: calculus, rewriting, printing, numbers."""

from __future__ import annotations

import mpmath
import sympy as sp

from app.cas.render import to_latex, to_mathml
from app.cas.sigmoid import sigmoid
from app.cas.symbols import var

x = var("x")


def test_derivative_and_rewrite():
    assert sp.diff(sigmoid(x), x) == sigmoid(x) * (1 - sigmoid(x))
    assert sigmoid(x).rewrite(sp.exp) == 1 / (1 + sp.exp(-x))
    assert (
        sp.simplify(sigmoid(x).rewrite(sp.tanh).rewrite(sp.exp) - sigmoid(x).rewrite(sp.exp)) == 0
    )
    assert sigmoid(0) == sp.S.Half
    assert sigmoid(sp.oo) == 1 and sigmoid(-sp.oo) == 0
    assert sigmoid(x).is_real and sigmoid(x).is_positive


def test_printing():
    assert to_latex(sigmoid(x)) == r"\sigma\left(x\right)"
    assert "σ" in to_mathml(sigmoid(x)) or "&#963;" in to_mathml(sigmoid(x))
    assert sp.sstr(sigmoid(x)) == "sigma(x)"


def test_numeric_evaluation():
    assert abs(float(sigmoid(2).evalf()) - 1 / (1 + mpmath.e**-2)) < 1e-15
    value = sigmoid(sp.Rational(1, 3)).evalf(50)
    with mpmath.workdps(50):
        assert abs(value - (1 / (1 + mpmath.exp(-mpmath.mpf(1) / 3)))) < mpmath.mpf(10) ** -48
    assert sp.N(sigmoid(-800)) > 0  # no overflow to zero at sympy's precision
    with mpmath.workdps(40):
        f = sp.lambdify(x, sigmoid(x), "mpmath")
        assert abs(f(mpmath.mpf(2)) - 1 / (1 + mpmath.exp(-2))) < mpmath.mpf(10) ** -38
    g = sp.lambdify(x, sigmoid(x), "math")
    assert abs(g(0.0) - 0.5) < 1e-15
