"""Answer fingerprints: a short string that equivalent answers to one variant share.

Item analysis groups wrong answers by equivalence. Instead of comparing every pair of answers
on every view, each wrong answer is fingerprinted once, when it is graded: its values at a few
fixed points of the variant's domain, computed at 30 digits and rounded to 12 significant
ones, hashed. Equivalent answers (equal wherever both are defined, isolated points aside)
agree at such generic points, so they share a fingerprint; two different functions agreeing
at all of them to 12 digits is, for the answers students type, a coincidence one can ignore.
Runs in the checker's workers (imports the engine only).
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping

import mpmath
import sympy as sp

from app.cas.numeric import Overflow, Undefined, compile_mp
from app.cas.symbols import var

DIGITS = 30
SIGNIFICANT = 12
# Values this small are zero that rounding error made non-zero (an answer such as
# σ(x)(1-σ(x)) - σ'(x) evaluated at 30 digits).
ZERO = mpmath.mpf("1e-20")
# Unbounded variables are sampled over a moderate and a wider range.
RANGES = ((-3.0, 3.0),) * 4 + ((-20.0, 20.0),) * 2
GOLDEN = (math.sqrt(5) - 1) / 2


def _points(variables: tuple[str, ...], domain: Mapping[str, tuple[float, float]]):
    """Fixed, well-spread points that avoid integers and simple fractions."""
    for k, unbounded in enumerate(RANGES):
        point = {}
        for index, name in enumerate(variables):
            lo, hi = domain.get(name, unbounded)
            u = (0.5 + (k + 1) * GOLDEN + index * math.sqrt(2)) % 1.0
            point[var(name)] = mpmath.mpf(float(lo) + (float(hi) - float(lo))
                                          * (0.05 + 0.9 * u))
        yield point


def _value(evaluator, point) -> str:
    try:
        value = evaluator(point)
    except (Undefined, Overflow, ZeroDivisionError, ValueError):
        return "u"
    if abs(value) < ZERO:
        return "0"
    return mpmath.nstr(value, SIGNIFICANT, min_fixed=1, max_fixed=0)


def answer_fingerprint(expr: sp.Expr, variables: tuple[str, ...],
                       domain: Mapping[str, tuple[float, float]]) -> str | None:
    """The fingerprint of `expr` on the variant's variables and domain (None if the engine
    cannot evaluate it numerically)."""
    try:
        evaluator = compile_mp(expr)
        with mpmath.workdps(DIGITS):
            values = [_value(evaluator, point) for point in _points(variables, domain)]
    except Exception:  # noqa: BLE001 - a missing fingerprint only makes grouping coarser
        return None
    return hashlib.sha256("|".join(values).encode()).hexdigest()[:16]
