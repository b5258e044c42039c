"""Decide whether an answer is equivalent to the expected expression (contract section 2).

Variables are real. The answer is equivalent when, on the domain, it is defined (real and
finite) wherever the expected expression is, except on isolated points, and equal to it
there. The decision is made in three stages, cheapest first:

1. **Screening in floats** at deterministic sample points of the domain where the expected
   expression is defined (found by a widening search, so ``1/x`` or ``log(x)`` always get
   points). A point where the answer is undefined, or differs, is re-checked in mpmath at 30
   and 60 digits and, for definedness, at a nearby point: a confirmed difference at a generic
   point is a proof of non-equivalence (a generic point is not isolated). With a
   ``Tolerance`` this stage is the whole check: every sample point must be within it.
2. **Exact identity test** of ``answer - expected`` modulo a 61-bit prime after writing
   the sigmoid, hyperbolic and trigonometric functions with exponentials (see
   ``app.cas.identity``): zero proves equality (Schwartz-Zippel, error below 1e-20), and
   when only independent generators were involved a non-zero value proves a difference
   (this is what rejects ``σ'(x) + e^(-1000)``, invisible to floats).
3. **High-precision agreement** for the rest (``abs``, inverse trigonometric functions,
   logs of expressions): both sides evaluated in mpmath at a precision raised until it
   exceeds the dynamic range of the constants in the expressions; a confirmed difference
   means not equivalent, agreement at every point to that precision means equivalent. If
   that precision would be unreasonable, the answer is ``None`` (undecided).

Everything about the expected expression (sample points, its values, its exact values) is
cached, since one expected expression is checked against many answers.
"""

from __future__ import annotations

import math
import threading
import zlib
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

import mpmath
import sympy as sp

from app.cas import identity
from app.cas.errors import AnswerError
from app.cas.numeric import Overflow, Undefined, compile_float, compile_mp

__all__ = ["Tolerance", "equivalent"]

# How many points where the expected expression is defined the screening wants.
_POINTS = 8
# Candidates tried per variable when searching for those points.
_CANDIDATES = 160
# Float screening: a relative difference above this is re-checked in mpmath.
_FLOAT_REL = 1e-9
# The most digits stage 3 will use; beyond it the verdict is None.
_MAX_DIGITS = 4000
_CACHE_SIZE = 256


@dataclass(frozen=True)
class Tolerance:
    """Approximate comparison: ``|a - e| <= max(absolute, relative * |e|)``."""

    relative: float = 0.0
    absolute: float = 0.0

    def __post_init__(self) -> None:
        for name in ("relative", "absolute"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ValueError(f"tolerance {name} must be a number")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"tolerance {name} must be finite and >= 0")

    @property
    def exact(self) -> bool:
        return self.relative == 0 and self.absolute == 0

    def accepts(self, answer, expected) -> bool:
        return abs(answer - expected) <= max(self.absolute, self.relative * abs(expected))


def equivalent(
    answer: sp.Expr,
    expected: sp.Expr,
    *,
    domain: Mapping[str, tuple[float, float]] | None = None,
    tolerance: Tolerance | None = None,
) -> bool | None:
    """True / False, or None when the engine could not decide (never a guess).

    ``domain`` maps variable names to open intervals ``(lo, hi)``; other variables range
    over all reals. ``tolerance`` switches to approximate comparison at the sample points; a
    zero tolerance is the exact comparison. Raises ``AnswerError`` (code ``undefined``) when
    the expected expression is defined nowhere on the domain, and ``ValueError`` for a
    malformed domain.
    """
    if not isinstance(answer, sp.Expr) or not isinstance(expected, sp.Expr):
        raise TypeError("equivalent() compares sympy expressions (use app.cas.parse.parse)")
    if tolerance is not None and tolerance.exact:
        tolerance = None
    prepared = _prepared(expected, _domain_key(domain))
    return _Check(answer, prepared, tolerance).run()


def _domain_key(domain) -> tuple[tuple[str, float, float], ...]:
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


# -- sample points ---------------------------------------------------------------------------

# Unbounded variables: most candidates in [-10, 10], then near 0, then ever wider, so that
# log(x - 50) or sqrt(1 - x^2) find their points too.
_RANGES = ((60, 10.0), (90, 1.0), (115, 100.0), (135, 1000.0), (150, 1e5), (_CANDIDATES, 1e7))


def _stream(name: str):
    """An irrational rotation per variable name: deterministic, well spread, and never
    landing on integers or simple fractions where isolated singularities live."""
    seed = zlib.crc32(name.encode()) % 997 + 2
    alpha = math.sqrt(seed) % 1.0 or 0.6180339887498949
    offset = (math.sqrt(seed + 1) * 0.5) % 1.0
    return alpha, offset


def _coordinate(name: str, k: int, bounds: tuple[float, float] | None) -> float:
    alpha, offset = _stream(name)
    u = (offset + (k + 1) * alpha) % 1.0
    if bounds is not None:
        lo, hi = bounds
        return lo + (hi - lo) * (0.01 + 0.98 * u)
    for limit, scale in _RANGES:
        if k < limit:
            return scale * (2.0 * u - 1.0)
    return 1e7 * (2.0 * u - 1.0)


# -- what is cached per expected expression --------------------------------------------------


@dataclass
class _Prepared:
    expr: sp.Expr
    domain: dict[str, tuple[float, float]]
    symbols: tuple[sp.Symbol, ...]
    float_eval: object
    mp_eval: object
    points: list[dict[sp.Symbol, float]] = field(default_factory=list)
    values: list[float | None] = field(default_factory=list)  # None: needs mpmath
    modular: dict[int, identity.Evaluation | None] = field(default_factory=dict)
    digits: int = 0

    def modular_value(self, trial: int) -> identity.Evaluation | None:
        if trial not in self.modular:
            try:
                self.modular[trial] = identity.evaluate(self.expr, trial)
            except identity.BadPoint:
                self.modular[trial] = None
        return self.modular[trial]


_CACHE: OrderedDict[tuple, _Prepared] = OrderedDict()
_CACHE_LOCK = threading.Lock()


def _prepared(expected: sp.Expr, domain_key: tuple) -> _Prepared:
    key = (expected, domain_key)
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    domain = {name: (lo, hi) for name, lo, hi in domain_key}
    symbols = tuple(sorted(expected.free_symbols, key=lambda s: s.name))
    prepared = _Prepared(
        expr=expected,
        domain=domain,
        symbols=symbols,
        float_eval=compile_float(expected),
        mp_eval=compile_mp(expected),
        digits=_digits_needed(expected),
    )
    _find_points(prepared)
    with _CACHE_LOCK:
        _CACHE[key] = prepared
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return prepared


def _find_points(prepared: _Prepared) -> None:
    wanted = _POINTS + 2 * max(0, len(prepared.symbols) - 1)
    for k in range(_CANDIDATES):
        point = {s: _coordinate(s.name, k, prepared.domain.get(s.name)) for s in prepared.symbols}
        try:
            value = prepared.float_eval(point)
        except Undefined:
            continue
        except Overflow:
            value = None
            if _mp_status(prepared.mp_eval, point) != "defined":
                continue
        prepared.points.append(point)
        prepared.values.append(value)
        if len(prepared.points) >= wanted:
            return
    if not prepared.points:
        raise AnswerError(
            "undefined",
            "the expected expression is not defined (real and finite) anywhere on the domain",
            None,
        )


def _mp_status(evaluator, point) -> str:
    """ "defined", "undefined", or "overflow" (too large to say) at 30 digits."""
    try:
        with mpmath.workdps(30):
            evaluator(_mp_point(point))
    except Undefined:
        return "undefined"
    except Overflow:
        return "overflow"
    return "defined"


def _mp_point(point: Mapping[sp.Symbol, float]) -> dict[sp.Symbol, object]:
    return {s: mpmath.mpf(v) for s, v in point.items()}


def _digits_needed(expr: sp.Expr) -> int:
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


# -- one check -------------------------------------------------------------------------------


class _Check:
    def __init__(self, answer: sp.Expr, prepared: _Prepared, tolerance: Tolerance | None):
        self.answer = answer
        self.prepared = prepared
        self.tolerance = tolerance
        extra = sorted(answer.free_symbols - set(prepared.symbols), key=lambda s: s.name)
        self.points = []
        for k, point in enumerate(prepared.points):
            full = dict(point)
            for symbol in extra:
                full[symbol] = _coordinate(symbol.name, k, prepared.domain.get(symbol.name))
            self.points.append(full)
        self.float_eval = compile_float(answer)
        self._mp_eval = None
        self.compared = 0  # sample points where both values were compared

    @property
    def mp_eval(self):
        if self._mp_eval is None:
            self._mp_eval = compile_mp(self.answer)
        return self._mp_eval

    def run(self) -> bool | None:
        screened = self.screen()
        if screened is not None:
            return screened
        if self.tolerance is not None:
            # Within tolerance at every point where both sides could be compared.
            return True if self.compared else None
        exact = self.identity()
        if exact is not None:
            return exact
        return self.high_precision()

    # stage 1 ---------------------------------------------------------------------------
    def screen(self) -> bool | None:
        """False when a sample point proves a difference; None to go on."""
        for index, point in enumerate(self.points):
            expected = self.prepared.values[index]
            try:
                value = self.float_eval(point)
            except Undefined:
                if self.undefined_confirmed(point):
                    return False
                continue
            except Overflow:
                value = None
            if value is None or expected is None:
                verdict = self.differs_mp(point)
                if verdict:
                    return False
                self.compared += verdict is False
                continue
            self.compared += 1
            if self.tolerance is not None:
                if not self.tolerance.accepts(value, expected) and self.differs_mp(point):
                    return False
                continue
            scale = max(abs(value), abs(expected))
            if abs(value - expected) > _FLOAT_REL * scale and self.differs_mp(point):
                return False
        return None

    def undefined_confirmed(self, point) -> bool:
        """The answer is undefined here and at a nearby point where the expected expression
        is defined: so not only on an isolated point."""
        if _mp_status(self.mp_eval, point) != "undefined":
            return False
        for step in (1e-3, -1e-3, 1e-2, -1e-2):
            nearby = {s: self.nudge(s, v, step) for s, v in point.items()}
            expected_here = {s: v for s, v in nearby.items() if s in self.prepared.symbols}
            if _mp_status(self.prepared.mp_eval, expected_here) != "defined":
                continue
            return _mp_status(self.mp_eval, nearby) == "undefined"
        return False

    def nudge(self, symbol: sp.Symbol, value: float, step: float) -> float:
        moved = value + step * (1.0 + abs(value))
        bounds = self.prepared.domain.get(symbol.name)
        if bounds is not None and not bounds[0] < moved < bounds[1]:
            moved = value - step * (1.0 + abs(value))
        return moved

    def differs_mp(self, point) -> bool | None:
        """Confirm a difference at 30 and 60 digits (a float screening may be rounding);
        None when the values are out of reach (too large even for mpmath)."""
        diffs = []
        for digits in (30, 60):
            with mpmath.workdps(digits):
                mp_point = _mp_point(point)
                expected_point = {s: mp_point[s] for s in self.prepared.symbols}
                try:
                    expected = self.prepared.mp_eval(expected_point)
                except Undefined:
                    return False
                except Overflow:
                    return None
                try:
                    value = self.mp_eval(mp_point)
                except Undefined:
                    return self.undefined_confirmed(point)
                except Overflow:
                    return None
                if self.tolerance is not None:
                    return not self.tolerance.accepts(value, expected)
                diffs.append((value - expected, max(abs(value), abs(expected))))
        (low, _), (high, scale) = diffs
        if high == 0 or abs(high) <= mpmath.mpf(10) ** -45 * scale:
            return False
        return abs(low - high) <= abs(high) * mpmath.mpf(10) ** -6

    # stage 2 ---------------------------------------------------------------------------
    def identity(self) -> bool | None:
        zero_everywhere = True
        clean = True
        tried = 0
        for trial in range(1, 7):
            expected = self.prepared.modular_value(trial)
            if expected is None:
                continue
            try:
                answer = identity.evaluate(self.answer, trial)
            except identity.BadPoint:
                continue
            tried += 1
            clean = clean and expected.clean and answer.clean
            if answer.value != expected.value:
                zero_everywhere = False
                break
            if tried == 2:
                break
        if tried == 0:
            return None
        if zero_everywhere:
            return True
        return False if clean else None

    # stage 3 ---------------------------------------------------------------------------
    def magnitude(self) -> int:
        """Decimal exponent of the values at the sample point where they are smallest: a
        difference hides behind them there least (``exp(e^x)`` is 10^4000 at x = 9)."""
        smallest = None
        with mpmath.workdps(20):
            for point in self.points:
                mp_point = _mp_point(point)
                largest_here = 0
                for evaluator, where in (
                    (self.prepared.mp_eval, {s: mp_point[s] for s in self.prepared.symbols}),
                    (self.mp_eval, mp_point),
                ):
                    try:
                        value = abs(evaluator(where))
                    except Undefined:
                        continue
                    except Overflow:
                        largest_here = _MAX_DIGITS
                        break
                    if value > 1:
                        largest_here = max(largest_here, int(mpmath.log10(value)) + 1)
                if smallest is None or largest_here < smallest:
                    smallest = largest_here
        return smallest or 0

    def high_precision(self) -> bool | None:
        # A difference of 10^-D is significant at 4/5 of the working digits: work with 5/4 D.
        # Values as large as 10^M hide a difference of 1 behind M more digits.
        digits = self.prepared.digits + _digits_needed(self.answer) + self.magnitude()
        needed = 40 + digits * 5 // 4
        if needed > _MAX_DIGITS:
            return None
        levels = []
        digits = 40
        while digits < needed:
            levels.append(digits)
            digits *= 2
        # Two levels at or beyond what is needed, so that a difference seen at the last one is
        # confirmed at the one before.
        levels += [needed, needed + needed // 2]
        previous: list[object] = [None] * len(self.points)
        compared = 0
        for digits in levels:
            compared = 0
            tiny = mpmath.mpf(10) ** (-(digits * 4 // 5))
            with mpmath.workdps(digits):
                for index, point in enumerate(self.points):
                    mp_point = _mp_point(point)
                    try:
                        expected = self.prepared.mp_eval(
                            {s: mp_point[s] for s in self.prepared.symbols}
                        )
                    except (Undefined, Overflow):
                        continue
                    try:
                        value = self.mp_eval(mp_point)
                    except Undefined:
                        if self.undefined_confirmed(point):
                            return False
                        continue
                    except Overflow:
                        continue
                    compared += 1
                    diff = value - expected
                    scale = max(abs(value), abs(expected), 1)
                    significant = abs(diff) > tiny * scale
                    before = previous[index]
                    if (
                        significant
                        and before is not None
                        and abs(before - diff) <= abs(diff) * mpmath.mpf(10) ** -6
                    ):
                        return False
                    previous[index] = diff if significant else None
        if compared == 0 or any(diff is not None for diff in previous):
            return None
        return True
