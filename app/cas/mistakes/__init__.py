"""Typical wrong answers and their diagnosis.

Typical mistakes are generated per problem (`typical_mistakes`): from the rule tree of each
solution method (a chain factor dropped, the quotient rule's numerator reversed, a wrong
belief about σ'), from the habits of students working with σ and cross-entropy (stopping at
dL/dŷ, the squared-error factor σ', the label's cases swapped) and from the template. A wrong
answer equivalent to one of them is told what it is (`diagnose`); otherwise the general
analysis compares it with the right one (a constant factor or term off, an argument or a
variable replaced), and failing that only true facts are stated.
"""

from __future__ import annotations

from collections.abc import Iterable

import sympy as sp

from app.cas.mistakes.analysis import GENERAL, SPECIFIC, analyse, facts
from app.cas.mistakes.core import Mistake, distinct_mistakes, recompute, sample_points
from app.cas.mistakes.diagnosis import diagnose, match_mistake
from app.cas.mistakes.generate import generate_mistakes, typical_mistakes
from app.cas.requirements import (
    Requirement,
    first_violation,
    form_message,
    significant_digits,
)

# The form requirements of the first template format (`form:`), still accepted there.
LEGACY_FORMS = ("sigma-only", "exp-only", "no-log")


def form_violation(
    answer: sp.Expr, requirement: str | Requirement | Iterable[Requirement] | None
) -> str | None:
    """The message for an answer right in value but not in the asked-for form, or None.

    `requirement` is a variant's `form` (its requirements), one Requirement, or the name of
    a flag requirement ("sigma-only").
    """
    if requirement is None:
        return None
    if isinstance(requirement, str):
        requirements: tuple[Requirement, ...] = (Requirement(requirement),)
    elif isinstance(requirement, Requirement):
        requirements = (requirement,)
    else:
        requirements = tuple(requirement)
    broken = first_violation(requirements, answer)
    if broken is None:
        return None
    return form_message(*broken, significant_digits(requirements))


__all__ = [
    "GENERAL",
    "LEGACY_FORMS",
    "SPECIFIC",
    "Mistake",
    "analyse",
    "diagnose",
    "distinct_mistakes",
    "facts",
    "form_violation",
    "generate_mistakes",
    "match_mistake",
    "recompute",
    "sample_points",
    "typical_mistakes",
]
