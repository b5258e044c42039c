"""Mistakes read off the rule tree: each re-runs the derivation with one rule applied the way
students get it wrong.

Two sorts, because students make two sorts. A *slip* happens once: one chain factor or one
constant left out, so each rule application gets its own candidate. A *belief* about a rule
(σ' = σ, the quotient rule's numerator the other way round) is applied wherever that rule is
used, never in one place only: a mixture of a right and a wrong σ' is an answer no student
writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sympy as sp

from app.cas.derivation.tidy import tidy
from app.cas.derivation.tree import Node
from app.cas.derivation.wording import say, say_group
from app.cas.i18n import N_, _
from app.cas.mistakes.core import Candidate, Override, only, recompute
from app.cas.sigmoid import sigmoid


def _everywhere(rule: Callable[[Node, Override], sp.Expr | None]) -> Override:
    """An override applying `rule` at every node it returns a value for, recursively."""

    def override(node: Node) -> sp.Expr | None:
        return rule(node, override)

    return override


def _sigmoid_belief(wrong: Callable[[sp.Expr], sp.Expr]) -> Override:
    """σ'(u) taken as wrong(u) at every use of the sigmoid rule."""

    def rule(node: Node, override: Override) -> sp.Expr | None:
        if node.rule == "sigmoid":
            return wrong(node.wrt)
        if node.rule == "chain" and node.parts["outer_rule"] == "sigmoid":
            return wrong(node.parts["inner"]) * recompute(node.children[0], override)
        return None

    return _everywhere(rule)


def _uses_sigmoid_rule(tree: Node) -> bool:
    return any(
        n.rule == "sigmoid" or (n.rule == "chain" and n.parts["outer_rule"] == "sigmoid")
        for n in tree.walk()
    )


# Beliefs about σ' students hold, as (σ'(u) taken as, message, kind).
SIGMOID_BELIEFS: tuple[tuple[Callable[[sp.Expr], sp.Expr], str, str], ...] = (
    (
        lambda u: sigmoid(u),
        N_("The sigmoid is not its own derivative: σ'(u) = σ(u)(1 - σ(u)), and your answer has "
        "σ(u) in its place."),
        "sigmoid_as_exp",
    ),
    (
        lambda u: sigmoid(u) * (1 + sigmoid(u)),
        N_("Your answer uses σ'(u) = σ(u)(1 + σ(u)): the sign is wrong, σ'(u) = σ(u)(1 - σ(u))."),
        "sigmoid_sign",
    ),
    (
        lambda u: 1 - sigmoid(u),
        N_("Your answer uses 1 - σ(u) for σ'(u): that is only one of its two factors, "
        "σ'(u) = σ(u)(1 - σ(u))."),
        "sigmoid_half",
    ),
    (
        lambda u: 1 - sigmoid(u) ** 2,
        N_("Your answer uses σ'(u) = 1 - σ(u)^2, the pattern of tanh' = 1 - tanh^2; for the "
        "sigmoid it is σ'(u) = σ(u)(1 - σ(u))."),
        "sigmoid_as_tanh",
    ),
    (
        lambda u: sp.S.One,
        N_("Your answer differentiates σ(u) as if it were u alone: its derivative is "
        "σ'(u) = σ(u)(1 - σ(u)), not 1."),
        "sigmoid_as_identity",
    ),
)


def sigmoid_beliefs(tree: Node) -> Iterable[Candidate]:
    if not _uses_sigmoid_rule(tree):
        return
    for wrong, message, kind in SIGMOID_BELIEFS:
        yield _sigmoid_belief(wrong), _(message), kind


def quotient_beliefs(tree: Node) -> Iterable[Candidate]:
    quotients = [n for n in tree.walk() if n.rule == "quotient"]
    if not quotients:
        return

    def belief(shape):
        def rule(node: Node, override: Override) -> sp.Expr | None:
            if node.rule != "quotient":
                return None
            du, dv = (recompute(child, override) for child in node.children)
            return shape(node.parts["u"], node.parts["v"], du, dv)

        return _everywhere(rule)

    v = quotients[0].parts["v"]
    yield (
        belief(lambda u, v, du, dv: (u * dv - du * v) / v**2),
        _("The quotient rule's numerator is u'v - uv' (the derivative of the numerator "
           "first); your answer has the two terms the other way round."),
        "quotient_reversed",
    )
    yield (
        belief(lambda u, v, du, dv: (du * v - u * dv) / v),
        _("Your answer divides by v = %(v)s once; the quotient rule divides by v^2 = "
           "%(v_group)s^2.") % {"v": say(v), "v_group": say_group(v)},
        "denominator_not_squared",
    )


def product_beliefs(tree: Node) -> Iterable[Candidate]:
    if not any(n.rule == "product" for n in tree.walk()):
        return

    def belief(shape):
        def rule(node: Node, override: Override) -> sp.Expr | None:
            if node.rule != "product":
                return None
            du, dv = (recompute(child, override) for child in node.children)
            return shape(node.parts["u"], node.parts["v"], du, dv)

        return _everywhere(rule)

    yield (
        belief(lambda u, v, du, dv: du * dv),
        _("The derivative of a product is not the product of the derivatives: (uv)' = "
           "u'v + uv'."),
        "product_of_derivatives",
    )
    product = next(n for n in tree.walk() if n.rule == "product")
    u, v = product.parts["u"], product.parts["v"]
    yield (
        belief(lambda u, v, du, dv: du * v),
        _("Your answer is only u'v: by the product rule the factor v = %(v)s has a "
           "derivative too, and (uv)' = u'v + uv'.") % {"v": say(v)},
        "product_one_term",
    )
    yield (
        belief(lambda u, v, du, dv: u * dv),
        _("Your answer is only uv': by the product rule the factor u = %(u)s has a "
           "derivative too, and (uv)' = u'v + uv'.") % {"u": say(u)},
        "product_one_term",
    )


def power_beliefs(tree: Node) -> Iterable[Candidate]:
    """The power rule in the chain rule's outer function: n·g^(n-1)·g'."""
    powers = [n for n in tree.walk() if n.rule == "chain" and n.parts["outer_rule"] == "power"]
    if not powers:
        return

    def belief(shape):
        def rule(node: Node, override: Override) -> sp.Expr | None:
            if node.rule != "chain" or node.parts["outer_rule"] != "power":
                return None
            inner, n = node.parts["inner"], node.parts["n"]
            return shape(inner, n) * recompute(node.children[0], override)

        return _everywhere(rule)

    n = powers[0].parts["n"]
    yield (
        belief(lambda g, n: n * g**n),
        _("The power rule lowers the exponent by one: the derivative of u^(%(n)s) is "
           "%(n)su^(%(value)s); your answer keeps the exponent %(n)s.") % {"n": say(n), "value": say(n - 1)},
        "power_not_lowered",
    )
    yield (
        belief(lambda g, n: g ** (n - 1)),
        _("The power rule brings the exponent down as a factor: the derivative of "
           "u^(%(n)s) is %(n)su^(%(value)s); your answer lacks the factor %(n)s.") % {"n": say(n), "value": say(n - 1)},
        "power_not_brought_down",
    )


def chain_slips(tree: Node) -> Iterable[Candidate]:
    """One inner derivative left out, per chain; then every one of them at once."""
    chains = []
    for node in tree.walk():
        if node.rule != "chain":
            continue
        inner = node.parts["inner"]
        inner_derivative = tidy(node.children[0].result)
        if inner_derivative == 1:
            continue
        chains.append(node)
        outside = node.parts["outer_derivative"]
        if node.parts["outer_rule"] == "log":
            message = (
                _("The derivative of log(%(inner)s) is %(inner_group)s'/%(inner_group)s: your "
                   "answer has 1/%(inner_group)s without the inner derivative "
                   "%(inner_derivative)s.") % {"inner": say(inner), "inner_group": say_group(inner), "inner_derivative": say(inner_derivative)}
            )
            yield only(node, outside), message, "log_without_inner"
        elif inner_derivative == -1:
            message = (
                _("The inner function %(inner)s has derivative -1, so the chain rule changes the "
                   "sign; your answer leaves that factor -1 out.") % {"inner": say(inner)}
            )
            yield only(node, outside), message, "chain_dropped"
        else:
            message = (
                _("You dropped the factor %(inner_derivative)s from the inner function "
                   "%(inner)s: the chain rule multiplies by the inner derivative.") % {"inner_derivative": say(inner_derivative), "inner": say(inner)}
            )
            yield only(node, outside), message, "chain_dropped"
    if len(chains) > 1:
        yield (
            lambda node: node.parts["outer_derivative"] if node.rule == "chain" else None,
            _("Your answer leaves out every inner derivative: the chain rule multiplies each "
               "outer derivative by the derivative of its inside."),
            "chain_dropped",
        )


def _outermost_chain(tree: Node) -> Node | None:
    """The chain the function itself is, under numeric factors and constant terms
    (5σ(2x + 1) + 3): the one whose outer function a student forgets or misplaces."""
    node = tree
    while True:
        if node.rule == "chain":
            return node
        if node.rule == "constant_multiple" and node.parts["c"].is_Number:
            node = node.children[0]
            continue
        moving = [c for c in node.children if c.rule != "constant"]
        if node.rule == "sum" and len(moving) == 1:
            node = moving[0]
            continue
        return None


def outer_slips(tree: Node) -> Iterable[Candidate]:
    """The outer derivative of a chain left out, or taken at the variable instead of the inside."""
    wrt = tree.wrt
    top = _outermost_chain(tree)
    nodes = [] if top is None else [top, *(n for n in top.children[0].walk() if n.rule == "chain")]
    for node in nodes:
        if node.parts["outer_rule"] not in ("log", "sigmoid", "exp"):
            continue
        inner, rule = node.parts["inner"], node.parts["outer_rule"]
        inner_value = tidy(node.children[0].result)
        if rule == "log":
            message = (
                _("The derivative of log(%(inner)s) is %(inner_group)s'/%(inner_group)s: your "
                   "answer has the inner derivative %(inner_value)s there but does not divide it "
                   "by %(inner_group)s.") % {"inner": say(inner), "inner_group": say_group(inner), "inner_value": say(inner_value)}
            )
            yield only(node, recompute(node.children[0], lambda n: None)), message, "outer_dropped"
        elif rule == "sigmoid":
            message = (
                _("For σ(%(inner)s) your answer keeps only the inner derivative %(inner_value)s: "
                   "the chain rule multiplies it by σ'(%(inner)s) = σ(%(inner)s)(1 - "
                   "σ(%(inner)s)).") % {"inner": say(inner), "inner_value": say(inner_value)}
            )
            yield only(node, recompute(node.children[0], lambda n: None)), message, "outer_dropped"
        if rule in ("sigmoid", "exp") and inner != wrt:
            at_variable = node.parts["outer_derivative"].xreplace({inner: wrt})
            if at_variable == node.parts["outer_derivative"]:
                continue
            shown = f"σ'({say(inner)})" if rule == "sigmoid" else f"e^({say(inner)})"
            message = (
                _("The outer derivative is taken at the inner function, %(shown)s: your answer "
                   "has %(wrt)s where %(inner)s belongs.") % {"shown": shown, "wrt": say(wrt), "inner": say(inner)}
            )
            yield (
                only(node, at_variable * node.children[0].result),
                message,
                "argument_lost",
            )


def constant_slips(tree: Node) -> Iterable[Candidate]:
    for node in tree.walk():
        if node.rule == "constant_multiple" and node.parts["c"].is_Number:
            c = node.parts["c"]
            if c in (1, -1):
                continue
            yield (
                only(node, node.children[0].result),
                _("You dropped the constant factor %(c)s: constants multiplying a function stay "
                   "in its derivative.") % {"c": say(c)},
                "constant_factor_dropped",
            )
    # A constant term kept in the answer: only at the top, where a student copies "+ c".
    if tree.rule == "sum":
        constants = [child.expr for child in tree.children if child.rule == "constant"]
        numbers = [c for c in constants if c.is_Number]
        if numbers:
            kept = sp.Add(*numbers)
            yield (
                lambda node: recompute(tree, lambda m: None) + kept if node is tree else None,
                _("The constant term %(kept)s has derivative 0: it disappears.") % {"kept": say(kept)},
                "constant_term_kept",
            )


def sum_slips(tree: Node) -> Iterable[Candidate]:
    """One term of the function's sum left out, when several terms depend on the variable."""
    if tree.rule != "sum":
        return
    moving = [child for child in tree.children if child.rule != "constant"]
    if len(moving) < 2:
        return
    for child in moving:
        yield (
            only(child, sp.S.Zero),
            _("Your answer leaves out the derivative of the term %(expr)s: it contains "
               "%(wrt)s as well, so it contributes to the derivative.") % {"expr": say(child.expr), "wrt": say(tree.wrt)},
            "term_dropped",
        )


# In the order their messages are preferred when two give the same answer: the rule a method
# is about (quotient, product, power) before the chain rule inside it.
TREE_GENERATORS = (
    quotient_beliefs,
    product_beliefs,
    power_beliefs,
    chain_slips,
    outer_slips,
    sigmoid_beliefs,
    constant_slips,
    sum_slips,
)
