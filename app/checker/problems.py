"""What the checker says instead of a result: the exceptions its callers handle and the
student-facing problem an answer the pool stopped becomes (`answer_problem`, the one place
where pool errors turn into something a page can show)."""

from __future__ import annotations

import logging

from app.checker.pool import CheckTimeout, PoolError, WorkerMemoryError
from app.checker.results import INTERNAL, AnswerProblem

log = logging.getLogger(__name__)

# What a client is told to wait before trying a busy checker again.
RETRY_AFTER_SECONDS = 2


class Unavailable(RuntimeError):
    """The checker could not produce this right now (busy, over a limit, or failed)."""


class CheckerBusy(RuntimeError):
    """No worker became free in time to start: nothing was decided, nothing is recorded."""

    retry_after = RETRY_AFTER_SECONDS

    def __init__(self) -> None:
        super().__init__("The checker is busy: your answer was not checked. Please try again "
                         "in a moment.")


def answer_problem(exc: PoolError) -> AnswerProblem:
    """The student-facing explanation of an answer the pool stopped (never `PoolBusy`: an
    answer that could not start is `CheckerBusy`, not a problem with the answer)."""
    if isinstance(exc, CheckTimeout) and exc.wall:
        return AnswerProblem(
            "timeout",
            f"Checking this answer did not finish within {exc.seconds:g} seconds, so there is "
            "no verdict. Try writing it in a simpler form.",
        )
    if isinstance(exc, CheckTimeout):
        return AnswerProblem(
            "timeout",
            f"Checking this answer took longer than the {exc.seconds:g}-second limit, so there "
            "is no verdict. Try writing it in a simpler form.",
        )
    if isinstance(exc, WorkerMemoryError):
        return AnswerProblem(
            "too_large",
            "Checking this answer needed more memory than allowed, so there is no verdict. "
            "Try writing it in a simpler form.",
        )
    log.error("the checking pool failed", exc_info=exc)
    return internal_problem()


def internal_problem() -> AnswerProblem:
    return AnswerProblem(
        INTERNAL, "The checker failed on this answer, so there is no verdict; please try again."
    )
