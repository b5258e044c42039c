"""The answer box's text around grading: what is not a submission at all, the reply to an
answer the checker was too busy to start on, and the pace of answers too big for the main
lane."""

from __future__ import annotations

import time
from collections.abc import Iterable

from flask import current_app
from flask_babel import gettext as _

from app.cas.symbols import MAX_LENGTH
from app.checker.client import RETRY_AFTER_SECONDS
from app.checker.results import AnswerProblem, GradeOutcome, Verdict
from app.extensions import db
from app.web.checker import checker

# Refused for their size before any engine work: cheap to answer, so a script could send them
# as fast as the replies come.
SIZE_CODES = frozenset({"too_long", "too_deep", "too_large"})


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


def pace_heavy(started: float, texts: Iterable[str], outcomes: Iterable[GradeOutcome] = ()) -> None:
    """Hold the reply to an answer too big for the main lane until HEAVY_ANSWER_SECONDS after
    `started` (time.monotonic() when the request came).

    Such answers are graded in the slow lane, or refused for their size, or refused because
    the slow lane is busy; a person typing one never notices the pause, but a script sending
    them in a loop, whose replies would otherwise come as fast as it can ask, takes that
    pace: it cannot crowd the students' answers off the CPU. The pause holds a web thread,
    never a database connection: the caller has committed what it keeps, and what the
    request read before (the page's checks) ends here.
    """
    left = started + current_app.config["HEAVY_ANSWER_SECONDS"] - time.monotonic()
    if left <= 0:
        return
    heavy = (checker().is_heavy("\n".join(texts))
             or any(o.error is not None and o.error.code in SIZE_CODES for o in outcomes))
    if heavy:
        if db.session().in_transaction():
            db.session.rollback()
        time.sleep(left)
