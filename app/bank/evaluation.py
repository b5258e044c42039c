"""The last steps of numeric problems: evaluating at a point, and the decimal value."""

from __future__ import annotations

import sympy as sp

from app.cas.derivation import Derivation, Step, tidy
from app.cas.derivation import latex as tx
from app.cas.i18n import _
from app.cas.plain import to_plain
from app.cas.render import to_latex

# Digits of the decimal value shown when the template asks for no particular precision.
NUMERIC_DIGITS = 6


def _numeric(expr: sp.Expr, digits: int) -> sp.Float:
    return sp.Float(sp.N(expr, digits + 2), digits)


def decimal_latex(value: sp.Float, digits: int) -> str:
    """`value` to `digits` significant figures with its trailing zeros (0.2350, where sympy
    prints 0.235): the step says how many figures it shows, so it shows them all."""
    text = f"{float(value):#.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    mantissa = mantissa.rstrip(".")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}" if exponent else mantissa


def evaluation_steps(
    derivation: Derivation, point: dict, numeric: bool, digits: int | None = None
) -> tuple[Step, ...]:
    """Put the point into the derivative, then (for a numeric answer) round it."""
    at = ", ".join(f"{to_plain(k)} = {to_plain(v)}" for k, v in point.items())
    symbol, value = next(iter(point.items()))
    lhs = sp.Subs(sp.Derivative(derivation.function, derivation.wrt), symbol, value)
    label = (rf"\left.{tx.d(derivation.function, derivation.wrt)}\right|"
             rf"_{{{to_latex(symbol)} = {to_latex(value)}}}")
    exact = tidy(derivation.result.xreplace(point))
    steps = [
        Step(
            "Evaluate",
            _("Put %(at)s into the derivative.") % {"at": at},
            f"{label} = {to_latex(exact)}",
            exact,
            lhs,
        )
    ]
    if numeric and not exact.is_Rational:
        steps.append(numeric_step(exact, label, lhs, digits))
    return tuple(steps)


def answer_steps(expected: sp.Expr, numeric: bool, digits: int | None = None) -> tuple[Step, ...]:
    """The steps of an explicit answer: σ written out, then its decimal value."""
    steps = []
    written = expected.rewrite(sp.exp)
    if written != expected:
        steps.append(
            Step(
                _("Definition of σ"),
                _("Write each σ(u) as 1/(1 + e^(-u))."),
                f"{to_latex(expected)} = {to_latex(written)}",
                written,
                expected,
            )
        )
    if numeric and not expected.is_Rational:
        steps.append(numeric_step(expected, to_latex(expected), expected, digits))
    if not steps:
        steps.append(Step("Value", _("The value is exact."), to_latex(expected), expected, expected))
    return tuple(steps)


def numeric_step(value: sp.Expr, label: str, lhs: sp.Expr, digits: int | None) -> Step:
    shown = digits or NUMERIC_DIGITS
    approx = _numeric(value, shown)
    return Step(
        _("Numeric value"),
        _("Rounded to %(shown)s significant figures.") % {"shown": shown},
        rf"{label} \approx {decimal_latex(approx, shown)}",
        approx,
        lhs,
    )
