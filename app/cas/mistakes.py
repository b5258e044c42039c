"""Typical wrong answers, generated from the rule tree of a derivation, and their diagnosis.

Each mistake re-runs the derivation with one rule applied the way students get it wrong
(the inner derivative of a chain dropped, the quotient rule's numerator reversed, the label
t differentiated, ...) and keeps the message that names it. A student answer equivalent to
one of them is told what went wrong instead of just "not equivalent".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import sympy as sp

from app.cas.derivation.tidy import tidy
from app.cas.derivation.tree import Node
from app.cas.derivation.wording import say
from app.cas.equivalence import Tolerance, equivalent
from app.cas.errors import AnswerError
from app.cas.sigmoid import sigmoid


@dataclass(frozen=True)
class Mistake:
    answer: sp.Expr
    message: str
    kind: str


Override = Callable[[Node], sp.Expr | None]


def recompute(node: Node, override: Override) -> sp.Expr:
    """The derivative of the tree with some rule applications replaced by `override`."""
    replaced = override(node)
    if replaced is not None:
        return replaced
    values = [recompute(child, override) for child in node.children]
    match node.rule:
        case "sum":
            return sp.Add(*values)
        case "constant_multiple":
            return node.parts["c"] * values[0]
        case "chain":
            return node.parts["outer_derivative"] * values[0]
        case "product":
            return values[0] * node.parts["v"] + node.parts["u"] * values[1]
        case "quotient":
            u, v = node.parts["u"], node.parts["v"]
            return (values[0] * v - u * values[1]) / v**2
        case "exponential":
            return node.expr * sp.log(node.parts["a"]) * values[0]
        case _:
            return node.result


def _only(target: Node, value: sp.Expr) -> Override:
    return lambda node: value if node is target else None


def _chain_mistakes(tree: Node) -> Iterable[tuple[Override, str, str]]:
    for node in tree.walk():
        if node.rule != "chain":
            continue
        inner = node.parts["inner"]
        inner_derivative = tidy(node.children[0].result)
        if inner_derivative == 1:
            continue
        outside = node.parts["outer_derivative"]
        if node.parts["outer_rule"] == "log":
            message = (
                f"The derivative of log({say(inner)}) is ({say(inner)})'/({say(inner)}), not "
                f"just 1/({say(inner)}): you left out the derivative of the inside, "
                f"{say(inner_derivative)}."
            )
            yield _only(node, outside), message, "log_without_inner"
        else:
            message = (
                f"You dropped the factor {say(inner_derivative)} from the inner function "
                f"{say(inner)}: the chain rule multiplies by the inner derivative."
            )
            yield _only(node, outside), message, "chain_dropped"
        if node.parts["outer_rule"] == "sigmoid":
            wrong = sigmoid(inner) * node.children[0].result
            message = (
                "The sigmoid is not its own derivative: σ'(u) = σ(u)(1 - σ(u)), "
                f"here with u = {say(inner)}."
            )
            yield _only(node, wrong), message, "sigmoid_as_exp"


def _sigmoid_leaf_mistakes(tree: Node) -> Iterable[tuple[Override, str, str]]:
    for node in tree.walk():
        if node.rule == "sigmoid":
            x = node.wrt
            yield (
                _only(node, sigmoid(x)),
                "The sigmoid is not its own derivative: σ'(x) = σ(x)(1 - σ(x)).",
                "sigmoid_as_exp",
            )
            yield (
                _only(node, sigmoid(x) * (1 + sigmoid(x))),
                "Check the sign inside σ'(x) = σ(x)(1 - σ(x)): it is 1 minus σ, not 1 plus σ.",
                "sigmoid_sign",
            )


def _quotient_mistakes(tree: Node) -> Iterable[tuple[Override, str, str]]:
    for node in tree.walk():
        if node.rule != "quotient":
            continue
        u, v = node.parts["u"], node.parts["v"]
        du, dv = node.children[0].result, node.children[1].result
        yield (
            _only(node, (u * dv - du * v) / v**2),
            "The quotient rule's numerator is u'v - uv' (the derivative of the numerator "
            "comes first); you have the two terms the other way round.",
            "quotient_reversed",
        )
        yield (
            _only(node, (du * v - u * dv) / v),
            f"In the quotient rule the denominator is squared: ({say(v)})^2.",
            "denominator_not_squared",
        )


def _product_mistakes(tree: Node) -> Iterable[tuple[Override, str, str]]:
    for node in tree.walk():
        if node.rule == "product":
            du, dv = node.children[0].result, node.children[1].result
            yield (
                _only(node, du * dv),
                "The derivative of a product is not the product of the derivatives: "
                "(uv)' = u'v + uv'.",
                "product_of_derivatives",
            )


def _constant_mistakes(tree: Node) -> Iterable[tuple[Override, str, str]]:
    for node in tree.walk():
        if node.rule == "constant_multiple" and node.parts["c"] not in (1, -1):
            c = node.parts["c"]
            yield (
                _only(node, node.children[0].result),
                f"You dropped the constant factor {say(c)}: constants multiplying a function "
                "stay in its derivative.",
                "constant_factor_dropped",
            )
    # A constant term kept in the answer: only at the top, where a student copies "+ c".
    if tree.rule == "sum":
        constants = [child.expr for child in tree.children if child.rule == "constant"]
        if constants:
            kept = sp.Add(*constants)
            yield (
                lambda node: recompute(tree, lambda m: None) + kept if node is tree else None,
                f"The constant term {say(kept)} has derivative 0: it disappears.",
                "constant_term_kept",
            )


def generate_mistakes(
    tree: Node,
    answer: sp.Expr,
    function: sp.Expr | None,
    extra: Sequence[Mistake] = (),
    domain: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[Mistake, ...]:
    """The distinct typical wrong answers for d/dx `function`, template ones first.

    Candidates equal to the right answer, or to an earlier candidate, at a few sample
    points of the domain are dropped: a wrong answer that cannot be told from the right
    one is no mistake, and two equal ones would be one message too many.
    """
    wrt = tree.wrt
    candidates: list[Mistake] = list(extra)
    # When two mistakes give the same wrong answer the first message is kept, so the
    # rules a method is about (quotient, product) come before the chain rule inside them.
    generators = (
        _quotient_mistakes,
        _product_mistakes,
        _chain_mistakes,
        _sigmoid_leaf_mistakes,
        _constant_mistakes,
    )
    for generate in generators:
        for override, message, kind in generate(tree):
            candidates.append(Mistake(tidy(recompute(tree, override)), message, kind))
    for symbol in sorted(tree.expr.free_symbols - {wrt}, key=lambda s: s.name):
        # Differentiating a constant as if it were the variable: the total derivative
        # with d(symbol)/d(wrt) = 1.
        wrong = tidy(sp.diff(tree.expr, wrt) + sp.diff(tree.expr, symbol))
        candidates.append(
            Mistake(
                wrong,
                f"{say(symbol)} does not depend on {say(wrt)}: treat it as a constant, whose "
                "derivative is 0.",
                "constant_differentiated",
            )
        )
    candidates.append(
        Mistake(
            tidy(-answer),
            "Check the sign: your answer is the negative of the derivative.",
            "sign_flipped",
        )
    )
    if function is not None:
        candidates.append(
            Mistake(
                function,
                "That is the function itself, not its derivative.",
                "function_not_derivative",
            )
        )
    return distinct_mistakes(candidates, answer, domain)


def distinct_mistakes(
    candidates: Sequence[Mistake],
    answer: sp.Expr,
    domain: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[Mistake, ...]:
    """`candidates` less those equal to `answer` or to an earlier one at sample points."""
    symbols = set(answer.free_symbols)
    for mistake in candidates:
        symbols |= mistake.answer.free_symbols
    return _distinct(candidates, answer, sample_points(symbols, domain))


def sample_points(
    symbols: Iterable[sp.Symbol],
    domain: Mapping[str, tuple[float, float]] | None = None,
    count: int = 4,
) -> list[dict[sp.Symbol, sp.Expr]]:
    """A few fixed, irregular points inside the domain (default (-3, 3) per variable).

    Fractions of the interval that no template constant is likely to hit, different for
    each variable, so that x = t or w = b never happens by accident.
    """
    domain = domain or {}
    fractions = (sp.Rational(3, 11), sp.Rational(5, 7), sp.Rational(7, 13), sp.Rational(2, 17))
    points = []
    ordered = sorted(symbols, key=lambda s: s.name)
    for k in range(count):
        point = {}
        for index, symbol in enumerate(ordered):
            lo, hi = domain.get(symbol.name, (-3, 3))
            fraction = fractions[(k + index) % len(fractions)] + sp.Rational(index, 97)
            fraction = fraction - int(fraction)
            point[symbol] = sp.nsimplify(lo) + (sp.nsimplify(hi) - sp.nsimplify(lo)) * fraction
        points.append(point)
    return points


def _fingerprint(expr: sp.Expr, samples) -> tuple | None:
    values = []
    for point in samples:
        try:
            value = complex(sp.N(expr.xreplace(point), 15))
        except (TypeError, ValueError, ZeroDivisionError):
            return None
        if value != value or abs(value) == float("inf"):  # nan or inf
            return None
        values.append(value)
    return tuple(values)


def _same(a: tuple | None, b: tuple | None) -> bool:
    if a is None or b is None:
        return False
    return all(abs(x - y) <= 1e-9 * max(1.0, abs(y)) for x, y in zip(a, b, strict=True))


def _distinct(candidates, answer, samples) -> tuple[Mistake, ...]:
    seen = [_fingerprint(answer, samples)]
    kept: list[Mistake] = []
    for mistake in candidates:
        mark = _fingerprint(mistake.answer, samples)
        if mark is None or any(_same(mark, other) for other in seen):
            continue
        seen.append(mark)
        kept.append(mistake)
    return tuple(kept)


def diagnose(
    answer: sp.Expr,
    mistakes: Iterable[Mistake] | object,
    domain: Mapping[str, tuple[float, float]] | None = None,
    tolerance: Tolerance | None = None,
) -> Mistake | None:
    """The first mistake `answer` is equivalent to (template ones come first), or None.

    `mistakes` is a sequence of Mistake or anything with a `.mistakes` attribute (a bank
    variant, whose domain and tolerance are then used unless given). An undecided
    comparison (None) is no diagnosis: a message is only given when it is certain.
    """
    if hasattr(mistakes, "mistakes"):
        variant = mistakes
        mistakes = variant.mistakes
        domain = variant.domain if domain is None else domain
        if tolerance is None and getattr(variant, "tolerance", None) is not None:
            relative, absolute = variant.tolerance
            tolerance = Tolerance(relative=relative, absolute=absolute)
    for mistake in mistakes:
        try:
            if equivalent(answer, mistake.answer, domain=domain, tolerance=tolerance) is True:
                return mistake
        except AnswerError:
            continue
    return None


# Form requirements a template may set on the answer, with what the student is told.
FORM_REQUIREMENTS: dict[str, str] = {
    "sigma-only": "Write your answer in terms of σ only: no exp or e^(...).",
    "exp-only": "Write your answer with exponentials only: no σ.",
    "no-log": "Simplify the logarithms away: your answer should not contain log.",
}


def form_violation(answer: sp.Expr, requirement: str | None) -> str | None:
    """The message for an answer that is right in value but not in the asked-for form."""
    if requirement is None:
        return None
    if requirement not in FORM_REQUIREMENTS:
        raise ValueError(f"unknown form requirement {requirement!r}")
    if requirement == "sigma-only":
        broken = bool(answer.atoms(sp.exp)) or any(p.base == sp.E for p in answer.atoms(sp.Pow))
    elif requirement == "exp-only":
        broken = bool(answer.atoms(sigmoid))
    else:
        broken = bool(answer.atoms(sp.log))
    return FORM_REQUIREMENTS[requirement] if broken else None
