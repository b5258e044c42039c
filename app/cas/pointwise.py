"""Both sides of a check at one point, compared rigorously (interval arithmetic).

The float screening of ``app.cas.equivalence`` flags a point where the values seem to
differ; this module says whether they do. Each side is enclosed in an interval
(``app.cas.interval``) at a precision that is raised until the question is settled:

- disjoint enclosures: the values differ (a proof, whatever the precision);
- narrow, overlapping enclosures: they agree to that precision (no proof of anything: the
  later stages decide);
- otherwise the precision needed is estimated from the widths and the precision raised,
  up to a limit, past which the point is "out of reach" (None).

A value that cancelled (``1 - σ(5000)`` at 60 digits) has a wide enclosure around 0, so it is
never mistaken for a number.
"""

from __future__ import annotations

from collections.abc import Mapping

import sympy as sp
from mpmath.libmp import mpf_gt, mpf_le

from app.cas import interval
from app.cas.numeric import Overflow, Undefined, Unresolved

__all__ = ["ANSWER_UNDEFINED", "UNRESOLVED", "Pair", "status"]

START_DIGITS = 30
# The screening's re-check raises precision this far at most; a point that needs more is
# out of reach (the identity stage decides, or stage 3 with its own budget).
RECHECK_DIGITS = 1200
# A status (defined or not) at most this precision: it matters only near a domain edge.
STATUS_DIGITS = 240
# Screening: overlapping enclosures this narrow (relative, in bits) agree.
_AGREE_BITS = 50
# Expected-side enclosures kept per expected expression, at most.
_CACHED_ENCLOSURES = 512
ANSWER_UNDEFINED = "answer undefined"
UNRESOLVED = "unresolved"


def interval_point(point: Mapping[sp.Symbol, float]) -> dict[sp.Symbol, object]:
    return {s: interval.point_interval(v) for s, v in point.items()}


def status(evaluator, point: Mapping[sp.Symbol, float], digits: int = STATUS_DIGITS) -> str:
    """"defined", "undefined", "overflow" (too large to say) or "unknown" (too close to the
    edge of the domain to say at ``digits``)."""
    at = interval_point(point)
    level = START_DIGITS
    while level <= digits:
        with interval.precision(level):
            try:
                evaluator(at)
            except Undefined:
                return "undefined"
            except Overflow:
                return "overflow"
            except Unresolved:
                level *= 2
                continue
        return "defined"
    return "unknown"


class Pair:
    """The expected expression and the answer, as interval evaluators. ``cache`` keeps the
    expected side's enclosures (by precision and point): the expected expression is the
    same for every answer, and so are its sample points."""

    def __init__(self, expected, answer, expected_symbols, cache: dict | None = None) -> None:
        self.expected = expected
        self.answer = answer
        self.expected_symbols = tuple(expected_symbols)
        self.cache = {} if cache is None else cache

    def enclose(self, point: Mapping[sp.Symbol, float], digits: int):
        """(expected, answer) enclosures at ``digits``; either may be an exception class
        (Undefined, Overflow or Unresolved) instead. Test those with ``is``: ``==`` on an
        interval is slow, and ``in (...)`` uses it."""
        key = (digits, *(point[s] for s in self.expected_symbols))
        with interval.precision(digits):
            expected = self.cache.get(key)
            if expected is None:
                at = interval_point({s: point[s] for s in self.expected_symbols})
                expected = _enclose(self.expected, at)
                if len(self.cache) < _CACHED_ENCLOSURES:
                    self.cache[key] = expected
            answer = _enclose(self.answer, interval_point(point))
        return expected, answer

    def recheck(self, point: Mapping[sp.Symbol, float], tolerance=None, limit=None):
        """True when the values differ at ``point`` (or lie outside ``tolerance``), False
        when they agree, ``ANSWER_UNDEFINED`` when the answer has no value there, None when
        the point is out of reach (too large, or more precision than allowed), and
        ``UNRESOLVED`` when it would need more than ``limit`` digits but not more than
        allowed (a caller may come back with a higher limit)."""
        digits = START_DIGITS
        allowed = RECHECK_DIGITS if tolerance is None else STATUS_DIGITS
        limit = allowed if limit is None else min(limit, allowed)
        while True:
            if digits > limit:
                return UNRESOLVED if digits <= allowed else None
            expected, answer = self.enclose(point, digits)
            if expected is Undefined:
                return False  # the point is on the edge of the expected domain: no conclusion
            if expected is Overflow or answer is Overflow:
                return None
            if answer is Undefined:
                return ANSWER_UNDEFINED
            if expected is Unresolved or answer is Unresolved:
                digits *= 2
                continue
            if tolerance is not None:
                verdict = _outside_tolerance(answer, expected, tolerance)
                needed = 2 * digits
            else:
                verdict, needed = _differs(answer, expected, digits)
            if verdict is not None:
                return verdict
            digits = max(needed, 2 * digits)

    def agreement(self, point: Mapping[sp.Symbol, float], digits: int, tiny_log2: int):
        """Stage 3 at one precision: "differ" (disjoint), "agree" (both enclosures narrower
        than 2^tiny_log2 times the values, or than 2^tiny_log2 for values below 1),
        "unresolved", "skip" (the expected side is undefined or too large) or
        ``ANSWER_UNDEFINED``."""
        expected, answer = self.enclose(point, digits)
        if expected is Undefined or expected is Overflow or answer is Overflow:
            return "skip"
        if answer is Undefined:
            return ANSWER_UNDEFINED
        if expected is Unresolved or answer is Unresolved:
            return "unresolved"
        if interval.disjoint(answer, expected):
            return "differ"
        scale = max(_size(answer), _size(expected), 0)
        if _narrow(answer, scale + tiny_log2) and _narrow(expected, scale + tiny_log2):
            return "agree"
        return "unresolved"


def _enclose(evaluator, point):
    try:
        return evaluator(point)
    except Undefined:
        return Undefined
    except Overflow:
        return Overflow
    except Unresolved:
        return Unresolved


def _size(value) -> int:
    size = interval.magnitude(value)
    return -(10**9) if size is None else size


def _narrow(value, limit_log2: int) -> bool:
    width = interval.width_log2(value)
    return width is None or width < limit_log2


def _differs(answer, expected, digits: int) -> tuple[bool | None, int]:
    """(True: disjoint; False: agree to _AGREE_BITS; None: undecided) and the digits an
    undecided comparison needs."""
    if interval.disjoint(answer, expected):
        return True, digits
    scale = max(_size(answer), _size(expected))
    if _narrow(answer, scale - _AGREE_BITS) and _narrow(expected, scale - _AGREE_BITS):
        return False, digits
    # The enclosures shrink about one bit per bit of precision: what would make the wider one
    # narrow next to the value of the side whose enclosure excludes 0?
    targets = [s for s in map(interval.smallest_magnitude, (answer, expected)) if s is not None]
    widths = [w for w in map(interval.width_log2, (answer, expected)) if w is not None]
    if not targets or not widths:
        return None, 2 * digits
    extra_bits = max(widths) - (max(targets) - _AGREE_BITS) + 16
    return None, digits + int(extra_bits * 0.30103) + 1


def _outside_tolerance(answer, expected, tolerance) -> bool | None:
    difference = abs(answer - expected)
    allowed = interval.iv.mpf(tolerance.relative) * abs(expected)
    low, high = difference._mpi_
    allowed_low, allowed_high = allowed._mpi_
    absolute = interval.iv.mpf(tolerance.absolute)._mpi_[0]
    if mpf_gt(low, allowed_high) and mpf_gt(low, absolute):
        return True
    if mpf_le(high, allowed_low) or mpf_le(high, absolute):
        return False
    return None
