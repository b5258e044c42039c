"""Property tests: the plain form round-trips, rewritten forms stay equivalent, mutations
do not."""

from __future__ import annotations

import os

import sympy as sp
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.cas.equivalence import equivalent
from app.cas.errors import AnswerError
from app.cas.numeric import Overflow, Undefined, compile_float
from app.cas.parse import parse
from app.cas.plain import to_plain
from app.cas.sigmoid import sigmoid
from app.cas.symbols import var

x, y = var("x"), var("y")

PROPERTY_SETTINGS = settings(
    max_examples=int(os.environ.get("CAS_PROPERTY_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

leaves = st.one_of(
    st.sampled_from([x, y, sp.E, sp.pi]),
    st.integers(-5, 9).map(sp.Integer),
    st.tuples(st.integers(-7, 7), st.integers(1, 6)).map(lambda pq: sp.Rational(*pq)),
)
SAFE_FUNCTIONS = [sp.exp, sp.sin, sp.cos, sp.atan, sp.sinh, sp.cosh, sp.tanh, sigmoid, sp.Abs]
PARTIAL_FUNCTIONS = [sp.log, sp.sqrt, sp.tan, sp.asin, sp.sech]


def _trees(functions):
    def extend(children):
        return st.one_of(
            st.tuples(st.sampled_from(functions), children).map(lambda fa: fa[0](fa[1])),
            st.tuples(children, children).map(lambda ab: ab[0] + ab[1]),
            st.tuples(children, children).map(lambda ab: ab[0] - ab[1]),
            st.tuples(children, children).map(lambda ab: ab[0] * ab[1]),
            st.tuples(children, children).map(lambda ab: ab[0] / ab[1]),
            st.tuples(children, st.sampled_from([2, 3, -1, sp.Rational(1, 2)])).map(
                lambda be: be[0] ** be[1]
            ),
        )

    return st.recursive(leaves, extend, max_leaves=7)


any_trees = _trees(SAFE_FUNCTIONS + PARTIAL_FUNCTIONS)
smooth_trees = _trees(SAFE_FUNCTIONS)


def _usable(expr: sp.Expr) -> bool:
    return isinstance(expr, sp.Expr) and not expr.has(
        sp.zoo, sp.nan, sp.oo, -sp.oo, sp.I, sp.AccumBounds
    )


@PROPERTY_SETTINGS
@given(any_trees)
def test_plain_text_round_trips(expr):
    assume(_usable(expr))
    text = to_plain(expr)
    assert parse(text) == expr, text


def _defined_somewhere(expr: sp.Expr) -> bool:
    evaluate = compile_float(expr)
    for value in (0.37, -1.21, 2.73, 0.05, -0.61):
        try:
            result = evaluate({x: value, y: value * 0.83 + 0.11})
        except (Undefined, Overflow):
            continue
        if abs(result) > 1e-6:
            return True
    return False


def _forms(expr: sp.Expr) -> list[sp.Expr]:
    return [
        sp.expand(expr),
        sp.factor(expr),
        sp.together(expr),
        expr.rewrite([sp.sinh, sp.cosh, sp.tanh, sigmoid], sp.exp),
    ]


@PROPERTY_SETTINGS
@given(smooth_trees)
def test_rewritten_forms_are_equivalent(expr):
    assume(_usable(expr) and _defined_somewhere(expr))
    for form in _forms(expr):
        assume(_usable(form))
        try:
            verdict = equivalent(form, expr)
        except AnswerError:
            continue
        assert verdict is True, (form, expr)


@PROPERTY_SETTINGS
@given(any_trees, st.sampled_from(["sign", "constant", "scale", "factor"]))
def test_mutations_are_not_equivalent(expr, mutation):
    assume(_usable(expr) and _defined_somewhere(expr))
    if mutation == "sign":
        mutated = -expr
    elif mutation == "constant":
        mutated = expr + sp.Rational(1, 1000)
    elif mutation == "scale":
        mutated = 2 * expr
    else:
        factors = [f for f in sp.Mul.make_args(expr) if f.free_symbols]
        assume(expr.is_Mul and factors)
        dropped = factors[0]
        assume(_defined_somewhere(dropped - 1))
        mutated = expr / dropped
    assume(_usable(mutated))
    try:
        verdict = equivalent(mutated, expr)
    except AnswerError:
        return
    assert verdict is False, (mutated, expr)
