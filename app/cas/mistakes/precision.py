"""Significant figures: how close a decimal must be, and how many figures of it are right."""

from __future__ import annotations

import math

import sympy as sp

from app.cas.i18n import _

_WORKING_DIGITS = 40


def exact_value(expr: sp.Expr) -> sp.Float | None:
    try:
        value = sp.N(expr, _WORKING_DIGITS)
    except (TypeError, ValueError):
        return None
    return value if value.is_real and value.is_finite else None


def half_unit(value: sp.Expr, digits: int) -> sp.Rational:
    """Half a unit in the `digits`-th significant place of `value`: 0.07586 to 4 figures is
    right within 0.000005."""
    number = exact_value(value)
    if number is None or number == 0:
        return sp.Rational(1, 2) * sp.Rational(1, 10**digits)
    exponent = math.floor(sp.log(abs(number), 10).evalf(_WORKING_DIGITS))
    return sp.Rational(5) * sp.Integer(10) ** (exponent - digits)


def agreeing_figures(answer: sp.Expr, value: sp.Expr, most: int) -> int:
    """How many significant figures of `value` the number `answer` has right (up to most)."""
    a, v = exact_value(answer), exact_value(value)
    if a is None or v is None:
        return 0
    right = 0
    for digits in range(1, most + 1):
        if abs(a - v) <= half_unit(v, digits):
            right = digits
        else:
            break
    return right


def typed_figures(number: sp.Expr, text: str | None = None) -> int | None:
    """The significant figures a decimal answer was typed with (0.0760 has 3), or None when
    the answer is not one plain decimal."""
    if text is not None:
        stripped = text.strip().lstrip("+-−")
        if stripped and all(c.isdigit() or c == "." for c in stripped) and stripped.count(".") < 2:
            digits = stripped.replace(".", "").lstrip("0")
            return len(digits) or None
    if not number.is_Rational:
        return None
    q = int(number.q)
    for prime in (2, 5):
        while q % prime == 0:
            q //= prime
    return _digits_of(number) if q == 1 else None


def _digits_of(number: sp.Rational) -> int | None:
    for power in range(0, 30):
        scaled = number * 10**power
        if scaled.is_Integer:
            text = str(abs(int(scaled))).strip("0")
            return len(text) or None
    return None


def precision_message(figures: int, wanted: int, typed: int | None = None) -> str:
    advice = (_("check the last digits (round the exact value only at the end)")
              if typed is not None and typed >= wanted
              else _("give more digits, and round only at the end"))
    if figures == 1:
        sentence = _("Your value is right to %(figures)s significant figure, but the question "
                     "asks for %(wanted)s: %(advice)s.")
    else:
        sentence = _("Your value is right to %(figures)s significant figures, but the question "
                     "asks for %(wanted)s: %(advice)s.")
    return sentence % {"figures": figures, "wanted": wanted, "advice": advice}
