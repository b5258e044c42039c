"""Which mistake a wrong answer is: the typical mistakes first, then the general analysis.

A message is only given when the answer is equivalent to the mistake's answer (on the
problem's domain, within its tolerance); an undecided comparison is no diagnosis. When two
mistakes give the same answer, the one written with the student's functions is named: 1 - σ(x)
is σ' without its factor σ, e^(-x)/(1 + e^(-x)) the quotient rule with v not squared.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import sympy as sp

from app.cas.equivalence import Tolerance, equivalent
from app.cas.errors import AnswerError
from app.cas.mistakes.analysis import analyse
from app.cas.mistakes.core import Mistake, affinity, vocabulary
from app.cas.mistakes.precision import (
    agreeing_figures,
    half_unit,
    precision_message,
    typed_figures,
)


def _variant_tolerance(variant) -> Tolerance | None:
    if getattr(variant, "tolerance", None) is None:
        return None
    relative, absolute = variant.tolerance
    return Tolerance(relative=relative, absolute=absolute)


def _matches(answer, mistake, domain, tolerance) -> bool:
    try:
        return equivalent(answer, mistake.answer, domain=domain, tolerance=tolerance) is True
    except AnswerError:
        return False


def _ranked(answer: sp.Expr, mistakes: Iterable[Mistake]) -> list[Mistake]:
    words = vocabulary(answer)
    return sorted(mistakes, key=lambda m: -affinity(words, m))  # stable: order breaks ties


def match_mistake(
    answer: sp.Expr,
    mistakes: Iterable[Mistake],
    domain: Mapping[str, tuple[float, float]] | None = None,
    tolerance: Tolerance | None = None,
    figures: int | None = None,
) -> Mistake | None:
    """The best mistake `answer` is equivalent to, or None.

    With `figures` (a decimal answer to a numeric item, typed with that many significant
    figures) a mistake matches when its value rounds to the answer at the answer's last digit.
    """
    rounding = None
    if figures is not None:
        rounding = Tolerance(absolute=float(half_unit(answer, figures)) * (1 + 1e-9))
    for mistake in _ranked(answer, mistakes):
        wanted = tolerance
        if rounding is not None and not mistake.answer.free_symbols:
            wanted = rounding
        if _matches(answer, mistake, domain, wanted):
            return mistake
    return None


def diagnose(
    answer: sp.Expr,
    mistakes: Iterable[Mistake] | object,
    domain: Mapping[str, tuple[float, float]] | None = None,
    tolerance: Tolerance | None = None,
    text: str | None = None,
) -> Mistake | None:
    """The mistake a wrong `answer` is, or None.

    `mistakes` is a sequence of Mistake, or a bank variant: then its domain and tolerance
    are used, its significant figures are checked, and when none of its typical mistakes is
    the answer, the general analysis (a constant factor or term off, an argument or a
    variable replaced) is tried. `text` is the answer as typed, for its significant figures.
    """
    if not hasattr(mistakes, "mistakes"):
        return match_mistake(answer, mistakes, domain, tolerance)
    variant = mistakes
    domain = variant.domain if domain is None else domain
    tolerance = _variant_tolerance(variant) if tolerance is None else tolerance
    wanted = getattr(variant, "significant", None)
    figures = None
    typed = None if answer.free_symbols else typed_figures(answer, text)
    if wanted is not None and typed is not None:
        figures = typed if typed >= 2 else None  # a mistake's value, to the figures typed
    found = match_mistake(answer, variant.mistakes, domain, tolerance, figures)
    if found is not None:
        return found
    if wanted is not None and typed is not None:
        # The right value, but typed too short (0.076 for 0.07586 to 4 figures).
        right = agreeing_figures(answer, variant.expected, wanted)
        if right and right >= min(typed, wanted) - 1:
            return Mistake(answer, precision_message(right, wanted, typed), "precision")
    return analyse(answer, variant.expected, wrt=getattr(variant, "wrt", None), domain=domain,
                   tolerance=tolerance)
