"""Canonical plain-text form of an expression, in the answer syntax of the contract.

This is what the preview shows as "we read your answer as ...", so it must be readable by a
student and must parse back to the very same expression: powers use ``^``, multiplication is
always an explicit ``*`` (never juxtaposition, whose precedence is a choice students may not
share), ``e`` not ``E``, ``abs`` not ``Abs``, ``sigma`` for the sigmoid.
"""

from __future__ import annotations

from functools import lru_cache

import sympy as sp

from app.cas.symbols import PLAIN_NAMES

_ADD = 10
_MUL = 20
_NEG = 25  # a leading minus: binds like a product, looser than a power
_POW = 30
_ATOM = 40


def to_plain(expr: sp.Expr) -> str:
    """``expr`` in the contract's syntax; ``parse(to_plain(e)) == e`` for parsed expressions.
    Cached: a pure function of an immutable expression, asked for again and again."""
    return _plain(expr) if isinstance(expr, sp.Basic) else _Printer().text(expr)


@lru_cache(maxsize=2048)
def _plain(expr: sp.Basic) -> str:
    return _Printer().text(expr)


def clear_caches() -> None:
    _plain.cache_clear()
    _sympy_order.cache_clear()


class _Printer:
    # Set while printing what follows a leading minus, where a sum must not come first.
    _sums_last = False

    def text(self, expr: sp.Basic) -> str:
        return self._print(expr)[0]

    def _wrap(self, expr: sp.Basic, min_prec: int) -> str:
        text, prec = self._print(expr)
        return f"({text})" if prec < min_prec else text

    def _print(self, expr: sp.Basic) -> tuple[str, int]:
        if expr.is_Integer:
            return (str(expr.p), _ATOM) if expr.p >= 0 else (str(expr.p), _NEG)
        if expr.is_Rational:
            text = f"{abs(expr.p)}/{expr.q}"
            return (text, _MUL) if expr.p > 0 else ("-" + text, _NEG)
        if expr is sp.E:
            return "e", _ATOM
        if expr is sp.pi:
            return "pi", _ATOM
        if expr.is_Symbol:
            return expr.name, _ATOM
        if expr.is_Add:
            return self._add(expr), _ADD
        if expr.is_Mul:
            return self._mul(expr)
        if expr.is_Pow:
            return self._pow(expr)
        if isinstance(expr, sp.exp):
            return f"exp({self.text(expr.args[0])})", _ATOM
        name = PLAIN_NAMES.get(expr.func)
        if name is not None and len(expr.args) == 1:
            return f"{name}({self.text(expr.args[0])})", _ATOM
        raise ValueError(f"{type(expr).__name__} has no plain-text form in the answer syntax")

    def _add(self, expr: sp.Add) -> str:
        terms = ordered_terms(expr) if _is_evaluated(expr) else list(expr.args)
        parts: list[str] = []
        for index, term in enumerate(terms):
            negative = _is_negative_term(term)
            body = self._wrap(-term if negative else term, _MUL) if negative else None
            if index == 0 and negative:
                self._sums_last, before = True, self._sums_last
                try:
                    body = self._wrap(-term, _MUL)
                finally:
                    self._sums_last = before
                parts.append("-" + body)
            elif index == 0:
                parts.append(self._wrap(term, _ADD + 1))
            else:
                parts.append(" - " + body if negative else " + " + self._wrap(term, _ADD + 1))
        return "".join(parts)

    def _mul(self, expr: sp.Mul) -> tuple[str, int]:
        if not _is_evaluated(expr):
            text = "*".join(self._wrap(arg, _MUL + 1) for arg in expr.args)
            return text, _MUL
        coeff, factors = expr.as_coeff_mul()
        if coeff != 1 and _would_distribute(coeff, factors):
            # "3*(x + 1)/y" would read back as (3x + 3)/y: sympy distributes a number over
            # a sum when it multiplies the two alone. Grouping the rest keeps the structure.
            rest = self.text(sp.Mul(*factors))
            if coeff == -1:
                return f"-({rest})", _NEG
            return f"{self._print(coeff)[0]}*({rest})", (_NEG if coeff < 0 else _MUL)
        if coeff.is_negative:
            text, _ = self._mul_positive(-coeff, factors, negated=True)
            return "-" + text, _NEG
        return self._mul_positive(coeff, factors)

    def _mul_positive(
        self, coeff: sp.Rational, factors: tuple[sp.Expr, ...], negated: bool = False
    ) -> tuple[str, int]:
        numerator: list[sp.Expr] = []
        denominator: list[sp.Expr] = []
        for factor in factors:
            if factor.is_Pow and factor.exp.is_Rational and factor.exp.is_negative:
                denominator.append(sp.Pow(factor.base, -factor.exp))
            else:
                numerator.append(factor)
        if coeff == 1 and not negated and not self._sums_last:
            numerator = factor_order(numerator)
        else:
            # Sums last: a number or a minus sign before a sum would be multiplied into it
            # when the text is read back ("-(1 - t)*x" reads as (t - 1)*x).
            numerator.sort(key=lambda f: f.is_Add)
        num_parts = [self._wrap(f, _MUL + 1) for f in numerator]
        if coeff.p != 1 or not num_parts:
            num_parts.insert(0, str(coeff.p))
        den_parts = [self._wrap(f, _MUL + 1) for f in denominator]
        if coeff.q != 1:
            den_parts.insert(0, str(coeff.q))
        text = "*".join(num_parts)
        if not den_parts:
            return text, (_MUL if len(num_parts) > 1 else self._print_single(numerator, coeff))
        if len(den_parts) == 1:
            single = denominator[0] if denominator else sp.Integer(coeff.q)
            return f"{text}/{self._wrap(single, _POW)}", _MUL
        return f"{text}/({'*'.join(den_parts)})", _MUL

    def _print_single(self, numerator: list[sp.Expr], coeff: sp.Rational) -> int:
        if numerator and coeff == 1:
            return self._print(numerator[0])[1]
        return _ATOM

    def _pow(self, expr: sp.Pow) -> tuple[str, int]:
        base, exp = expr.args
        if exp is sp.S.Half and _is_evaluated(expr):
            return f"sqrt({self.text(base)})", _ATOM
        if exp.is_Rational and exp.is_negative and _is_evaluated(expr):
            return f"1/{self._wrap(sp.Pow(base, -exp), _POW)}", _MUL
        base_text = self._wrap(base, _ATOM)
        exp_text = self._wrap(exp, _ATOM)
        return f"{base_text}^{exp_text}", _POW


@lru_cache(maxsize=4096)
def _sympy_order(expr: sp.Add) -> tuple[sp.Expr, ...]:
    return tuple(expr.as_ordered_terms())


def ordered_terms(expr: sp.Add) -> list[sp.Expr]:
    """The terms of a sum in the order all three printers show them: sympy's order (slow to
    compute, so cached per sum: the expected expression and its answers share most sums)
    with ``natural_order`` applied."""
    return natural_order(list(_sympy_order(expr)))


def natural_order(terms: list[sp.Expr]) -> list[sp.Expr]:
    """Sympy's term order, except where people write two terms the other way round:
    "sigma(z) - t" rather than "-t + sigma(z)", "1 + e^(-x)" rather than "e^(-x) + 1", and
    "2*w + b" or "w_1*x_1 + w_2*x_2 + b" rather than "b + 2*w". Shared by the plain, LaTeX and MathML printers so the
    preview and the verdict show one reading."""
    if len(terms) > 2:
        # w_1*x_1 + w_2*x_2 + b: in a linear form the lone variable (the bias) comes last.
        lone = [t for t in terms if t.is_Symbol]
        if len(lone) == 1 and all(t.is_Symbol or (t.is_Mul and not _is_negative_term(t))
                                  for t in terms):
            return [t for t in terms if not t.is_Symbol] + lone
        return list(terms)
    if len(terms) < 2:
        return list(terms)
    first, second = terms
    # A subtracted fraction stays first, as in the textbook "-t/yhat + (1-t)/(1-yhat)".
    if (_is_negative_term(first) and not _is_negative_term(second)
            and not any(p.exp.is_negative for p in (-first).atoms(sp.Pow))):
        return [second, first]
    if second.is_Number and second.is_positive and not first.is_polynomial():
        return [second, first]  # 1 + e^(-x), 1 + sigma(x): the constant leads
    if first.is_Symbol and second.is_Mul and not _is_negative_term(second):
        return [second, first]  # w*x + b: the bias comes last
    return list(terms)


def factor_order(factors: list[sp.Expr]) -> list[sp.Expr]:
    """The factors of a product in the order a textbook writes them: plain factors, then
    sums free of functions (the coefficient 1 - t), then functions, then sums of functions:
    "(1 - t)*log(1 - yhat)", "x*(sigma(z) - t)", "sigma(x)*(1 - sigma(x))*(1 - 2*sigma(x))"."""
    return sorted(factors, key=_factor_key)


def _factor_key(factor: sp.Expr) -> tuple[int, int, int]:
    base = factor.base if factor.is_Pow and factor.exp.is_Integer else factor
    functional = bool(base.atoms(sp.Function))
    # Among sums or functions the shorter first: (1 - σ) before (1 - 2σ).
    size = sp.count_ops(base) if functional or base.is_Add else 0
    return (int(functional), int(bool(base.is_Add)), size)


def _would_distribute(coeff: sp.Rational, factors: tuple[sp.Expr, ...]) -> bool:
    """Whether printing ``coeff*factors`` flat would read back as a different tree.

    Reading left to right, the number meets the first numerator factor alone; sympy then
    distributes it when that factor is a sum. Sums are printed last, so that happens exactly
    when every numerator factor is a sum (``3*(x + 1)/y``, not ``3*sigma(x)*(1 - sigma(x))``).
    """
    numerator = [f for f in factors
                 if not (f.is_Pow and f.exp.is_Rational and f.exp.is_negative)]
    if numerator and all(f.is_Add for f in numerator):
        return True
    for factor in factors:
        if coeff.q != 1 and factor.is_Pow and factor.exp.is_negative and factor.base.is_Add:
            return True
    return False


def _is_negative_term(term: sp.Expr) -> bool:
    if term.is_Number:
        return bool(term.is_negative)
    if term.is_Mul and _is_evaluated(term):
        coeff = term.as_coeff_Mul()[0]
        return bool(coeff.is_negative)
    return False


def _is_evaluated(expr: sp.Basic) -> bool:
    """False for the few nodes the parser keeps unevaluated (see the "Syntax decisions" of app.cas.parse)."""
    return expr.func(*expr.args) == expr
