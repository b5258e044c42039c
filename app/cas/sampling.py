"""Evaluate a parsed expression on a grid of points, for plots.

A small tree walker over numpy arrays instead of ``lambdify``: lambdify generates Python
source and execs it, and a student's answer never goes near exec, even parsed. The walker
knows exactly the functions the parser can produce (app.cas.symbols.FUNCTIONS); anything
else gives NaN, never an error. Points where the expression is undefined or not real are
NaN too, so a plot simply shows a gap there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy as sp

from app.cas.sigmoid import sigmoid


def _sigmoid(u: np.ndarray) -> np.ndarray:
    # 1/(1+e^(-u)) overflows for large negative u; with e = e^(-|u|) neither branch does.
    e = np.exp(-np.abs(u))
    return np.where(u >= 0, 1 / (1 + e), e / (1 + e))


_UNARY: dict[type, Callable[[np.ndarray], np.ndarray]] = {
    sp.exp: np.exp,
    sp.log: np.log,
    sp.Abs: np.abs,
    sp.sin: np.sin,
    sp.cos: np.cos,
    sp.tan: np.tan,
    sp.sec: lambda u: 1 / np.cos(u),
    sp.csc: lambda u: 1 / np.sin(u),
    sp.cot: lambda u: 1 / np.tan(u),
    sp.asin: np.arcsin,
    sp.acos: np.arccos,
    sp.atan: np.arctan,
    sp.sinh: np.sinh,
    sp.cosh: np.cosh,
    sp.tanh: np.tanh,
    sp.sech: lambda u: 1 / np.cosh(u),
    sp.csch: lambda u: 1 / np.sinh(u),
    sp.coth: lambda u: 1 / np.tanh(u),
    sigmoid: _sigmoid,
}


def _evaluate(expr: sp.Expr, values: Mapping[sp.Symbol, np.ndarray], shape: tuple[int]) -> np.ndarray:
    if expr.is_Symbol:
        if expr in values:
            return values[expr]
        return np.full(shape, np.nan)
    if expr.is_Number or expr.is_NumberSymbol:
        try:
            return np.full(shape, float(expr))
        except (TypeError, ValueError, OverflowError):
            return np.full(shape, np.nan)
    if expr.is_Add:
        total = np.zeros(shape)
        for arg in expr.args:
            total = total + _evaluate(arg, values, shape)
        return total
    if expr.is_Mul:
        product = np.ones(shape)
        for arg in expr.args:
            product = product * _evaluate(arg, values, shape)
        return product
    if expr.is_Pow:
        base = _evaluate(expr.base, values, shape)
        exponent = _evaluate(expr.exp, values, shape)
        # A negative base to a non-integer power is not real: NaN, as elsewhere.
        return np.power(base.astype(complex), exponent).real * np.where(
            (base < 0) & (exponent != np.round(exponent)), np.nan, 1.0
        )
    function = _UNARY.get(type(expr))
    if function is not None and len(expr.args) == 1:
        return function(_evaluate(expr.args[0], values, shape))
    return np.full(shape, np.nan)


@dataclass(frozen=True)
class Curve:
    xs: tuple[float, ...]
    ys: tuple[float | None, ...]  # None where the expression is undefined


def sample(
    expr: sp.Expr,
    wrt: sp.Symbol,
    lo: float,
    hi: float,
    fixed: Mapping[sp.Symbol, float] | None = None,
    points: int = 241,
) -> Curve:
    """`expr` at `points` evenly spaced values of `wrt` in [lo, hi], other symbols `fixed`.

    The result is plain floats (picklable and small), so it can come back from a pool worker.
    """
    xs = np.linspace(lo, hi, points)
    values: dict[sp.Symbol, np.ndarray] = {wrt: xs}
    for symbol, value in (fixed or {}).items():
        values[symbol] = np.full(xs.shape, float(value))
    with np.errstate(all="ignore"):
        ys = _evaluate(expr, values, xs.shape)
    ys = np.broadcast_to(np.asarray(ys, dtype=float), xs.shape)
    return Curve(
        tuple(float(x) for x in xs),
        tuple(float(y) if np.isfinite(y) else None for y in ys),
    )


def sample_many(
    exprs: Sequence[sp.Expr], wrt: sp.Symbol, lo: float, hi: float,
    fixed: Mapping[sp.Symbol, float] | None = None, points: int = 241,
) -> tuple[Curve, ...]:
    return tuple(sample(expr, wrt, lo, hi, fixed, points) for expr in exprs)
