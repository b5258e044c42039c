"""LaTeX and presentation MathML for parsed expressions.

Expressions only ever contain whitelisted functions and variables named with letters, digits
and ``_``, so neither printer can be made to emit markup; MathML text also goes through the
DOM, which escapes it.
"""

from __future__ import annotations

import html.entities
import re
from functools import lru_cache
from xml.sax.saxutils import escape

import sympy as sp
from sympy.printing.latex import LatexPrinter, _between_two_numbers_p
from sympy.printing.mathml import MathMLPresentationPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.simplify import fraction

from app.cas import plain
from app.cas.plain import factor_order, natural_order, ordered_terms
from app.cas.spoken import expression_words, labelled

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_]*\Z")
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"lt", "gt", "amp", "quot", "apos"})


def _factor_order(product: sp.Expr) -> list[sp.Expr]:
    """The factors of a product as students and textbooks write them: sympy puts sums first,
    "(1 - σ(x)) σ(x)", "log(1 - ŷ) (1 - t)"; people write numbers first, then
    `plain.factor_order`: "σ(x) (1 - σ(x))", "(1 - t) log(1 - ŷ)"."""
    factors = product.as_ordered_factors()
    numbers = [f for f in factors if f.is_Number]
    return numbers + factor_order([f for f in factors if not f.is_Number])


class _Latex(LatexPrinter):
    def __init__(self, textbook: bool = False):
        super().__init__()
        self._textbook = textbook

    def _as_ordered_terms(self, expr, order=None):
        if (order or self.order) is None and expr.is_Add:
            return ordered_terms(expr)
        return natural_order(super()._as_ordered_terms(expr, order))

    def _print_Mul(self, expr):
        # sympy's own printer takes the factor order from the product; this one puts sums
        # last and otherwise prints as sympy does (signs, fractions, number separators).
        args = expr.args
        if args[0] is sp.S.One or any(isinstance(arg, sp.Number) for arg in args[1:]):
            return super()._print_Mul(expr)  # an unevaluated product: keep it as written
        if expr.could_extract_minus_sign():
            positive = -expr
            body = self._print(positive)
            return f"- ({body})" if positive.is_Add else f"- {body}"
        numer, denom = fraction(expr, exact=True)
        if denom is sp.S.One and sp.Pow(1, -1, evaluate=False) not in expr.args:
            return self._factors(expr)
        return rf"\frac{{{self._factors(numer)}}}{{{self._factors(denom)}}}"

    def _factors(self, expr) -> str:
        if not expr.is_Mul:
            return str(self._print(expr))
        separator = self._settings["mul_symbol_latex"]
        numbersep = self._settings["mul_symbol_latex_numbers"]
        factors = _factor_order(expr)
        tex = last = ""
        for index, factor in enumerate(factors):
            term = self._print(factor)
            if self._needs_mul_brackets(factor, first=index == 0,
                                        last=index == len(factors) - 1):
                term = rf"\left({term}\right)"
            if _between_two_numbers_p[0].search(last) and _between_two_numbers_p[1].match(term):
                tex += numbersep
            elif tex:
                tex += separator
            tex += term
            last = term
        return tex

    def _print_Add(self, expr, order=None):
        # Textbook mode: a sum of negative log terms is a negated sum, as losses are written:
        # -(t log ŷ + (1 - t) log(1 - ŷ)), not -t log ŷ - (1 - t) log(1 - ŷ).
        if self._textbook and len(expr.args) > 1 and all(
            term.could_extract_minus_sign() and term.has(sp.log) for term in expr.args
        ):
            return r"-\left(" + super()._print_Add(-expr, order) + r"\right)"
        return super()._print_Add(expr, order)

    def _print_Symbol(self, expr, style="plain"):
        if expr.name == "yhat":
            return r"\hat{y}"
        return super()._print_Symbol(expr, style)


class _MathML(MathMLPresentationPrinter):
    def _as_ordered_terms(self, expr, order=None):
        if (order or self.order) is None and expr.is_Add:
            return ordered_terms(expr)
        return natural_order(super()._as_ordered_terms(expr, order))

    def _print_Mul(self, expr):
        # As sympy's, with the factors in the order people write them (sums last).
        mrow = self.dom.createElement("mrow")
        if expr.could_extract_minus_sign():
            mrow.appendChild(self._operator("-"))
            expr = -expr
        numer, denom = fraction(expr)
        if denom is not sp.S.One:
            frac = self.dom.createElement("mfrac")
            frac.appendChild(self._print(numer))
            frac.appendChild(self._print(denom))
            mrow.appendChild(frac)
            return mrow
        coeff, terms = expr.as_coeff_mul()
        if coeff is sp.S.One and len(terms) == 1:
            mrow.appendChild(self._print(terms[0]))
            return mrow
        times = self.mathml_tag(expr)
        if coeff != 1:
            mrow.appendChild(self._print(coeff))
            mrow.appendChild(self._operator(times))
        factors = _factor_order(sp.Mul._from_args(terms))
        for index, factor in enumerate(factors):
            if index:
                mrow.appendChild(self._operator(times))
            mrow.appendChild(self.parenthesize(factor, PRECEDENCE["Mul"]))
        return mrow

    def _operator(self, text: str):
        node = self.dom.createElement("mo")
        node.appendChild(self.dom.createTextNode(text))
        return node

    def _print_Symbol(self, sym, style="plain"):
        if not _PLAIN_NAME.match(sym.name):
            # sympy writes text nodes without escaping them (to let its entities through),
            # so a name is escaped here; the parser only makes [A-Za-z0-9_] names anyway.
            sym = sp.Symbol(escape(sym.name, {'"': "&quot;"}), **sym.assumptions0)
        if sym.name == "yhat":
            node = self.dom.createElement("mover")
            node.setAttribute("accent", "true")
            base = self.dom.createElement("mi")
            base.appendChild(self.dom.createTextNode("y"))
            hat = self.dom.createElement("mo")
            hat.appendChild(self.dom.createTextNode("^"))
            node.appendChild(base)
            node.appendChild(hat)
            return node
        return super()._print_Symbol(sym, style)


# sympy's printers take a millisecond or more per expression, and the same expressions come
# back all the time: the expected expression with every answer to it, the answers most of a
# class types. Printing is a pure function of the (immutable) expression, so it is cached.
_CACHE_SIZE = 2048


def to_latex(expr: sp.Expr, textbook: bool = False) -> str:
    """LaTeX for ``expr``: ``\\sigma\\left(x\\right)`` for the sigmoid, ``\\hat{y}`` for yhat.

    ``textbook`` is for the engine's own expressions (prompts, worked solutions): a sum of
    negative log terms (a loss) is printed as a negated sum.
    """
    if isinstance(expr, sp.Basic):
        return _latex(expr, textbook)
    return _print_latex(expr, textbook)


def to_mathml(expr: sp.Expr) -> str:
    """Presentation MathML for ``expr``, as a complete ``<math>`` element with the formula in
    plain words as its ``alttext`` and ``aria-label``."""
    return _mathml(expr) if isinstance(expr, sp.Basic) else _print_mathml(expr)


def _print_latex(expr, textbook: bool = False) -> str:
    return _Latex(textbook).doprint(expr)


def _print_mathml(expr) -> str:
    body = _MathML().doprint(expr)
    markup = f'<math xmlns="{MATHML_NS}">{_ENTITY.sub(_numeric_entity, body)}</math>'
    # The formula in plain words for screen readers ("sigma of x times …"), as alttext and
    # aria-label of the element.
    return labelled(markup, expression_words(expr))


_latex = lru_cache(maxsize=_CACHE_SIZE)(_print_latex)
_mathml = lru_cache(maxsize=_CACHE_SIZE)(_print_mathml)


def clear_caches() -> None:
    """Forget every printed expression (benchmarks measure printing from scratch this way)."""
    _latex.cache_clear()
    _mathml.cache_clear()
    plain.clear_caches()


def _numeric_entity(match: re.Match) -> str:
    """sympy writes HTML entities (``&InvisibleTimes;``); XML only knows five, so the rest
    become character references and the output parses as XML as well as HTML."""
    name = match.group(1)
    if name in _XML_ENTITIES:
        return match.group(0)
    text = html.entities.html5.get(name + ";")
    if text is None:
        return match.group(0)
    return "".join(f"&#x{ord(char):x};" for char in text)
