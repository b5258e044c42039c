"""Worked solutions: the derivation methods a template can ask for.

- ``rules``: the standard rules on the function as written, σ' known (sigmoid rule).
- ``quotient``: σ(u) written as 1/(1 + e^(-u)) and differentiated by the quotient rule,
  then the add-and-subtract-1 trick back to σ(u)(1 - σ(u)), as in the classic derivation.
- ``chain``: σ(u) written as (1 + e^(-u))^(-1) and differentiated by the chain rule with
  the power rule outside, then the same trick.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp

from app.cas.derivation import latex as tx
from app.cas.derivation.steps import Narrator, Step, reserved_names
from app.cas.derivation.tidy import tidy
from app.cas.derivation.tree import Node, chain_node, differentiate, quotient_node
from app.cas.derivation.wording import say
from app.cas.i18n import N_, _
from app.cas.sigmoid import sigmoid

METHODS: dict[str, str] = {
    "rules": N_("Standard rules"),
    "quotient": N_("Quotient rule"),
    "chain": N_("Chain rule"),
}

# Methods that work on the exponential form of a sigmoid, and so need f = σ(u).
SIGMOID_METHODS = frozenset({"quotient", "chain"})


class MethodError(ValueError):
    """A method that does not apply to the function it was asked for."""


@dataclass(frozen=True)
class Final:
    """The form the solution ends in, when the template names one, and why it is equal."""

    expr: sp.Expr
    note: str


@dataclass(frozen=True)
class Derivation:
    method: str
    function: sp.Expr
    wrt: sp.Symbol
    tree: Node
    steps: tuple[Step, ...]
    result: sp.Expr

    @property
    def title(self) -> str:
        return _(METHODS[self.method])


def derive(
    function: sp.Expr,
    wrt: sp.Symbol,
    method: str = "rules",
    final: Final | None = None,
    rewrite: Final | None = None,
) -> Derivation:
    """The worked solution of d/d`wrt` `function` by `method`.

    `rewrite` is an equal form of the function differentiated instead (say -log(p) as
    z - log(Σ e^z)), `final` the form the answer is brought to at the end.
    """
    if method not in METHODS:
        raise MethodError(f"unknown method {method!r}; known: {', '.join(METHODS)}")
    narrator = Narrator(wrt, reserved_names(function))
    if method == "rules":
        target = None if final is None else final.expr
        tree, value = _by_rules(narrator, function, wrt, rewrite, target)
    else:
        if not isinstance(function, sigmoid):
            raise MethodError(f"the {method!r} method needs a function of the form sigma(...)")
        tree, value = _by_exponential_form(narrator, function, wrt, method)
    if final is not None and sp.srepr(final.expr) != sp.srepr(value):
        narrator.add(
            "Rewrite",
            final.note,
            tx.equation(narrator.d(function), tx.tex(final.expr)),
            narrator.D(function),
            final.expr,
        )
        value = final.expr
    elif final is not None:
        # The simplification ended in the final form itself: its note says what it means.
        last = narrator.steps[-1]
        narrator.steps[-1] = replace(last, text=f"{last.text} {final.note}")
    return Derivation(method, function, wrt, tree, tuple(narrator.steps), value)


def _by_rules(narrator: Narrator, function, wrt, rewrite: Final | None, target=None):
    shown = function
    if rewrite is not None:
        narrator.add(
            "Rewrite",
            rewrite.note,
            tx.equation(tx.tex(function), tx.tex(rewrite.expr)),
            function,
            rewrite.expr,
        )
        function = rewrite.expr
    tree = differentiate(function, wrt)
    value = narrator.explain(tree, top=True, shown=shown, target=target)
    return tree, value


def _by_exponential_form(narrator: Narrator, function: sigmoid, wrt, method: str):
    inner = function.args[0]
    denominator = 1 + sp.exp(-inner)
    if method == "quotient":
        exponential = 1 / denominator
        written = tx.tex(exponential)
        tree = quotient_node(sp.S.One, denominator, wrt)
    else:
        exponential = denominator**-1
        written = rf"\left({tx.tex(denominator)}\right)^{{-1}}"
        tree = chain_node(None, denominator, wrt, exponent=-1)
    narrator.add(
        _("Definition of σ"),
        _("Write the sigmoid with exponentials so that the rules for quotients and "
           "powers apply."),
        tx.equation(tx.tex(function), written),
        function,
        exponential,
    )
    value = narrator.explain(tree, top=True, shown=function)
    _add_subtract_one(narrator, function, inner, value)
    return tree, _sigmoid_form(function, inner, value)


def _coefficient(inner, value) -> sp.Expr | None:
    """c when `value` is c·e^(-u)/(1 + e^(-u))^2 for a constant c, else None."""
    shape = sp.exp(-inner) / (1 + sp.exp(-inner)) ** 2
    c = tidy(sp.powsimp(value / shape))
    return c if not c.free_symbols & inner.free_symbols else None


def _sigmoid_form(function, inner, value) -> sp.Expr:
    c = _coefficient(inner, value)
    if c is None:
        return value
    return c * sigmoid(inner) * (1 - sigmoid(inner))


def _add_subtract_one(narrator: Narrator, function, inner, value) -> None:
    """From c·e^(-u)/(1+e^(-u))^2 to c·σ(u)(1 - σ(u)) by the add-and-subtract-1 trick."""
    c = _coefficient(inner, value)
    if c is None:
        return
    e = tx.tex(sp.exp(-inner))
    v = rf"\left({tx.tex(1 + sp.exp(-inner))}\right)"
    prefix = "" if c == 1 else ("-" if c == -1 else tx.factor(c, first=True) + r" \cdot ")
    lhs_tex = narrator.d(function)
    recip = 1 / (1 + sp.exp(-inner))

    def bracketed(body: str) -> str:
        return rf"{prefix}\left({body}\right)" if prefix else body

    steps = [
        (
            _("Add and subtract 1"),
            _("Add and subtract 1 in the numerator, which changes nothing but shows the "
               "denominator."),
            rf"{prefix}\frac{{1 + {e} - 1}}{{{v}^{{2}}}}",
            value,
        ),
        (
            _("Split the fraction"),
            _("Split into two fractions over the same denominator."),
            bracketed(rf"\frac{{1 + {e}}}{{{v}^{{2}}}} - \frac{{1}}{{{v}^{{2}}}}"),
            c * ((1 + sp.exp(-inner)) / (1 + sp.exp(-inner)) ** 2 - recip**2),
        ),
        (
            "Cancel",
            _("Cancel one factor of the denominator in the first fraction."),
            bracketed(rf"\frac{{1}}{{{tx.tex(1 + sp.exp(-inner))}}} - \frac{{1}}{{{v}^{{2}}}}"),
            c * (recip - recip**2),
        ),
        (
            "Factor",
            _("Take out the common factor %(recip)s.") % {"recip": say(recip)},
            rf"{prefix}\frac{{1}}{{{tx.tex(1 + sp.exp(-inner))}}}"
            rf"\left(1 - \frac{{1}}{{{tx.tex(1 + sp.exp(-inner))}}}\right)",
            c * recip * (1 - recip),
        ),
        (
            _("Definition of σ"),
            _("Each 1/(1 + e^(-u)) is σ(u) again."),
            tx.tex(c * sigmoid(inner) * (1 - sigmoid(inner))),
            c * sigmoid(inner) * (1 - sigmoid(inner)),
        ),
    ]
    for rule, text, rhs, expr in steps:
        narrator.add(rule, text, tx.equation(lhs_tex, rhs), narrator.D(function), expr)
