"""Rigorous enclosures of an expression's value at a point, in mpmath interval arithmetic.

A value computed in fixed precision can lose every digit to cancellation: at 60 digits
``1 - σ(5000)`` is exactly 0, while its value is about 10^-2171. Comparing such a value with
another one proves nothing. An interval evaluation returns an interval that is guaranteed
to contain the value, so:

- two disjoint intervals prove that the values differ (at any precision);
- an interval too wide to decide says how much more precision is needed; it is never read
  as a number;
- an operation whose argument interval leaves the real domain only in part (``log`` of an
  interval around 0, a division by one) raises ``Unresolved``: more precision, not
  ``Undefined``. ``Undefined`` is raised only when the whole interval is outside the domain,
  or for exact zeros, so it is a proof too.

Functions mpmath's interval context lacks (asin, acos, sinh, cosh, tanh) are evaluated at
the end points of monotonic pieces, at extra precision, and widened outward.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import mpmath
import sympy as sp
from mpmath.libmp import (
    finf,
    fnan,
    fninf,
    fnone,
    fone,
    fzero,
    mpf_abs,
    mpf_acos,
    mpf_add,
    mpf_asin,
    mpf_cosh,
    mpf_ge,
    mpf_gt,
    mpf_le,
    mpf_lt,
    mpf_shift,
    mpf_sign,
    mpf_sinh,
    mpf_sub,
    mpf_tanh,
    round_ceiling,
    round_floor,
    round_nearest,
)
from mpmath.libmp.libmpi import mpi_atan

from app.cas.numeric import Compiler, FloatOps, Undefined, Unresolved, check_log2

__all__ = ["Unresolved", "compile_iv", "magnitude", "precision", "point_interval"]

iv = mpmath.iv
_SPECIAL = (finf, fninf, fnan)


def compile_iv(expr: sp.Expr):
    """A function ``point -> interval`` at the precision set by ``precision(...)`` (raises
    ``Undefined``, ``Overflow`` or ``Unresolved``); the point maps symbols to intervals."""
    return Compiler(_IV).compile(expr)


@contextmanager
def precision(digits: int) -> Iterator[None]:
    saved = iv.prec
    iv.dps = digits
    try:
        yield
    finally:
        iv.prec = saved


def point_interval(value: float):
    return iv.mpf(value)


def magnitude(value) -> int | None:
    """floor(log2) of the largest absolute value in the interval; None for [0, 0]."""
    a, b = value._mpi_
    largest = b if mpf_ge(mpf_abs(b), mpf_abs(a)) else a
    return _log2(largest)


def smallest_magnitude(value) -> int | None:
    """floor(log2) of the smallest absolute value in the interval; None when it holds 0."""
    a, b = value._mpi_
    if mpf_sign(a) <= 0 <= mpf_sign(b):
        return None
    return _log2(a if mpf_sign(a) > 0 else b)


def width_log2(value) -> int | None:
    """floor(log2) of the interval's width; None for a point."""
    a, b = value._mpi_
    return _log2(mpf_sub(b, a, 30, round_ceiling))


def disjoint(first, second) -> bool:
    a1, b1 = first._mpi_
    a2, b2 = second._mpi_
    return mpf_lt(b1, a2) or mpf_lt(b2, a1)


def _log2(value) -> int | None:
    if value == fzero:
        return None
    _sign, _man, exp, bc = value
    return exp + bc - 1


def _largest_abs(value) -> float:
    """The largest absolute value in the interval as a float (inf when beyond floats)."""
    size = magnitude(value)
    if size is None:
        return 0.0
    if size > 1000:
        return float("inf")
    a, b = value._mpi_
    return max(abs(float(mpmath.mp.make_mpf(a))), abs(float(mpmath.mp.make_mpf(b))))


def _contains_zero(value) -> bool:
    a, b = value._mpi_
    return mpf_sign(a) <= 0 <= mpf_sign(b)


def _is_zero(value) -> bool:
    a, b = value._mpi_
    return a == fzero and b == fzero


def _widened(low, high, prec):
    """[low, high] computed to nearest at ``prec`` bits, widened outward by their error."""
    low = mpf_sub(low, mpf_shift(mpf_abs(low), -prec + 2), prec, round_floor)
    high = mpf_add(high, mpf_shift(mpf_abs(high), -prec + 2), prec, round_ceiling)
    return iv.make_mpf((low, high))


def _monotone(function, value, increasing: bool):
    a, b = value._mpi_
    prec = iv.prec
    wp = prec + 20
    low = function(a if increasing else b, wp, round_nearest)
    high = function(b if increasing else a, wp, round_nearest)
    return _widened(low, high, prec)


class _IvOps(FloatOps):
    """The operations of ``app.cas.numeric`` on intervals (see the module docstring)."""

    @staticmethod
    def precision() -> int:
        return iv.prec

    @staticmethod
    def number(value: sp.Expr):
        if value.is_Integer:
            return iv.mpf(int(value))
        if value.is_Rational:
            return iv.mpf(int(value.p)) / int(value.q)
        return iv.mpf(mpmath.mpf(value._mpf_))

    @staticmethod
    def finite(value):
        a, b = value._mpi_
        if a in _SPECIAL or b in _SPECIAL:
            raise Unresolved
        return value

    def power(self, base, exponent, integer: bool):
        if integer and not isinstance(exponent, int):
            # an integer-valued exponent expression: its value must be known exactly
            a, b = exponent._mpi_
            point = mpmath.mp.make_mpf(a)
            if a != b or point != int(point):
                raise Unresolved
            exponent = int(point)
        if isinstance(exponent, int):
            return self._integer_power(base, exponent)
        return self._real_power(base, exponent)

    def _integer_power(self, base, n: int):
        size = magnitude(base)
        if size is not None:
            check_log2(n * max(abs(size), 1))
        if n < 0 and _contains_zero(base):
            raise Undefined if _is_zero(base) else Unresolved
        return self.finite(base**n)

    def _real_power(self, base, exponent):
        a, b = base._mpi_
        if mpf_lt(b, fzero):
            raise Undefined
        if _is_zero(base):
            if mpf_gt(exponent._mpi_[0], fzero):
                return iv.mpf(0)
            raise Undefined if not mpf_gt(exponent._mpi_[1], fzero) else Unresolved
        if not mpf_gt(a, fzero):
            raise Unresolved
        size = magnitude(base)
        check_log2(_largest_abs(exponent) * max(abs(size), 1))
        return self.finite(iv.exp(exponent * iv.log(base)))

    def divide(self, numerator, denominator):
        if _contains_zero(denominator):
            raise Undefined if _is_zero(denominator) else Unresolved
        return self.finite(numerator / denominator)

    @staticmethod
    def _guard(u) -> None:
        """exp(u) beyond 2^(10^7) counts as overflow, as in the mpmath evaluator."""
        check_log2(_largest_abs(u))

    def exp(self, u):
        self._guard(u)
        return iv.exp(u)

    def log(self, u):
        a, b = u._mpi_
        if not mpf_gt(b, fzero):
            raise Undefined
        if not mpf_gt(a, fzero):
            raise Unresolved
        return iv.log(u)

    def sigmoid(self, u):
        self._guard(u)
        return 1 / (1 + iv.exp(-u))

    def asin(self, u):
        return _monotone(mpf_asin, self._unit(u), True)

    def acos(self, u):
        return _monotone(mpf_acos, self._unit(u), False)

    @staticmethod
    def _unit(u):
        a, b = u._mpi_
        one, minus_one = fone, fnone
        if mpf_gt(a, one) or mpf_lt(b, minus_one):
            raise Undefined
        if mpf_lt(a, minus_one) or mpf_gt(b, one):
            raise Unresolved
        return u

    def hyperbolic(self, function, u):
        self._guard(u)
        return function(u)

    @staticmethod
    def sinh(u):
        return _monotone(mpf_sinh, u, True)

    @staticmethod
    def tanh(u):
        return _monotone(mpf_tanh, u, True)

    @staticmethod
    def cosh(u):
        a, b = u._mpi_
        if mpf_ge(a, fzero):
            return _monotone(mpf_cosh, u, True)
        if mpf_le(b, fzero):
            return _monotone(mpf_cosh, u, False)
        prec = iv.prec
        largest = mpf_abs(a) if mpf_ge(mpf_abs(a), mpf_abs(b)) else mpf_abs(b)
        high = mpf_cosh(largest, prec + 20, round_nearest)
        high = mpf_add(high, mpf_shift(high, -prec + 2), prec, round_ceiling)
        return iv.make_mpf((fone, high))

    sin = staticmethod(iv.sin)
    cos = staticmethod(iv.cos)

    @staticmethod
    def atan(u):
        return iv.make_mpf(mpi_atan(u._mpi_, iv.prec))

    abs = staticmethod(abs)

    @property
    def pi(self):
        return +iv.pi

    @property
    def e(self):
        return +iv.e

    @staticmethod
    def sign(u):
        a, b = u._mpi_
        if mpf_gt(a, fzero):
            return iv.mpf(1)
        if mpf_lt(b, fzero):
            return iv.mpf(-1)
        if _is_zero(u):
            return iv.mpf(0)
        raise Unresolved


_IV = _IvOps()
