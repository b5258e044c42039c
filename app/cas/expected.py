"""Everything about the expected expression that a check needs, computed once and cached.

One expected expression is checked against many answers (a class, a problem variant), so its
sample points, its float values there, its compiled evaluators, its exact (modular) values and
the precision its constants call for are kept per (expression, domain), least recently used
first out.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import mpmath
import sympy as sp

from app.cas import identity, interval, pointwise
from app.cas.errors import AnswerError
from app.cas.i18n import _
from app.cas.numeric import Overflow, Undefined, compile_float, compile_mp

__all__ = [
    "Expected",
    "clear_caches",
    "coordinate",
    "digits_needed",
    "domain_key",
    "prepare",
    "wide_value",
]

# How many points where the expected expression is defined the screening wants.
POINTS = 8
# Candidates tried per variable when searching for those points.
_CANDIDATES = 160
_CACHE_SIZE = 256
# Screening where floats overflow: mpmath numbers (unbounded exponents) at this precision.
WIDE_DIGITS = 20
# Unbounded variables: most candidates in [-10, 10], then near 0, then ever wider, so that
# log(x - 50) or sqrt(1 - x^2) find their points too.
_RANGES = ((60, 10.0), (90, 1.0), (115, 100.0), (135, 1000.0), (150, 1e5), (_CANDIDATES, 1e7))


def domain_key(domain) -> tuple[tuple[str, float, float], ...]:
    """A validated, hashable form of ``{name: (lo, hi)}`` (raises ``ValueError``)."""
    if not domain:
        return ()
    key = []
    for name, bounds in domain.items():
        try:
            lo, hi = (float(b) for b in bounds)
        except (TypeError, ValueError):
            raise ValueError(f"the domain of {name} must be two numbers") from None
        if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
            raise ValueError(f"the domain of {name} must be finite with lo < hi")
        key.append((str(name), lo, hi))
    return tuple(sorted(key))


@lru_cache(maxsize=1024)
def _stream(name: str) -> tuple[float, float]:
    """An irrational rotation per variable name: deterministic, well spread, and never
    landing on integers or simple fractions where isolated singularities live."""
    seed = zlib.crc32(name.encode()) % 997 + 2
    alpha = math.sqrt(seed) % 1.0 or 0.6180339887498949
    offset = (math.sqrt(seed + 1) * 0.5) % 1.0
    return alpha, offset


def coordinate(name: str, k: int, bounds: tuple[float, float] | None) -> float:
    """The k-th sample value of the variable ``name`` (in ``bounds`` when given)."""
    alpha, offset = _stream(name)
    u = (offset + (k + 1) * alpha) % 1.0
    if bounds is not None:
        lo, hi = bounds
        return lo + (hi - lo) * (0.01 + 0.98 * u)
    for limit, scale in _RANGES:
        if k < limit:
            return scale * (2.0 * u - 1.0)
    return 1e7 * (2.0 * u - 1.0)


@dataclass(eq=False)
class Expected:
    expr: sp.Expr
    domain: dict[str, tuple[float, float]]
    symbols: tuple[sp.Symbol, ...]
    float_eval: object
    points: list[dict[sp.Symbol, float]] = field(default_factory=list)
    values: list[float | None] = field(default_factory=list)  # None: beyond floats
    modular: dict[int, identity.Evaluation | None] = field(default_factory=dict)
    wide: dict[int, object] = field(default_factory=dict)
    enclosures: dict[tuple, object] = field(default_factory=dict)  # see pointwise.Pair

    @cached_property
    def interval_eval(self):
        return interval.compile_iv(self.expr)

    @cached_property
    def mp_eval(self):
        return compile_mp(self.expr)

    def wide_value(self, index: int):
        """The value at sample point ``index`` in mpmath at ``WIDE_DIGITS`` (a float with an
        unbounded exponent, for points where floats overflow), or the exception class
        ``Undefined`` / ``Overflow``; cached."""
        if index not in self.wide:
            self.wide[index] = wide_value(self.mp_eval, self.points[index])
        return self.wide[index]

    @cached_property
    def digits(self) -> int:
        return digits_needed(self.expr)

    def modular_value(self, trial: int) -> identity.Evaluation | None:
        if trial not in self.modular:
            try:
                self.modular[trial] = identity.evaluate(self.expr, trial)
            except identity.BadPoint:
                self.modular[trial] = None
        return self.modular[trial]


def prepare(expected: sp.Expr, key: tuple) -> Expected:
    """The cached ``Expected`` for an expression and a ``domain_key``."""
    return _prepare(expected, key)


def clear_caches() -> None:
    """Forget every expected expression and every cached intermediate result (benchmarks
    measure a fresh expected expression this way)."""
    _prepare.cache_clear()
    identity.clear_caches()


@lru_cache(maxsize=_CACHE_SIZE)
def _prepare(expr: sp.Expr, key: tuple) -> Expected:
    prepared = Expected(
        expr=expr,
        domain={name: (lo, hi) for name, lo, hi in key},
        symbols=tuple(sorted(expr.free_symbols, key=lambda s: s.name)),
        float_eval=compile_float(expr),
    )
    _find_points(prepared)
    return prepared


def _find_points(prepared: Expected) -> None:
    wanted = POINTS + 2 * max(0, len(prepared.symbols) - 1)
    for k in range(_CANDIDATES):
        point = {s: coordinate(s.name, k, prepared.domain.get(s.name)) for s in prepared.symbols}
        try:
            value = prepared.float_eval(point)
        except Undefined:
            continue
        except Overflow:
            value = None
            if pointwise.status(prepared.interval_eval, point) != "defined":
                continue
        prepared.points.append(point)
        prepared.values.append(value)
        if len(prepared.points) >= wanted:
            return
    if not prepared.points:
        raise AnswerError(
            "undefined",
            _("the expected expression is not defined (real and finite) anywhere on the "
               "domain"),
            None,
        )


def wide_value(evaluator, point):
    """``evaluator`` (from ``compile_mp``) at ``point`` and ``WIDE_DIGITS`` digits, or the
    exception class it raised. Screening only: a value here proves nothing."""
    try:
        with mpmath.workdps(WIDE_DIGITS):
            return evaluator({s: mpmath.mpf(v) for s, v in point.items()})
    except Undefined:
        return Undefined
    except Overflow:
        return Overflow


def digits_needed(expr: sp.Expr) -> int:
    """Decimal digits that let stage 3 see a difference hidden behind the expression's own
    constants (``e^(-1000)`` needs about 435, ``10^(-12)`` about 12, ``x^50`` about 50)."""
    digits = 0.0
    for node in sp.preorder_traversal(expr):
        if node.is_Rational and not node.is_Integer:
            digits += math.log10(max(abs(int(node.p)), int(node.q)))
        elif node.is_Integer and node != 0:
            digits += math.log10(abs(int(node)))
        if isinstance(node, sp.exp) or (node.is_Pow and node.base is sp.E):
            arg = node.args[0] if isinstance(node, sp.exp) else node.exp
            coeff = arg.as_coeff_Add()[0]
            if coeff.is_Number:
                digits += abs(float(coeff)) / math.log(10)
        elif node.is_Pow and node.exp.is_Number:
            digits += min(abs(float(node.exp)), 1e6)
    return int(digits)
