"""Interval enclosures (app.cas.interval) and the re-check built on them (app.cas.pointwise)."""

from __future__ import annotations

import mpmath
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from app.cas import interval, pointwise
from app.cas.numeric import Overflow, Undefined, Unresolved, compile_mp
from app.cas.parse import parse
from app.cas.symbols import var
from tests.cas.test_cas_properties import PROPERTY_SETTINGS, _usable, any_trees

x, y = var("x"), var("y")


def enclose(text_or_expr, value, digits=30):
    expr = parse(text_or_expr) if isinstance(text_or_expr, str) else text_or_expr
    evaluate = interval.compile_iv(expr)
    with interval.precision(digits):
        return evaluate({x: interval.point_interval(value)})


def test_a_cancelled_value_is_an_enclosure_around_zero_not_zero():
    value = enclose("1 - tanh(x)", 5000.0, digits=60)
    assert interval.smallest_magnitude(value) is None  # holds 0
    assert interval.magnitude(value) < -150  # but is not [0, 0]


@pytest.mark.parametrize(
    ("text", "value", "signal"),
    [
        ("log(x)", -1.0, Undefined),
        ("log(x - 0.5)", 0.5, Undefined),
        ("1/(x - 0.5)", 0.5, Undefined),
        ("asin(x)", 1.5, Undefined),
        ("sqrt(x)", -2.0, Undefined),
        ("log(1 - tanh(x))", 5000.0, Unresolved),
        ("1/(1 - tanh(x))", 5000.0, Unresolved),
        ("exp(exp(exp(x)))", 5.0, Overflow),
    ],
)
def test_undefined_only_when_the_whole_enclosure_is_outside_the_domain(text, value, signal):
    with pytest.raises(signal):
        enclose(text, value)


points = st.floats(-20, 20, allow_nan=False).filter(lambda v: abs(v) > 1e-3)


@PROPERTY_SETTINGS
@given(any_trees, points)
def test_enclosures_contain_the_value(expr, value):
    if not _usable(expr) or y in expr.free_symbols:
        return
    try:
        enclosure = enclose(expr, value)
    except (Undefined, Overflow, Unresolved):
        return
    with mpmath.workdps(100):
        try:
            exact = compile_mp(expr)({x: mpmath.mpf(value)})
        except (Undefined, Overflow):
            return
    low, high = (mpmath.mp.make_mpf(end) for end in enclosure._mpi_)
    with mpmath.workdps(100):
        assert low <= exact <= high, (expr, value)


def test_recheck_raises_precision_until_the_cancelled_side_resolves():
    expected = interval.compile_iv(parse("1 - tanh(x)"))
    answer = interval.compile_iv(parse("2e^(-2x)/(1 + e^(-2x))"))
    pair = pointwise.Pair(expected, answer, [x])
    assert pair.recheck({x: 300.0}) is False  # agree, once resolved at ~300 digits
    wrong = interval.compile_iv(parse("4e^(-2x)/(1 + e^(-2x))"))
    assert pointwise.Pair(expected, wrong, [x]).recheck({x: 300.0}) is True
    assert pointwise.Pair(expected, wrong, [x]).recheck({x: 3.0}) is True


def test_status_near_a_domain_edge():
    evaluate = interval.compile_iv(parse("log(x)"))
    assert pointwise.status(evaluate, {x: 2.0}) == "defined"
    assert pointwise.status(evaluate, {x: -2.0}) == "undefined"
    assert pointwise.status(interval.compile_iv(sp.exp(sp.exp(sp.exp(x)))), {x: 9.0}) == (
        "overflow"
    )
