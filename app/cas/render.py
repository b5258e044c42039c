"""LaTeX and presentation MathML for parsed expressions.

Expressions only ever contain whitelisted functions and variables named with letters, digits
and ``_``, so neither printer can be made to emit markup; MathML text also goes through the
DOM, which escapes it.
"""

from __future__ import annotations

import html.entities
import re
import threading
from xml.sax.saxutils import escape

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.mathml import MathMLPresentationPrinter

from app.cas.plain import factor_order, natural_order

MATHML_NS = "http://www.w3.org/1998/Math/MathML"
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_]*\Z")
_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]*);")
_XML_ENTITIES = frozenset({"lt", "gt", "amp", "quot", "apos"})

# Sympy orders the factors of a product with sums first: "(1 - σ(x)) σ(x)", "log(1 - ŷ)
# (1 - t)". Students and textbooks write "σ(x) (1 - σ(x))" and "(1 - t) log(1 - ŷ)"
# (`factor_order`). The LaTeX printer asks the product itself for its factor order, so the
# reordering is switched on, per thread, only while this module prints.
_state = threading.local()
_original_ordered_factors = sp.Mul.as_ordered_factors


def _ordered_factors(self, order=None):
    factors = _original_ordered_factors(self, order)
    if getattr(_state, "sums_last", False):
        numbers = [f for f in factors if f.is_Number]
        factors = numbers + factor_order([f for f in factors if not f.is_Number])
    return factors


sp.Mul.as_ordered_factors = _ordered_factors


class _Latex(LatexPrinter):
    def _as_ordered_terms(self, expr, order=None):
        return natural_order(super()._as_ordered_terms(expr, order))

    def _print_Add(self, expr, order=None):
        # Textbook mode: a sum of negative log terms is a negated sum, as losses are written:
        # -(t log ŷ + (1 - t) log(1 - ŷ)), not -t log ŷ - (1 - t) log(1 - ŷ).
        if getattr(_state, "textbook", False) and len(expr.args) > 1 and all(
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


def to_latex(expr: sp.Expr, textbook: bool = False) -> str:
    """LaTeX for ``expr``: ``\\sigma\\left(x\\right)`` for the sigmoid, ``\\hat{y}`` for yhat.

    ``textbook`` is for the engine's own expressions (prompts, worked solutions): a sum of
    negative log terms (a loss) is printed as a negated sum.
    """
    _state.sums_last = True
    _state.textbook = textbook
    try:
        return _Latex().doprint(expr)
    finally:
        _state.sums_last = False
        _state.textbook = False


def ordered_terms(expr: sp.Expr) -> list[sp.Expr]:
    """The terms of a sum in the order the LaTeX printer shows them."""
    return _Latex()._as_ordered_terms(expr)


def to_mathml(expr: sp.Expr) -> str:
    """Presentation MathML for ``expr``, as a complete ``<math>`` element."""
    _state.sums_last = True
    try:
        body = _MathML().doprint(expr)
    finally:
        _state.sums_last = False
    return f'<math xmlns="{MATHML_NS}">{_ENTITY.sub(_numeric_entity, body)}</math>'


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
