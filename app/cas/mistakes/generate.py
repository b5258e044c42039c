"""The typical wrong answers of one problem, in the order their messages are preferred."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy as sp

from app.cas.derivation.tidy import tidy
from app.cas.derivation.tree import Node, differentiate
from app.cas.i18n import _
from app.cas.mistakes.core import Mistake, distinct_mistakes, distinct_raw, recompute
from app.cas.mistakes.habits import (
    HABITS,
    Problem,
    point_mistakes,
    prediction_habits,
    predictions,
    sign_flipped,
)
from app.cas.mistakes.rules import TREE_GENERATORS, sigmoid_beliefs


def tree_mistakes(tree: Node, function: sp.Expr) -> list[Mistake]:
    """The rule tree's mistakes, their answers as recomputed (tidied once kept)."""
    found = []
    # In a cross-entropy students go wrong at the loss, not at σ' (which cancels there).
    loss = bool(predictions(function))
    for generate in TREE_GENERATORS:
        if loss and generate is sigmoid_beliefs:
            continue
        for override, message, kind in generate(tree):
            found.append(Mistake(recompute(tree, override), message, kind))
    return found


def function_itself(function: sp.Expr) -> Mistake:
    return Mistake(function, _("That is the function itself, not its derivative."),
                   "function_not_derivative")


def typical_mistakes(
    trees: Sequence[Node],
    function: sp.Expr,
    derivative: sp.Expr,
    *,
    extra: Sequence[Mistake] = (),
    domain: Mapping[str, tuple[float, float]] | None = None,
    point: Mapping[sp.Symbol, sp.Expr] | None = None,
) -> tuple[Mistake, ...]:
    """The distinct typical wrong answers for d/dx `function` (derivative `derivative`).

    `trees` are the rule trees of the solution's methods, main method first: a mistake in
    the method the problem asks for is named before the same answer reached another way.
    `point` evaluates everything there (a derivative at a point). Order: the template's own
    mistakes, the function itself, a cross-entropy's habits, the main method's rules, the
    other habits, other methods, the sign.
    """
    wrt = trees[0].wrt
    problem = Problem(function, wrt, derivative, dict(domain or {}))
    candidates: list[Mistake] = [*extra, function_itself(function)]
    candidates += list(prediction_habits(problem))
    candidates += tree_mistakes(trees[0], function)
    for habit in HABITS:
        candidates += list(habit(problem))
    for tree in trees[1:]:
        candidates += tree_mistakes(tree, function)
    expanded = sp.expand(function)
    if function.is_Mul and expanded.is_Add:
        # Students often multiply out first (σ(1 - σ) as σ - σ^2) and slip there.
        candidates += tree_mistakes(differentiate(expanded, wrt), function)
    candidates.append(sign_flipped(problem))
    expected = derivative
    if point:
        candidates = [Mistake(m.answer.xreplace(point), m.message, m.kind) for m in candidates]
        for symbol, value in point.items():
            candidates += list(point_mistakes(derivative, symbol, value))
        expected = tidy(derivative.xreplace(point))
    kept = distinct_raw([(m, m.answer) for m in candidates], expected, domain)
    return tuple(m for m, _ in kept)


def generate_mistakes(
    tree: Node,
    answer: sp.Expr,
    function: sp.Expr | None,
    extra: Sequence[Mistake] = (),
    domain: Mapping[str, tuple[float, float]] | None = None,
) -> tuple[Mistake, ...]:
    """The typical wrong answers of one derivation (template mistakes `extra` first)."""
    if function is None:
        return distinct_mistakes(list(extra), answer, domain)
    return typical_mistakes([tree], function, answer, extra=extra, domain=domain)
