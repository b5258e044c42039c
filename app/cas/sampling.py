"""Evaluate a parsed expression on a grid of points, for plots.

The engine's own real evaluator (app.cas.numeric) does the arithmetic, so a plot follows the
same semantics as checking: points where the expression is undefined or not real (or
overflows a float) are None, and the plot shows a gap there. No lambdify: a student's answer
never goes near generated code, even parsed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

from app.cas.numeric import Overflow, Undefined, compile_float


@dataclass(frozen=True)
class Curve:
    xs: tuple[float, ...]
    ys: tuple[float | None, ...]  # None where the expression has no real float value


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
    evaluate = compile_float(expr)
    step = (hi - lo) / (points - 1)
    xs = tuple(lo + k * step for k in range(points))
    ys: list[float | None] = []
    point: dict[sp.Symbol, float] = dict(fixed or {})
    for x in xs:
        point[wrt] = x
        try:
            ys.append(float(evaluate(point)))
        except (Undefined, Overflow):
            ys.append(None)
    return Curve(xs, tuple(ys))
