"""LaTeX pieces for worked solutions: derivative operators, primes and products.

The steps show expressions the way they are substituted (``0 \\cdot (1 + e^{-x})``),
which sympy would evaluate away, so equations are assembled from rendered pieces.
"""

from __future__ import annotations

import sympy as sp

from app.cas.derivation.tidy import arrange_signs
from app.cas.render import to_latex
from app.cas.sigmoid import sigmoid


def tex(expr: sp.Expr) -> str:
    """The engine's own expression as a textbook writes it: -1/(1 - ŷ), not 1/(ŷ - 1)."""
    return to_latex(arrange_signs(sp.sympify(expr)), textbook=True)


def needs_parentheses(expr: sp.Expr, first: bool = False) -> bool:
    """Whether `expr` must be bracketed as a factor of a product."""
    expr = sp.sympify(expr)
    if expr.is_Add:
        return True
    return bool(not first and expr.could_extract_minus_sign())


def factor(expr: sp.Expr, first: bool = False) -> str:
    body = tex(expr)
    return rf"\left({body}\right)" if needs_parentheses(expr, first) else body


def times(*factors: sp.Expr | str) -> str:
    """`a \\cdot b \\cdot ...`, each factor bracketed where it needs it.

    A factor given as a string is already rendered and kept as is.
    """
    pieces = []
    for index, item in enumerate(factors):
        pieces.append(item if isinstance(item, str) else factor(item, first=index == 0))
    return r" \cdot ".join(pieces)


def d(expr: sp.Expr, wrt: sp.Symbol) -> str:
    """d/dx applied to `expr`."""
    body = tex(expr)
    operator = rf"\frac{{d}}{{d{tex(wrt)}}}"
    if expr.is_Symbol or isinstance(expr, sp.Function):
        return rf"{operator} {body}"
    return rf"{operator}\left({body}\right)"


def prime(outer, inner: sp.Expr, exponent=None) -> str:
    """F'(u) for the chain rule's outer function, u rendered as given."""
    argument = tex(inner)
    if outer is None:
        return rf"\left.\frac{{d}}{{du}}\,u^{{{tex(exponent)}}}\right|_{{u = {argument}}}"
    if outer is sigmoid:
        return rf"\sigma'\left({argument}\right)"
    if outer is sp.exp:
        return rf"\exp'\left({argument}\right)"
    name = tex(outer(sp.Symbol("u")))
    return rf"\left.\frac{{d}}{{du}} {name}\right|_{{u = {argument}}}"


def equation(*sides: str) -> str:
    return " = ".join(sides)
