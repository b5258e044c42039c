"""What a typical mistake is, how a rule tree is re-run with one rule applied wrongly, and how
candidates that cannot be told apart are thinned out."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

import sympy as sp

from app.cas.derivation.tidy import tidy
from app.cas.derivation.tree import Node
from app.cas.numeric import Overflow, Undefined, compile_float
from app.cas.sigmoid import sigmoid


@dataclass(frozen=True)
class Mistake:
    """A wrong answer a student writes, and the message that says exactly what it is.

    `answer` is the wrong answer as computed (what answers are compared with); `shown` is the
    same expression tidied for display, worked out only when something shows it.
    """

    answer: sp.Expr
    message: str
    kind: str

    @cached_property
    def shown(self) -> sp.Expr:
        return tidy(self.answer)


Override = Callable[[Node], sp.Expr | None]
# A generator yields (override of the rule tree, message, kind).
Candidate = tuple[Override, str, str]


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


def only(target: Node, value: sp.Expr) -> Override:
    return lambda node: value if node is target else None


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


def fingerprint(expr: sp.Expr, samples) -> tuple | None:
    """The values of `expr` at the sample points (in floats), or None where one is
    undefined or too large."""
    try:
        evaluate = compile_float(expr)
    except (TypeError, ValueError):
        return None
    values = []
    for point in samples:
        try:
            values.append(complex(evaluate({s: float(v) for s, v in point.items()})))
        except (Undefined, Overflow, TypeError, ValueError, ZeroDivisionError):
            return None
    return tuple(values)


def same_values(a: tuple | None, b: tuple | None) -> bool:
    if a is None or b is None:
        return False
    return all(abs(x - y) <= 1e-9 * max(1.0, abs(y)) for x, y in zip(a, b, strict=True))


def distinct_mistakes(
    candidates: Sequence[Mistake],
    answer: sp.Expr,
    domain: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[Mistake, ...]:
    """`candidates` less those equal to `answer` or to an earlier one at sample points.

    A wrong answer that cannot be told from the right one is no mistake. Of two equal ones
    only the first is kept, unless they are written with different functions (1 - σ(x) and
    e^(-x)/(1 + e^(-x))): then each keeps the message for answers written its way.
    """
    return tuple(m for m, _ in distinct_raw([(m, m.answer) for m in candidates], answer, domain))


def distinct_raw(
    candidates: Sequence[tuple[object, sp.Expr]],
    answer: sp.Expr,
    domain: Mapping[str, tuple[float, float]] | None = None,
) -> list[tuple[object, sp.Expr]]:
    """`distinct_mistakes` for (item, expression) pairs, before any tidying: the thinning is
    done on values, so the costly tidying is only spent on what is kept."""
    symbols = set(answer.free_symbols)
    for _, expr in candidates:
        symbols |= expr.free_symbols
    samples = sample_points(symbols, domain)
    right = fingerprint(answer, samples)
    seen: list[tuple[tuple, frozenset]] = []
    kept = []
    for item, expr in candidates:
        mark = fingerprint(expr, samples)
        if mark is None or same_values(mark, right):
            continue
        words = vocabulary(expr)
        if any(same_values(mark, other) and words == theirs for other, theirs in seen):
            continue
        seen.append((mark, words))
        kept.append((item, expr))
    return kept


def vocabulary(expr: sp.Expr) -> frozenset:
    """The functions an expression is written with (σ, exp, log, ...)."""
    found = set()
    for node in sp.preorder_traversal(expr):
        if isinstance(node, sp.Function):
            found.add(node.func)
        elif node is sp.E:
            found.add(sp.exp)
    return frozenset(found)


def affinity(answer_words: frozenset, mistake: Mistake) -> int:
    """How close a mistake's written form is to the student's: when two mistakes give the
    same value, the one written like the answer describes it (1 - σ(x) is "σ' without its
    factor σ", e^(-x)/(1 + e^(-x)) is "the quotient rule's denominator not squared")."""
    return -len(answer_words ^ vocabulary(mistake.answer))


def sigmoid_atoms(expr: sp.Expr) -> list[sigmoid]:
    return sorted(expr.atoms(sigmoid), key=sp.default_sort_key)
