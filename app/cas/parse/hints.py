"""Readings a student may not have meant: valid answers whose text commonly means something
else to the person who typed it. Shown beside the reading, never instead of it.

- ``e^-2x`` is e^(-2)·x, because a power takes one factor (contract section 1); almost
  everyone who types it means e^(-2x). The same for ``e^2x`` and ``e^-xy``.
"""

from __future__ import annotations

from dataclasses import dataclass

from lark import Token, Tree

from app.cas.i18n import _


@dataclass(frozen=True)
class Hint:
    code: str
    message: str
    position: int | None = None


def _tokens(tree) -> list[Token]:
    return list(tree.scan_values(lambda value: isinstance(value, Token)))


def _span(tree) -> tuple[int, int]:
    tokens = _tokens(tree) if isinstance(tree, Tree) else [tree]
    return tokens[0].start_pos, tokens[-1].end_pos


def _rightmost(tree):
    while isinstance(tree, Tree) and tree.data == "imul":
        tree = tree.children[-1]
    return tree


def _simple_exponent(tree) -> bool:
    """A number, a name or a constant, with any signs: what a power takes from `e^-2x`."""
    while isinstance(tree, Tree) and tree.data in ("neg", "pos"):
        tree = tree.children[1]
    return isinstance(tree, Tree) and tree.data in ("number", "name", "const")


def _letters(tree) -> bool:
    """A factor that reads as part of the exponent when typed against it: a variable or a
    constant, or a power of one (`e^-2x^2`)."""
    if isinstance(tree, Tree) and tree.data in ("pow", "sup"):
        tree = tree.children[0]
    return isinstance(tree, Tree) and tree.data in ("name", "const")


def _power_of_e(tree) -> bool:
    if not (isinstance(tree, Tree) and tree.data == "pow"):
        return False
    base = tree.children[0]
    return (isinstance(base, Tree) and base.data == "const" and str(base.children[0]) == "e"
            and _simple_exponent(tree.children[2]))


def exponent_hints(text: str, tree: Tree) -> list[Hint]:
    hints = []
    for node in tree.iter_subtrees():
        if node.data != "imul":
            continue
        power, factor = _rightmost(node.children[0]), node.children[1]
        if not (_power_of_e(power) and _letters(factor)):
            continue
        exponent = power.children[2]
        start, end = _span(exponent)
        factor_start, factor_end = _span(factor)
        if factor_start != end:
            continue  # `e^-2 x`, with a space: typed apart on purpose
        typed = text[_span(power)[0]:factor_end]
        meant = f"e^({text[start:factor_end]})"
        exponent_text = text[start:end]
        if exponent_text[:1] in "+-−":
            exponent_text = f"({exponent_text})"
        read_as = f"e^{exponent_text}·{text[factor_start:factor_end]}"
        hints.append(Hint(
            "exponent",
            _("%(typed)s is read as %(read_as)s: a power takes only the factor right after "
               "it. Did you mean %(meant)s?") % {"typed": typed, "read_as": read_as, "meant": meant},
            power.children[1].start_pos,
        ))
    return sorted(hints, key=lambda hint: hint.position or 0)


def hints(text: str, tree: Tree) -> list[Hint]:
    """Every hint about how `text` (parsed into `tree`) was read, in text order."""
    return exponent_hints(text, tree)
