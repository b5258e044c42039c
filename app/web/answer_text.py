"""The answer box's text before grading: what is not a submission at all."""

from __future__ import annotations

from app.cas.symbols import MAX_LENGTH
from app.checker.results import AnswerProblem, GradeOutcome, Verdict


def refusal(answer: str) -> GradeOutcome | None:
    """The outcome shown for an empty or over-long answer (nothing to grade or store), or None
    for text the checker should grade."""
    if not answer.strip():
        return GradeOutcome(Verdict.INVALID, error=AnswerProblem("syntax", "Type an answer first."))
    if len(answer) > MAX_LENGTH:
        return GradeOutcome(Verdict.INVALID, error=AnswerProblem(
            "too_long", f"An answer may be at most {MAX_LENGTH} characters long."))
    return None
