"""Practice mode: fresh variants and the record of every submitted answer."""

from __future__ import annotations

import secrets

from app.bank import SEED_RANGE
from app.checker.results import GradeOutcome
from app.extensions import db
from app.models.practice import PracticeSubmission


def new_seed(avoid: int | None = None) -> int:
    """A random seed for a fresh variant, different from `avoid` (the one just shown)."""
    while True:
        seed = secrets.randbelow(SEED_RANGE)
        if seed != avoid:
            return seed


def record(user_id: int, template_id: str, seed: int, answer: str,
           outcome: GradeOutcome) -> PracticeSubmission:
    """Store one submission as graded; unreadable answers and time-outs are kept too (they
    show what students type) but their verdict says they are not attempts."""
    submission = PracticeSubmission(
        user_id=user_id,
        template_id=template_id,
        seed=seed,
        answer_text=answer,
        verdict=outcome.verdict,
        canonical=outcome.canonical,
        error_code=outcome.error.code if outcome.error else None,
        mistake_kind=outcome.mistake_kind,
        mistake_message=outcome.mistake_message,
    )
    db.session.add(submission)
    db.session.flush()
    return submission
