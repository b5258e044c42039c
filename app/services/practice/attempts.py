"""Practice mode: fresh variants and the record of every submitted answer."""

from __future__ import annotations

import secrets

from sqlalchemy import insert

from app import db_events
from app.bank.spaces import PRACTICE_SEEDS
from app.checker.results import GradeOutcome
from app.extensions import db
from app.models.parts import PracticeSubmissionPart
from app.models.practice import PracticeSubmission
from app.services.driver_queries import runs_on
from app.services.practice import one_statement, progress
from app.services.practice.progress import Progress

# Built once: a Core INSERT of the table costs a fraction of an ORM flush.
_INSERT = insert(PracticeSubmission.__table__).returning(PracticeSubmission.__table__.c.id)
_INSERT_PARTS = insert(PracticeSubmissionPart.__table__)


def new_seed(avoid: int | None = None) -> int:
    """A random practice seed for a fresh variant, different from `avoid` (the one just
    shown); never one of the seeds assignments use."""
    while True:
        seed = secrets.randbelow(len(PRACTICE_SEEDS))
        if seed != avoid:
            return seed


def record(user_id: int, template_id: str, topic: str | None, seed: int, answer: str,
           outcome: GradeOutcome, parts: list[dict] | None = None,
           alone: bool = False) -> tuple[Progress, bool]:
    """Store one submission as graded; return the template's progress after it and whether
    the variant already had a verdict before it.

    Unreadable answers and time-outs are kept too (they show what students type) but their
    verdict says they are not attempts; a verdict counts when it is the student's first on
    the variant (`topic`: the template's topic now, whose counters it also counts in).
    `parts` are the rows of a multi-part answer's parts, stored with it.

    `alone`: the caller writes nothing else in its transaction. On PostgreSQL such an answer
    without parts, in a request whose transaction has not yet run anything on the database,
    is committed when this returns (one statement, all or nothing: see `one_statement`) and
    the caller's commit has nothing left to do. Anything else joins the session's
    transaction for the caller to commit: a transaction that has run statements may hold
    locks this statement would wait on from another connection, or writes it must commit
    with.
    """
    session = db.session()
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        own = alone and not parts and runs_on(dialect) and db_events.untouched(session)
        known, stored = one_statement.record(user_id, template_id, topic, seed, answer, outcome,
                                             own_transaction=own)
        _store_parts(stored, parts)
        return known
    before = progress.of_variant(user_id, template_id, seed)
    first = outcome.counted and progress.mark_answered(user_id, template_id, seed)
    after = progress.count(user_id, template_id, topic, outcome.correct) if first else before[0]
    stored = db.session.connection().execute(_INSERT, {
        "user_id": user_id,
        "template_id": template_id,
        "seed": seed,
        "answer_text": answer,
        "verdict": outcome.verdict,
        "canonical": outcome.canonical,
        "error_code": outcome.error.code if outcome.error else None,
        "mistake_kind": outcome.mistake_kind,
        "mistake_message": outcome.mistake_message,
    }).scalar_one()
    _store_parts(stored, parts)
    return after, before[1]


def _store_parts(submission_id: int, parts: list[dict] | None) -> None:
    if parts:
        db.session.connection().execute(
            _INSERT_PARTS, [{**row, "practice_submission_id": submission_id} for row in parts])
