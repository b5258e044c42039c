"""Building sympy expressions from grammar matches, with the guards that keep an expression's
domain as written (``sqrt(x)^2`` stays undefined for x < 0) and refuse numbers too large to
compute."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import sympy as sp
from lark import Transformer, v_args
from lark.exceptions import VisitError
from lark.lexer import Token
from lark.visitors import Transformer_NonRecursive

from app.cas.errors import AnswerError
from app.cas.i18n import _
from app.cas.parse.tokens import SUPERSCRIPTS
from app.cas.symbols import CONSTANTS, FUNCTIONS, MAX_DEPTH, MAX_NUMBER_DIGITS, var


@dataclass(slots=True)
class _Val:
    """A sympy expression while it is being built, with what the guards need to know."""

    expr: sp.Expr
    depth: int  # nesting of parentheses, calls and exponents below this node
    guards: frozenset  # subexpressions that restrict where it is defined (sqrt, log, ...)
    pos: int  # where it starts in the text, for error messages


@v_args(inline=True)
class Builder(Transformer):
    """Lark callbacks: turn grammar matches into sympy objects, enforcing the guards.

    Stateless, so one instance serves every parse (and every thread).
    """

    # -- leaves -------------------------------------------------------------------------
    def number(self, token: Token) -> _Val:
        return _Val(_number(token), 0, frozenset(), token.start_pos)

    def name(self, token: Token) -> _Val:
        return _Val(var(str(token)), 0, frozenset(), token.start_pos)

    def const(self, token: Token) -> _Val:
        return _Val(CONSTANTS[str(token)], 0, frozenset(), token.start_pos)

    def group(self, lpar: Token, inner: _Val, rpar: Token) -> _Val:
        # Plain parentheses build no node; their nesting was already bounded before parsing.
        return _Val(inner.expr, inner.depth, inner.guards, lpar.start_pos)

    def call(self, func: Token, lpar: Token, arg: _Val, rpar: Token) -> _Val:
        return self._apply(func, arg)

    def powcall(self, func: Token, pow_token: Token, exponent: _Val, lpar, arg: _Val, rpar) -> _Val:
        exp_value = exponent.expr
        if not (exp_value.is_Integer and exp_value > 0):
            raise AnswerError(
                "syntax",
                _("write %(func)s(x)^n rather than %(func)s^n(x) unless n is a positive whole "
                   "number (%(func)s^-1 could mean the inverse function or 1/%(func)s)") % {"func": func},
                pow_token.start_pos,
            )
        return self._power(self._apply(func, arg), exponent, pow_token.start_pos)

    def supcall(self, func: Token, sup: Token, lpar, arg: _Val, rpar) -> _Val:
        exponent = _Val(sp.Integer(SUPERSCRIPTS[str(sup)]), 0, frozenset(), sup.start_pos)
        return self._power(self._apply(func, arg), exponent, sup.start_pos)

    # -- operators ----------------------------------------------------------------------
    def add(self, left: _Val, op: Token, right: _Val) -> _Val:
        return self._combine(sp.Add, (left, right))

    def sub(self, left: _Val, op: Token, right: _Val) -> _Val:
        negated = self._combine(sp.Mul, (_minus_one(right.pos), right))
        return self._combine(sp.Add, (left, negated))

    def mul(self, left: _Val, op: Token, right: _Val) -> _Val:
        return self._combine(sp.Mul, (left, right))

    def imul(self, left: _Val, right: _Val) -> _Val:
        return self._combine(sp.Mul, (left, right))

    def div(self, left: _Val, op: Token, right: _Val) -> _Val:
        if right.expr.is_zero:
            raise AnswerError("undefined", _("division by zero"), op.start_pos)
        inverse = self._combine_pow(right, _Val(sp.S.NegativeOne, 0, frozenset(), op.start_pos))
        return self._combine(sp.Mul, (left, inverse))

    def pos(self, op: Token, operand: _Val) -> _Val:
        return _Val(operand.expr, operand.depth, operand.guards, op.start_pos)

    def neg(self, op: Token, operand: _Val) -> _Val:
        value = self._combine(sp.Mul, (_minus_one(op.start_pos), operand))
        value.pos = op.start_pos
        return value

    def pow(self, base: _Val, op: Token, exponent: _Val) -> _Val:
        return self._power(base, exponent, op.start_pos)

    def sup(self, base: _Val, sup: Token) -> _Val:
        exponent = _Val(sp.Integer(SUPERSCRIPTS[str(sup)]), 0, frozenset(), sup.start_pos)
        return self._power(base, exponent, sup.start_pos)

    # -- helpers ------------------------------------------------------------------------
    def _deeper(self, inner: _Val, pos: int) -> int:
        depth = inner.depth + 1
        if depth > MAX_DEPTH:
            raise AnswerError(
                "too_deep", _("the answer is nested more than %(max_depth)s levels deep") % {"max_depth": MAX_DEPTH}, pos
            )
        return depth

    def _apply(self, func: Token, arg: _Val) -> _Val:
        depth = self._deeper(arg, func.start_pos)
        function = FUNCTIONS[str(func)]
        expr = function(arg.expr)
        guards = arg.guards
        key = _guard_key(expr)
        if key is not None:
            guards = guards | {key}
        if arg.guards and _lost_any(expr, arg.guards):
            expr = _unevaluated(function, (arg.expr,))
        return _Val(expr, depth, guards, func.start_pos)

    def _power(self, base: _Val, exponent: _Val, pos: int) -> _Val:
        _check_power_size(base.expr, exponent.expr, pos)
        depth = max(base.depth, self._deeper(exponent, pos))
        value = self._combine_pow(base, exponent)
        value.depth = depth
        return value

    def _combine_pow(self, base: _Val, exponent: _Val) -> _Val:
        if base.expr.is_zero and exponent.expr.is_negative:
            raise AnswerError("undefined", _("0 to a negative power is a division by zero"), base.pos)
        expr = sp.Pow(base.expr, exponent.expr)
        guards = base.guards | exponent.guards
        key = _guard_key(expr)
        if key is not None:
            guards = guards | {key}
        if (base.guards or exponent.guards) and _lost_any(expr, base.guards | exponent.guards):
            expr = sp.Pow(base.expr, exponent.expr, evaluate=False)
        return _Val(expr, max(base.depth, exponent.depth), guards, base.pos)

    def _combine(self, op, operands: tuple[_Val, ...]) -> _Val:
        args = tuple(v.expr for v in operands)
        expr = op(*args)
        guards = frozenset().union(*(v.guards for v in operands))
        if guards and _lost_any(expr, guards):
            expr = op(*args, evaluate=False)
        depth = max(v.depth for v in operands)
        return _Val(expr, depth, guards, operands[0].pos)


class _TreeBuilder(Builder, Transformer_NonRecursive):
    """The builder walking a whole tree without recursion: a 1,000-term sum or a run of
    signs is a chain as deep as it is long."""


class _WrittenBuilder(_TreeBuilder):
    """The expression exactly as written: no node is evaluated, so ``2(x + 1)`` stays a
    product, ``a - b`` a difference and ``0*e^x`` keeps its exponential. For checking what a
    problem asks of an answer's form, never for its value."""

    def _apply(self, func: Token, arg: _Val) -> _Val:
        expr = _unevaluated(FUNCTIONS[str(func)], (arg.expr,))
        return _Val(expr, self._deeper(arg, func.start_pos), arg.guards, func.start_pos)

    def _combine_pow(self, base: _Val, exponent: _Val) -> _Val:
        expr = sp.Pow(base.expr, exponent.expr, evaluate=False)
        return _Val(expr, max(base.depth, exponent.depth), base.guards | exponent.guards,
                    base.pos)

    def _combine(self, op, operands: tuple[_Val, ...]) -> _Val:
        expr = op(*(v.expr for v in operands), evaluate=False)
        guards = frozenset().union(*(v.guards for v in operands))
        return _Val(expr, max(v.depth for v in operands), guards, operands[0].pos)


_BUILDER = _TreeBuilder()
_WRITTEN = _WrittenBuilder()


def build(tree, *, as_written: bool = False) -> sp.Expr:
    """The sympy expression of a parse tree, with the guards (raises ``AnswerError``);
    with ``as_written``, every node unevaluated (see `_WrittenBuilder`)."""
    try:
        return (_WRITTEN if as_written else _BUILDER).transform(tree).expr
    except VisitError as exc:
        if isinstance(exc.orig_exc, AnswerError):
            raise exc.orig_exc from None
        raise


def _minus_one(pos: int) -> _Val:
    return _Val(sp.S.NegativeOne, 0, frozenset(), pos)


def _unevaluated(function, args):
    if function is sp.sqrt:
        return sp.Pow(args[0], sp.S.Half, evaluate=False)
    return function(*args, evaluate=False)


def _guard_key(expr: sp.Basic) -> tuple | None:
    """What restricts where ``expr`` (this node only) is defined, as (kind, argument)."""
    if expr.is_Pow:
        if not expr.exp.is_integer and not expr.base.is_positive:
            return ("root", expr.base)
        return None
    if isinstance(expr, sp.log):
        return ("log", expr.args[0])
    if isinstance(expr, (sp.asin, sp.acos)):
        return ("unit", expr.args[0])
    return None


def _lost_any(result: sp.Expr, guards: frozenset) -> bool:
    """True when building ``result`` simplified away a restriction of its operands
    (``sqrt(x)^2`` -> ``x``), so the node must be kept as written."""
    present = set()
    for node in sp.preorder_traversal(result):
        key = _guard_key(node)
        if key is not None:
            present.add(key)
    return not guards <= present


def _number(token: Token) -> sp.Rational:
    text = str(token)
    mantissa, _e, exponent_text = text.lower().partition("e")
    exponent = int(exponent_text) if exponent_text else 0
    if abs(exponent) > MAX_NUMBER_DIGITS:
        raise AnswerError(
            "too_large",
            _("%(text)s has an exponent of %(exponent)s; numbers are limited to "
               "%(max_number_digits)s digits") % {"text": text, "exponent": exponent, "max_number_digits": MAX_NUMBER_DIGITS},
            token.start_pos,
        )
    value = Fraction(mantissa) * Fraction(10) ** exponent
    return sp.Rational(value.numerator, value.denominator)


def _check_power_size(base: sp.Expr, exponent: sp.Expr, pos: int) -> None:
    """Refuse a power of numbers whose exact value would have too many digits.

    sympy computes ``9^387420489`` exactly if asked; the estimate is done on logarithms so
    that nothing large is ever built.
    """
    if not (base.is_Rational and exponent.is_Rational):
        if base.is_Rational and exponent.is_Number and abs(exponent) > 10**6:
            _too_large(pos)
        return
    if base.is_zero or abs(base) == 1 or exponent.is_zero:
        return
    size = max(abs(base.p), base.q)
    digits = abs(float(exponent)) * math.log10(size) if size > 1 else 0.0
    if not math.isfinite(digits) or digits > MAX_NUMBER_DIGITS:
        _too_large(pos)


def _too_large(pos: int) -> None:
    raise AnswerError(
        "too_large",
        _("this power is too large to compute (more than %(max_number_digits)s digits)") % {"max_number_digits": MAX_NUMBER_DIGITS},
        pos,
    )


def check_defined(expr: sp.Expr) -> None:
    if expr.has(sp.S.ComplexInfinity, sp.S.NaN, sp.S.Infinity, sp.S.NegativeInfinity):
        raise AnswerError(
            "undefined", _("the expression is undefined (a division by zero or log(0)?)"), None
        )
    if expr.has(sp.S.ImaginaryUnit):
        raise AnswerError(
            "undefined",
            _("the expression is not a real number (a square root or log of a negative "
               "number?)"),
            None,
        )
