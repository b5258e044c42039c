"""An answer in plain answer syntax as typed, with each implicit reading spelt out: every
product written ``*``, and parentheses where the reading is not what ``*`` and ``/`` would
give (`1/2x` is ``1/(2*x)``, `e^-2x` is ``e^(-2)*x``, `sin^2(x)` is ``sin(x)^2``).

The student's numbers, names and function spellings stay as typed (``0.1966``, ``ln``,
``σ``), and the result parses back to the same expression. See `as_typed` for the MathML.
"""

from __future__ import annotations

from lark import Tree

from app.cas.parse.as_typed import _left_chain, _signs
from app.cas.parse.tokens import SUPERSCRIPTS

# Binding strength of what a subtree prints as.
_SUM, _PRODUCT, _POWER, _ATOM = 1, 2, 4, 5


def plain(tree: Tree) -> str:
    return _plain(tree)[0]


def _wrap(tree, least: int) -> str:
    text, strength = _plain(tree)
    return f"({text})" if strength < least else text


def _plain(tree) -> tuple[str, int]:
    kind = tree.data
    children = tree.children
    if kind in ("number", "name", "const"):
        return str(children[0]), _ATOM
    if kind == "group":
        return f"({_plain(children[1])[0]})", _ATOM
    if kind == "call":
        return f"{children[0]}({_plain(children[2])[0]})", _ATOM
    if kind == "powcall":
        return f"{children[0]}({_plain(children[4])[0]})^{_wrap(children[2], _ATOM)}", _POWER
    if kind == "supcall":
        return f"{children[0]}({_plain(children[3])[0]})^{SUPERSCRIPTS[str(children[1])]}", _POWER
    if kind == "sup":
        return f"{_wrap(children[0], _ATOM)}^{SUPERSCRIPTS[str(children[1])]}", _POWER
    if kind == "pow":
        # A power's exponent is one factor (`e^2x` is e^2*x); a signed or compound one is
        # bracketed so that the reading shows.
        return f"{_wrap(children[0], _ATOM)}^{_wrap(children[2], _POWER)}", _POWER
    if kind in ("neg", "pos"):
        signs, operand = _signs(tree)
        prefix = "".join("-" if sign == "neg" else "+" for sign in signs)
        # A sign takes a whole implicit product (`-2x` is -(2x)); written with `*` the
        # product is the same, so no parentheses are needed.
        return prefix + _wrap(operand, _PRODUCT), _PRODUCT
    if kind in ("add", "sub"):
        first, *rest = _left_chain(tree, frozenset({"add", "sub"}))
        text = _plain(first)[0]
        for op, operand in rest:
            text += (" + " if op.type == "PLUS" else " - ") + _wrap(operand, _PRODUCT)
        return text, _SUM
    if kind == "imul":
        first, *rest = _left_chain(tree, frozenset({"imul"}))
        return "*".join([_wrap(first, _POWER), *(_wrap(f, _POWER) for _, f in rest)]), _PRODUCT
    first, *rest = _left_chain(tree, frozenset({"mul", "div"}))
    text = _wrap(first, _PRODUCT)
    for op, operand in rest:
        if op.type == "DIV":
            # Implicit products bind tighter than `/` (`1/2x` is 1/(2x)): once written with
            # `*`, such a divisor needs its parentheses.
            text += "/" + _divisor(operand)
        else:
            text += "*" + _wrap(operand, _PRODUCT)
    return text, _PRODUCT


def _divisor(tree) -> str:
    text, strength = _plain(tree)
    if strength <= _PRODUCT and not (isinstance(tree, Tree) and tree.data in ("neg", "pos")
                                     and _plain(_signs(tree)[1])[1] > _PRODUCT):
        return f"({text})"
    return text
