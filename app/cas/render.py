"""LaTeX and presentation MathML for parsed expressions.

Expressions only ever contain whitelisted functions and variables named with letters, digits
and ``_``, so neither printer can be made to emit markup; MathML text also goes through the
DOM, which escapes it.
"""

from __future__ import annotations

import html.entities
import re
import threading
from functools import lru_cache
from xml.sax.saxutils import escape

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.mathml import MathMLPresentationPrinter

from app.cas import plain
from app.cas.plain import natural_order, ordered_terms

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_]*\Z")
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"lt", "gt", "amp", "quot", "apos"})

# Sympy orders the factors of a product with sums first: "(1 - σ(x)) σ(x)". Students (and
# the contract's examples) write the sums last: "σ(x) (1 - σ(x))". The LaTeX printer asks
# the product itself for its factor order, so the reordering is switched on, per thread, only
# while this module prints.
_state = threading.local()
_original_ordered_factors = sp.Mul.as_ordered_factors


def _ordered_factors(self, order=None):
    factors = _original_ordered_factors(self, order)
    if getattr(_state, "sums_last", False):
        factors = sorted(factors, key=lambda factor: bool(factor.is_Add))
    return factors


sp.Mul.as_ordered_factors = _ordered_factors


class _Latex(LatexPrinter):
    def _as_ordered_terms(self, expr, order=None):
        if (order or self.order) is None and expr.is_Add:
            return ordered_terms(expr)
        return natural_order(super()._as_ordered_terms(expr, order))

    def _print_Symbol(self, expr, style="plain"):
        if expr.name == "yhat":
            return r"\hat{y}"
        return super()._print_Symbol(expr, style)


class _MathML(MathMLPresentationPrinter):
    def _as_ordered_terms(self, expr, order=None):
        if (order or self.order) is None and expr.is_Add:
            return ordered_terms(expr)
        return natural_order(super()._as_ordered_terms(expr, order))

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


def to_latex(expr: sp.Expr) -> str:
    """LaTeX for ``expr``: ``\\sigma\\left(x\\right)`` for the sigmoid, ``\\hat{y}`` for yhat."""
    return _latex(expr) if isinstance(expr, sp.Basic) else _print_latex(expr)


def to_mathml(expr: sp.Expr) -> str:
    """Presentation MathML for ``expr``, as a complete ``<math>`` element."""
    return _mathml(expr) if isinstance(expr, sp.Basic) else _print_mathml(expr)


def _print_latex(expr) -> str:
    _state.sums_last = True
    try:
        return _Latex().doprint(expr)
    finally:
        _state.sums_last = False


def _print_mathml(expr) -> str:
    _state.sums_last = True
    try:
        body = _MathML().doprint(expr)
    finally:
        _state.sums_last = False
    return f'<math xmlns="{MATHML_NS}">{_ENTITY.sub(_numeric_entity, body)}</math>'


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
