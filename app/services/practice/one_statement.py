"""Recording a practice answer on PostgreSQL in one statement.

The marker of the answered variant, the template's and the topic's counters, the submission
row and the progress the page shows are one round trip: data-modifying CTEs run exactly once
each, whether or not the final SELECT reads them. The final SELECT sees the counters as the
statement found them, so it takes the counters' new values from the upsert when there was
one. `app.services.practice.attempts` runs the same steps one by one elsewhere (SQLite).

Being one statement, it can also be a transaction of its own: when the answer is all the
request writes (`own_transaction`), it runs through the driver on an autocommit connection
(`app.services.driver_queries`), all or nothing, and no BEGIN or COMMIT travels.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, text

from app.checker.results import GradeOutcome
from app.extensions import db
from app.services.driver_queries import DriverQuery
from app.services.practice.progress import Progress

RECORD = text("""
WITH mark AS (
    INSERT INTO practice_answered_variants (user_id, template_id, seed)
    SELECT :user_id, :template_id, :seed WHERE :counted
    ON CONFLICT DO NOTHING
    RETURNING 1
), counted AS (
    INSERT INTO practice_progress AS p (user_id, scope, key, attempted, correct, streak)
    SELECT :user_id, v.scope, v.key, 1, :right, :right
    FROM (VALUES ('template', CAST(:template_id AS VARCHAR)),
                 ('topic', CAST(:topic AS VARCHAR))) AS v (scope, key)
    WHERE v.key IS NOT NULL AND EXISTS (SELECT 1 FROM mark)
    ON CONFLICT (user_id, scope, key) DO UPDATE
    SET attempted = p.attempted + 1,
        correct = p.correct + EXCLUDED.correct,
        streak = CASE WHEN EXCLUDED.correct = 1 THEN p.streak + 1 ELSE 0 END
    RETURNING p.scope, p.attempted, p.correct, p.streak
), stored AS (
    INSERT INTO practice_submissions (user_id, template_id, seed, answer_text, verdict,
                                      canonical, error_code, mistake_kind, mistake_message,
                                      created_at)
    VALUES (:user_id, :template_id, :seed, :answer_text, :verdict, :canonical, :error_code,
            :mistake_kind, :mistake_message, now())
    RETURNING id
)
SELECT COALESCE(c.attempted, p.attempted, 0) AS attempted,
       COALESCE(c.correct, p.correct, 0) AS correct,
       COALESCE(c.streak, p.streak, 0) AS streak,
       EXISTS (SELECT 1 FROM practice_answered_variants a
               WHERE a.user_id = :user_id AND a.template_id = :template_id
                 AND a.seed = :seed) AS answered,
       (SELECT id FROM stored) AS submission_id
FROM (SELECT 1) AS one
LEFT JOIN counted c ON c.scope = 'template'
LEFT JOIN practice_progress p
       ON p.user_id = :user_id AND p.scope = 'template' AND p.key = :template_id
""").columns(attempted=Integer, correct=Integer, streak=Integer, answered=Boolean,
             submission_id=Integer)
_ALONE = DriverQuery(RECORD)


def record(user_id: int, template_id: str, topic: str | None, seed: int, answer: str,
           outcome: GradeOutcome, *, own_transaction: bool) -> tuple[tuple[Progress, bool], int]:
    """((the template's progress after the answer, whether the variant had a verdict
    before), the stored submission's id). `own_transaction`: committed on return, outside
    the session's transaction; otherwise part of it, for the caller to commit."""
    params = {
        "user_id": user_id, "template_id": template_id, "topic": topic, "seed": seed,
        "counted": outcome.counted, "right": 1 if outcome.correct else 0,
        "answer_text": answer, "verdict": outcome.verdict.value,
        "canonical": outcome.canonical,
        "error_code": outcome.error.code if outcome.error else None,
        "mistake_kind": outcome.mistake_kind, "mistake_message": outcome.mistake_message,
    }
    if own_transaction:
        row = _ALONE.one_or_none(db.engine, params)
    else:
        row = db.session.connection().execute(RECORD, params).mappings().one()
    return ((Progress(row["attempted"], row["correct"], row["streak"]), row["answered"]),
            row["submission_id"])
