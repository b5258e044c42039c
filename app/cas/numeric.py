"""Evaluate an expression at a point, in real arithmetic, without lambdify.

The tree is compiled once into nested closures over a small whitelist of operations, for
two number systems: Python floats (fast, for screening) and mpmath numbers at a chosen
precision (for confirming). Both follow the contract's real semantics: a value is defined
when every step is real and finite, so ``log(-1)``, ``sqrt(-1)``, ``asin(2)``, ``1/0`` and
``(-8)^(1/3)`` are undefined (principal branch, like sympy).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping

import mpmath
import sympy as sp

from app.cas.sigmoid import sigmoid, sigmoid_complement


class Undefined(Exception):  # noqa: N818 - a signal, not an error condition
    """The expression has no real value at this point."""


class Overflow(Exception):  # noqa: N818
    """The value exists but does not fit the number system (floats only)."""


class Unresolved(Exception):  # noqa: N818
    """Interval arithmetic only (app.cas.interval): the enclosure is too wide to tell, at
    this precision, whether the value is defined; more precision may tell."""


Evaluator = Callable[[Mapping[sp.Symbol, object]], object]


def compile_float(expr: sp.Expr) -> Evaluator:
    """A function ``point -> float`` (raises ``Undefined`` or ``Overflow``)."""
    return Compiler(_FLOAT).compile(expr)


def compile_mp(expr: sp.Expr) -> Evaluator:
    """A function ``point -> mpf`` at the current ``mpmath.mp`` precision (raises
    ``Undefined``, or ``Overflow`` for values beyond 2^(10^7)); call it inside
    ``mpmath.workdps(...)``."""
    return Compiler(_MP).compile(expr)


class FloatOps:
    """Real arithmetic on floats; every failure is mapped to Undefined or Overflow."""

    @staticmethod
    def precision() -> int:
        return 53

    @staticmethod
    def number(value: sp.Expr) -> float:
        try:
            return float(value)
        except OverflowError:
            raise Overflow from None

    @staticmethod
    def finite(value: float) -> float:
        if math.isinf(value):
            raise Overflow
        if math.isnan(value):
            raise Undefined
        return value

    def power(self, base: float, exponent: float, integer: bool) -> float:
        try:
            if integer:
                return self.finite(base**exponent)
            if base < 0:
                raise Undefined
            if base == 0:
                if exponent > 0:
                    return 0.0
                raise Undefined
            return self.finite(math.pow(base, exponent))
        except ZeroDivisionError:
            raise Undefined from None
        except OverflowError:
            raise Overflow from None

    def divide(self, numerator: float, denominator: float) -> float:
        if denominator == 0:
            raise Undefined
        return self.finite(numerator / denominator)

    def exp(self, u: float) -> float:
        try:
            return math.exp(u)
        except OverflowError:
            raise Overflow from None

    def log(self, u: float) -> float:
        if u <= 0:
            raise Undefined
        return math.log(u)

    def sigmoid(self, u: float) -> float:
        if u >= 0:
            return 1.0 / (1.0 + math.exp(-u))
        z = math.exp(u)
        return z / (1.0 + z)

    def asin(self, u: float) -> float:
        if not -1 <= u <= 1:
            raise Undefined
        return math.asin(u)

    def acos(self, u: float) -> float:
        if not -1 <= u <= 1:
            raise Undefined
        return math.acos(u)

    def hyperbolic(self, function: Callable[[float], float], u: float) -> float:
        try:
            return self.finite(function(u))
        except OverflowError:
            raise Overflow from None

    sin = staticmethod(math.sin)
    cos = staticmethod(math.cos)
    tan = staticmethod(math.tan)
    atan = staticmethod(math.atan)
    sinh = staticmethod(math.sinh)
    cosh = staticmethod(math.cosh)
    tanh = staticmethod(math.tanh)
    abs = staticmethod(abs)
    pi = math.pi
    e = math.e

    @staticmethod
    def sign(u: float) -> float:
        return 0.0 if u == 0 else math.copysign(1.0, u)


# mpmath numbers have unbounded exponents, so a power tower like x^x^x^x would take forever
# rather than overflow: values beyond 2^(10^7) (about 3 million digits) count as overflow.
_MAX_LOG2 = 1e7


def check_log2(size) -> None:
    if not abs(float(size)) <= _MAX_LOG2:
        raise Overflow


class _MpOps(FloatOps):
    """The same operations on mpmath numbers; ``Overflow`` only past ``_MAX_LOG2``."""

    @staticmethod
    def precision() -> int:
        return mpmath.mp.prec

    @staticmethod
    def number(value: sp.Expr):
        if value.is_Integer:
            return mpmath.mpf(int(value))
        if value.is_Rational:
            return mpmath.mpf(int(value.p)) / int(value.q)
        return mpmath.mpf(float(value))

    @staticmethod
    def finite(value):
        if mpmath.isinf(value) or mpmath.isnan(value):
            raise Undefined
        return value

    def power(self, base, exponent, integer: bool):
        if base != 0:
            check_log2(float(exponent) * max(abs(mpmath.mag(base)), 1))
        if integer:
            if base == 0 and exponent < 0:
                raise Undefined
            return base ** int(exponent)
        if base < 0:
            raise Undefined
        if base == 0:
            if exponent > 0:
                return mpmath.mpf(0)
            raise Undefined
        return mpmath.power(base, exponent)

    def divide(self, numerator, denominator):
        if denominator == 0:
            raise Undefined
        return numerator / denominator

    def exp(self, u):
        check_log2(u)
        return mpmath.exp(u)

    def log(self, u):
        if u <= 0:
            raise Undefined
        return mpmath.log(u)

    def sigmoid(self, u):
        check_log2(u)
        return 1 / (1 + mpmath.exp(-u))

    def asin(self, u):
        if not -1 <= u <= 1:
            raise Undefined
        return mpmath.asin(u)

    def acos(self, u):
        if not -1 <= u <= 1:
            raise Undefined
        return mpmath.acos(u)

    def hyperbolic(self, function, u):
        check_log2(u)
        return function(u)

    sin = staticmethod(mpmath.sin)
    cos = staticmethod(mpmath.cos)
    tan = staticmethod(mpmath.tan)
    atan = staticmethod(mpmath.atan)
    sinh = staticmethod(mpmath.sinh)
    cosh = staticmethod(mpmath.cosh)
    tanh = staticmethod(mpmath.tanh)
    abs = staticmethod(abs)

    @property
    def pi(self):
        return +mpmath.pi

    @property
    def e(self):
        return +mpmath.e

    @staticmethod
    def sign(u):
        return mpmath.sign(u)


_FLOAT = FloatOps()
_MP = _MpOps()


class Compiler:
    def __init__(self, ops: FloatOps) -> None:
        self.ops = ops
        self.memo: dict[sp.Basic, Evaluator] = {}

    def compile(self, expr: sp.Basic) -> Evaluator:
        found = self.memo.get(expr)
        if found is None:
            found = self._compile(expr)
            self.memo[expr] = found
        return found

    def _compile(self, expr: sp.Basic) -> Evaluator:  # noqa: C901 - one branch per node type
        ops = self.ops
        if expr.is_Symbol:
            return lambda point, s=expr: point[s]
        if expr.is_Rational or expr.is_Float or expr is sp.E or expr is sp.pi:
            return self._constant(expr)
        if expr.is_Add:
            return self._add(expr)
        if expr.is_Mul:
            return self._mul(expr)
        if expr.is_Pow:
            return self._pow(expr)
        if len(expr.args) != 1:
            raise TypeError(f"cannot evaluate {type(expr).__name__}")
        inner = self.compile(expr.args[0])
        func = expr.func
        if func is sp.exp:
            return lambda point: ops.exp(inner(point))
        if func is sp.log:
            return lambda point: ops.log(inner(point))
        if func is sigmoid:
            return lambda point: ops.sigmoid(inner(point))
        simple = {
            sp.sin: ops.sin,
            sp.cos: ops.cos,
            sp.atan: ops.atan,
            sp.Abs: ops.abs,
            sp.sign: ops.sign,
            sp.asin: ops.asin,
            sp.acos: ops.acos,
        }.get(func)
        if simple is not None:
            return lambda point: simple(inner(point))
        if func is sp.tan:
            return lambda point: ops.divide(ops.sin(v := inner(point)), ops.cos(v))
        reciprocal = {sp.sec: ops.cos, sp.csc: ops.sin}.get(func)
        if func is sp.cot:
            return lambda point: ops.divide(ops.cos(v := inner(point)), ops.sin(v))
        if reciprocal is not None:
            return lambda point: ops.divide(1, reciprocal(inner(point)))
        hyperbolic = {sp.sinh: ops.sinh, sp.cosh: ops.cosh, sp.tanh: ops.tanh}.get(func)
        if hyperbolic is not None:
            return lambda point: ops.hyperbolic(hyperbolic, inner(point))
        co_hyperbolic = {sp.sech: ops.cosh, sp.csch: ops.sinh, sp.coth: ops.tanh}.get(func)
        if co_hyperbolic is not None:
            return lambda point: ops.divide(1, ops.hyperbolic(co_hyperbolic, inner(point)))
        raise TypeError(f"cannot evaluate {type(expr).__name__}")

    def _constant(self, expr: sp.Expr) -> Evaluator:
        ops = self.ops

        def make():
            if expr is sp.E:
                return ops.e
            if expr is sp.pi:
                return ops.pi
            return ops.number(expr)

        if ops is _FLOAT:
            value = make()
            return lambda point: value
        # Converted once per working precision, not at every evaluation.
        made: dict[int, object] = {}

        def constant(point):
            precision = ops.precision()
            value = made.get(precision)
            if value is None:
                value = made[precision] = make()
            return value

        return constant

    def _add(self, expr: sp.Add) -> Evaluator:
        ops = self.ops
        args, complement = sigmoid_complement(list(expr.args))
        parts = [self.compile(arg) for arg in args]
        if complement is not None:
            # c - c*σ(u) is c*σ(-u): 1 - σ(u) cancels to 0 in any fixed precision once σ(u)
            # rounds to 1 (u > 37 in floats, u > 140 at 60 digits), σ(-u) never does.
            coeff, inner = self.compile(complement[0]), self.compile(complement[1])
            parts.append(lambda point: coeff(point) * ops.sigmoid(inner(point)))

        def add(point):
            total = parts[0](point)
            for part in parts[1:]:
                total = total + part(point)
            return ops.finite(total)

        return add

    def _mul(self, expr: sp.Mul) -> Evaluator:
        ops = self.ops
        numerator = []
        denominator = []
        for arg in expr.args:
            # x/y is Mul(x, Pow(y, -1)): dividing (rather than multiplying by 1/y) keeps the
            # zero-denominator check in one place.
            if arg.is_Pow and arg.exp is sp.S.NegativeOne:
                denominator.append(self.compile(arg.base))
            else:
                numerator.append(self.compile(arg))

        def mul(point):
            value = numerator[0](point) if numerator else 1
            for part in numerator[1:]:
                value = value * part(point)
            for part in denominator:
                value = ops.divide(value, part(point))
            return ops.finite(value)

        return mul

    def _pow(self, expr: sp.Pow) -> Evaluator:
        ops = self.ops
        base_expr, exp_expr = expr.args
        base = self.compile(base_expr)
        if exp_expr.is_Integer:
            n = int(exp_expr)
            return lambda point: ops.power(base(point), n, True)
        exponent = self.compile(exp_expr)
        if base_expr is sp.E:
            return lambda point: ops.exp(exponent(point))
        integer = bool(exp_expr.is_integer)
        return lambda point: ops.power(base(point), exponent(point), integer)

