"""A graded multi-part answer as the stores keep it: one summary line and verdict for the
whole answer, one row per part (assignment submissions and practice alike)."""

from __future__ import annotations

from collections.abc import Iterable

from app.checker.part_results import PartsOutcome
from app.checker.results import GradeOutcome, Verdict


def summary(outcome: PartsOutcome, answers: Iterable[str]) -> str:
    """The whole answer in one line, as history and exports show it: "(a) 0; (b) -e^(-x)"."""
    return "; ".join(f"({part.label}) {text}"
                     for part, text in zip(outcome.parts, answers, strict=True))


def first_mistake(outcome: PartsOutcome) -> str | None:
    """The kind of the first wrong part's recognised mistake (item analysis lists kinds)."""
    for part in outcome.parts:
        if part.outcome.verdict is Verdict.INCORRECT and not part.carried:
            return part.outcome.mistake_kind
    return None


def whole(outcome: PartsOutcome) -> GradeOutcome:
    """The whole answer as one outcome: its verdict, the first part's problem if any."""
    error = next((p.outcome.error for p in outcome.parts if p.outcome.error), None)
    return GradeOutcome(outcome.verdict, error=error, mistake_kind=first_mistake(outcome))


def part_rows(outcome: PartsOutcome, answers: Iterable[str], form_credit: float,
              follow_through: bool = True) -> list[dict]:
    """The per-part rows of one graded answer (without the owner's id)."""
    credits = outcome.credits(form_credit, follow_through)
    return [dict(position=index, part_id=part.part_id, answer_text=text,
                 verdict=part.outcome.verdict, canonical=part.outcome.canonical,
                 mistake_kind=part.outcome.mistake_kind,
                 mistake_message=part.outcome.mistake_message,
                 answer_fingerprint=part.outcome.fingerprint, carried=part.carried,
                 points=part.points, credit=credit)
            for index, (part, text, credit)
            in enumerate(zip(outcome.parts, answers, credits, strict=True))]
