"""Property tests: random constants built from exp/log/σ/tanh/cosh/sinh of logs of rationals,
judged against their value at 100 digits.

The engine must call such a constant equal to a rational exactly when it is that rational,
whatever the mix of logs (``σ(log 2 + log 3)`` is 6/7, ``exp(log(2)/2)`` is not rational),
and equal to another form of itself.
"""

from __future__ import annotations

import os
from fractions import Fraction

import mpmath
import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.cas.equivalence import equivalent
from app.cas.errors import AnswerError
from app.cas.parse import parse
from app.cas.plain import to_plain
from app.cas.sigmoid import sigmoid
from app.cas.symbols import var

x = var("x")

SETTINGS = settings(
    max_examples=int(os.environ.get("CAS_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

rationals = st.tuples(st.integers(1, 30), st.integers(1, 12)).map(lambda pq: sp.Rational(*pq))
log_terms = st.tuples(
    st.sampled_from([1, -1, 2, -2, 3, sp.Rational(1, 2), sp.Rational(-3, 2)]), rationals
).map(lambda kr: kr[0] * sp.log(kr[1], evaluate=False))
# mostly logs, sometimes a rational term too: exp(1 + log 3) = 3e is not rational
arguments = st.tuples(
    st.lists(log_terms, min_size=1, max_size=2),
    st.sampled_from([0, 0, 0, 0, 1, sp.Rational(-1, 2)]),
).map(lambda parts: sp.Add(*parts[0], parts[1]))
FUNCTIONS = [sp.exp, sigmoid, sp.tanh, sp.cosh, sp.sinh]
atoms = st.tuples(st.sampled_from(FUNCTIONS), arguments).map(lambda fa: fa[0](fa[1]))


def _combine(children):
    return st.one_of(
        st.tuples(children, children).map(lambda ab: ab[0] + ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] * ab[1]),
        st.tuples(children, children).map(lambda ab: ab[0] / (1 + ab[1] ** 2)),
        st.tuples(children, st.sampled_from([2, -1])).map(lambda be: be[0] ** be[1]),
        children.map(lambda c: sp.log(1 + c**2)),
    )


constants = st.recursive(atoms, _combine, max_leaves=3)


def _value(expr: sp.Expr) -> mpmath.mpf:
    """The value at 100 digits, computed by sympy on the exp form (not by the engine)."""
    exp_form = expr.rewrite([sigmoid, sp.tanh, sp.cosh, sp.sinh], sp.exp)
    with mpmath.workdps(110):
        return mpmath.mpf(sp.N(exp_form, 110))


def _usable(expr: sp.Expr) -> bool:
    return (
        isinstance(expr, sp.Expr)
        and not expr.free_symbols
        and not expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I)
        and expr.is_Rational is not True  # sympy itself evaluated it: nothing to test
    )


def _nearest_rational(value: mpmath.mpf) -> sp.Rational:
    with mpmath.workdps(110):
        fraction = Fraction(mpmath.nstr(value, 100, min_fixed=-1e9, max_fixed=1e9))
    close = fraction.limit_denominator(10**12)
    return sp.Rational(close.numerator, close.denominator)


@SETTINGS
@given(constants)
def test_a_constant_equals_a_rational_exactly_when_it_is_one(expr):
    assume(_usable(expr))
    value = _value(expr)
    assume(abs(value) < 10**12)
    candidate = _nearest_rational(value)
    with mpmath.workdps(110):
        equal = abs(value - mpmath.mpf(candidate.p) / candidate.q) <= mpmath.mpf(10) ** -90
    text = to_plain(expr)
    try:
        verdict = equivalent(parse(str(candidate)), parse(text))
        reverse = equivalent(parse(text), parse(str(candidate)))
    except AnswerError:
        return  # the expression is undefined somewhere it is computed (log of 0 ...)
    if equal:
        assert verdict is True, (text, candidate)
        assert reverse is True, (text, candidate)
    else:
        assert verdict is not True, (text, candidate)
        assert reverse is not True, (text, candidate)


@SETTINGS
@given(constants)
def test_a_constant_equals_its_exp_form_and_not_a_neighbour(expr):
    assume(_usable(expr))
    value = _value(expr)
    assume(abs(value) < 10**12)
    exp_form = expr.rewrite([sigmoid, sp.tanh, sp.cosh, sp.sinh], sp.exp)
    assume(_usable(exp_form))
    try:
        assert equivalent(exp_form, expr) is True, expr
        assert equivalent(x * exp_form, x * expr) is True, expr
        # a neighbour 10^-30 away (relative) is different
        neighbour = expr * (1 + sp.Rational(1, 10**30))
        assert equivalent(neighbour, expr) is False, expr
    except AnswerError:
        return
