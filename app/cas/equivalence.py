"""Decide whether an answer is equivalent to the expected expression (contract section 2).

Variables are real. The answer is equivalent when, on the domain, it is defined (real and
finite) wherever the expected expression is, except on isolated points, and equal to it
there. The decision is made in three stages, cheapest first:

1. **Screening in floats** at deterministic sample points of the domain where the expected
   expression is defined (found by a widening search, so ``1/x`` or ``log(x)`` always get
   points; where floats overflow, mpmath numbers at 20 digits stand in for them). A point
   where the answer is undefined, or differs, is re-checked in interval arithmetic
   (``app.cas.pointwise``) at a precision raised until the enclosures of both sides are
   disjoint or narrow, and, for definedness, at a nearby point: a proven difference at a
   generic point is a proof of non-equivalence (a generic point is not isolated). A value
   that cancelled (``1 - σ(5000)`` at 60 digits) is an enclosure around 0, never a number.
   Re-checks that would need many digits, and further ones once a re-check found the floats
   merely rounding, wait until stage 2 has spoken (it is cheaper), and run before stage 3.
   With a ``Tolerance`` this stage is the whole check: every sample point must be within it.
2. **Exact identity test** of ``answer - expected`` modulo a 61-bit prime after writing
   the sigmoid, hyperbolic and trigonometric functions with exponentials (see
   ``app.cas.identity``): zero proves equality (Schwartz-Zippel, error below 1e-20), and
   when only independent generators were involved a non-zero value proves a difference
   (this is what rejects ``σ'(x) + e^(-1000)``, invisible to floats).
3. **High-precision agreement** for the rest (``abs``, inverse trigonometric functions,
   logs of expressions): both sides enclosed in intervals at a precision raised until it
   exceeds the dynamic range of the constants in the expressions; disjoint enclosures mean
   not equivalent, agreement at every point to that precision means equivalent. If that
   precision would be unreasonable, the answer is ``None`` (undecided).

Everything about the expected expression (sample points, its values, its exact values) is
cached (``app.cas.expected``), since one expected expression is checked against many
answers.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import sympy as sp

from app.cas import identity, interval, pointwise
from app.cas.expected import (
    Expected,
    clear_caches,
    coordinate,
    digits_needed,
    domain_key,
    prepare,
    wide_value,
)
from app.cas.numeric import Overflow, Undefined, Unresolved, compile_float, compile_mp

__all__ = ["Tolerance", "clear_caches", "equivalent"]

# Float screening: a relative difference above this is re-checked in interval arithmetic.
_FLOAT_REL = 1e-9
# The screening's re-checks stop here at first (see _Check.differs).
_QUICK_DIGITS = 60
# The most digits stage 3 will use; beyond it the verdict is None.
_MAX_DIGITS = 4000


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
    prepared = prepare(expected, domain_key(domain))
    return _Check(answer, prepared, tolerance).run()


class _Check:
    def __init__(self, answer: sp.Expr, prepared: Expected, tolerance: Tolerance | None):
        self.answer = answer
        self.prepared = prepared
        self.tolerance = tolerance
        extra = sorted(answer.free_symbols - set(prepared.symbols), key=lambda s: s.name)
        self.points = []
        for k, point in enumerate(prepared.points):
            full = dict(point)
            for symbol in extra:
                full[symbol] = coordinate(symbol.name, k, prepared.domain.get(symbol.name))
            self.points.append(full)
        self.float_eval = compile_float(answer)
        self._pair = None
        self._mp_eval = None
        self.deferred: list[dict] = []  # points whose re-check waits (see differs)
        self.rechecked = False
        self.compared = 0  # sample points where both values were compared

    @property
    def pair(self) -> pointwise.Pair:
        """Both sides as interval evaluators, compiled when a point needs them."""
        if self._pair is None:
            self._pair = pointwise.Pair(
                self.prepared.interval_eval,
                interval.compile_iv(self.answer),
                self.prepared.symbols,
                self.prepared.enclosures,
            )
        return self._pair

    def run(self) -> bool | None:
        screened = self.screen()
        if screened is not None:
            return screened
        if self.tolerance is not None:
            if self.deferred_differ():
                return False
            # Within tolerance at every point where both sides could be compared.
            return True if self.compared else None
        exact = self.identity()
        if exact is not None:
            return exact
        if self.deferred_differ():
            return False
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
                # beyond floats: screen with unbounded exponents instead
                value, expected = self.wide_values(index, point)
                if value is Undefined:
                    if self.undefined_confirmed(point):
                        return False
                    continue
                if value is Overflow or expected is Overflow or expected is Undefined:
                    verdict = self.differs(point)
                    if verdict:
                        return False
                    self.compared += verdict is False
                    continue
            self.compared += 1
            if self.tolerance is not None:
                if self.tolerance.accepts(value, expected):
                    continue
            elif abs(value - expected) <= _FLOAT_REL * max(abs(value), abs(expected)):
                continue
            if self.differs(point):
                return False
        return None

    def wide_values(self, index: int, point):
        """(answer, expected) at a point where floats overflow, from mpmath at a low
        precision: enough to screen, never to conclude (a difference is re-checked)."""
        if self._mp_eval is None:
            self._mp_eval = compile_mp(self.answer)
        return wide_value(self._mp_eval, point), self.prepared.wide_value(index)

    def differs(self, point, limit: int | None = _QUICK_DIGITS) -> bool | None:
        """The interval re-check of a point the floats could not settle; None means no
        conclusion for now.

        A wrong answer is usually proved wrong by its first re-check. Once one re-check has
        found no difference (the floats rounded: σ(u) - σ(u)^2 at u = 50 cancels 22 digits),
        further points, and any that needs more than ``limit`` digits, wait until the
        identity test has had its say: it is cheaper than re-checking every point."""
        if limit is not None and self.rechecked:
            self.deferred.append(point)
            return None
        verdict = self.pair.recheck(point, self.tolerance, limit)
        if verdict == pointwise.ANSWER_UNDEFINED:
            return self.undefined_confirmed(point)
        self.rechecked = self.rechecked or verdict is not True
        if verdict == pointwise.UNRESOLVED:
            self.deferred.append(point)
            return None
        return verdict

    def deferred_differ(self) -> bool:
        """Re-check the waiting points with all the precision allowed."""
        for point in self.deferred:
            verdict = self.differs(point, None)
            if verdict:
                return True
            self.compared += verdict is False
        self.deferred = []
        return False

    def undefined_confirmed(self, point) -> bool:
        """The answer is undefined here and at a nearby point where the expected expression
        is defined: so not only on an isolated point."""
        if pointwise.status(self.pair.answer, point) != "undefined":
            return False
        for step in (1e-3, -1e-3, 1e-2, -1e-2):
            nearby = {s: self.nudge(s, v, step) for s, v in point.items()}
            expected_here = {s: v for s, v in nearby.items() if s in self.prepared.symbols}
            if pointwise.status(self.pair.expected, expected_here) != "defined":
                continue
            return pointwise.status(self.pair.answer, nearby) == "undefined"
        return False

    def nudge(self, symbol: sp.Symbol, value: float, step: float) -> float:
        moved = value + step * (1.0 + abs(value))
        bounds = self.prepared.domain.get(symbol.name)
        if bounds is not None and not bounds[0] < moved < bounds[1]:
            moved = value - step * (1.0 + abs(value))
        return moved

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
        for point in self.points:
            largest_here = 0
            expected, answer = self.pair.enclose(point, 20)
            for value in (expected, answer):
                if value is Overflow:
                    largest_here = _MAX_DIGITS
                    break
                if value is Undefined or value is Unresolved:
                    continue
                size = interval.magnitude(value)
                if size is not None and size > 0:
                    largest_here = max(largest_here, int(size * 0.30103) + 1)
            if smallest is None or largest_here < smallest:
                smallest = largest_here
        return smallest or 0

    def high_precision(self) -> bool | None:
        # A difference of 10^-D is significant at 4/5 of the working digits: work with 5/4 D.
        # Values as large as 10^M hide a difference of 1 behind M more digits.
        digits = self.prepared.digits + digits_needed(self.answer) + self.magnitude()
        needed = 40 + digits * 5 // 4
        if needed > _MAX_DIGITS:
            return None
        levels = []
        digits = 40
        while digits < needed:
            levels.append(digits)
            digits *= 2
        levels.append(needed)
        outcomes: list[str] = []
        for digits in levels:
            tiny_log2 = -int(digits * 4 // 5 * 3.3219)
            outcomes = []
            for index, point in enumerate(self.points):
                outcome = self.pair.agreement(point, digits, tiny_log2)
                if outcome == "differ":
                    return False
                if outcome == pointwise.ANSWER_UNDEFINED and self.undefined_confirmed(
                    self.points[index]
                ):
                    return False
                outcomes.append(outcome)
        if "agree" not in outcomes or "unresolved" in outcomes:
            return None
        return True
