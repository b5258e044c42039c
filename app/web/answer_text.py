"""The answer box's text around grading: what is not a submission at all, and the reply to an
answer the checker was too busy to start on."""

from __future__ import annotations

from flask_babel import gettext as _

from app.cas.symbols import MAX_LENGTH
from app.checker.client import RETRY_AFTER_SECONDS
from app.checker.results import AnswerProblem, GradeOutcome, Verdict


def refusal(answer: str) -> GradeOutcome | None:
    """The outcome shown for an empty or over-long answer (nothing to grade or store), or None
    for text the checker should grade."""
    if not answer.strip():
        return GradeOutcome(Verdict.INVALID, error=AnswerProblem("syntax", _("Type an answer first.")))
    if len(answer) > MAX_LENGTH:
        # The text stays in the box, whole: the mark at the limit shows what to shorten.
        return GradeOutcome(Verdict.INVALID, error=AnswerProblem(
            "too_long", _("Your answer is %(count)s characters long; an answer may be at most "
                           "%(max_length)s. Shorten it: nothing was cut.", count=format(len(answer), ","), max_length=format(MAX_LENGTH, ",")), MAX_LENGTH))
    return None


def busy_headers(busy: bool) -> dict[str, str]:
    """``Retry-After`` on the 503 page of an answer the checker could not start on."""
    return {"Retry-After": str(RETRY_AFTER_SECONDS)} if busy else {}
