"""A student's practice progress: attempts, correct answers and current streak, per problem
family (template) and per topic.

Only verdicts count: unreadable answers and time-outs are stored but are not attempts. And
only the first verdict on a variant counts: answering the same variant again after seeing
its worked solution proves nothing, and must not pad a streak.

The counters are kept with each counted first answer (`count`) instead of being recomputed
from the history, so every page reads a handful of rows whatever the student's history: one
row per template and per topic, and one marker row per answered variant.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from types import SimpleNamespace

from sqlalchemy import and_, bindparam, exists, literal, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.extensions import db
from app.models.practice import AnsweredVariant, PracticeProgress, ProgressScope


@dataclass(frozen=True)
class Progress:
    attempted: int = 0
    correct: int = 0
    # Correct answers in a row, most recent first; a miss resets it to 0.
    streak: int = 0

    def after(self, correct: bool) -> Progress:
        if correct:
            return Progress(self.attempted + 1, self.correct + 1, self.streak + 1)
        return Progress(self.attempted + 1, self.correct, 0)


@dataclass(frozen=True)
class Report:
    templates: dict[str, Progress] = field(default_factory=dict)
    topics: dict[str, Progress] = field(default_factory=dict)


# The statements are built once per backend and run on the session's connection: building a
# statement and going through the ORM layer cost several times more than running one.
@cache
def _statements(dialect: str) -> SimpleNamespace:
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    P, A = PracticeProgress.__table__.c, AnsweredVariant.__table__.c
    mark = (insert(AnsweredVariant.__table__).on_conflict_do_nothing().returning(A.user_id))
    counts = {}
    for correct in (False, True):
        counts[correct] = insert(PracticeProgress.__table__).on_conflict_do_update(
            index_elements=[P.user_id, P.scope, P.key],
            set_={"attempted": P.attempted + 1,
                  "correct": P.correct + (1 if correct else 0),
                  "streak": P.streak + 1 if correct else literal(0)},
        ).returning(P.scope, P.attempted, P.correct, P.streak)
    answered = exists().where(A.user_id == bindparam("user_id"),
                              A.template_id == bindparam("template_id"),
                              A.seed == bindparam("seed"))
    one = select(literal(1).label("one")).subquery()
    of_variant = (select(answered.label("answered"), P.attempted, P.correct, P.streak)
                  .select_from(one)
                  .outerjoin(PracticeProgress.__table__,
                             and_(P.user_id == bindparam("user_id"),
                                  P.scope == ProgressScope.TEMPLATE,
                                  P.key == bindparam("template_id"))))
    report = (select(P.scope, P.key, P.attempted, P.correct, P.streak)
              .where(P.user_id == bindparam("user_id")))
    return SimpleNamespace(mark=mark, counts=counts, of_variant=of_variant, report=report)


def _run(name: str, params, correct: bool | None = None):
    connection = db.session.connection()
    statement = getattr(_statements(connection.dialect.name), name)
    if correct is not None:
        statement = statement[correct]
    return connection.execute(statement, params)


def mark_answered(user_id: int, template_id: str, seed: int) -> bool:
    """Record that the student gave a verdict on this variant; True when this is the first.

    The primary key decides: of two answers racing on two servers, exactly one inserts."""
    inserted = _run("mark", {"user_id": user_id, "template_id": template_id, "seed": seed})
    return inserted.first() is not None


def count(user_id: int, template_id: str, topic: str | None, correct: bool) -> Progress:
    """Add one counted first answer to the template's and the topic's counters; returns the
    template's progress after it. The row lock this takes orders a student's concurrent
    answers, so the streak follows the order in which they were recorded."""
    start = Progress().after(correct)
    rows = [{"user_id": user_id, "scope": ProgressScope.TEMPLATE, "key": template_id,
             "attempted": start.attempted, "correct": start.correct, "streak": start.streak}]
    if topic is not None:
        rows.append({**rows[0], "scope": ProgressScope.TOPIC, "key": topic})
    for scope, attempted, right, streak in _run("counts", rows, correct).all():
        if scope is ProgressScope.TEMPLATE:
            return Progress(attempted, right, streak)
    raise AssertionError("the template's counters were not returned")


def of_variant(user_id: int, template_id: str, seed: int) -> tuple[Progress, bool]:
    """The template's progress, and whether this variant already got a verdict (one query)."""
    row = _run("of_variant", {"user_id": user_id, "template_id": template_id,
                              "seed": seed}).one()
    progress = Progress() if row.attempted is None else Progress(row.attempted, row.correct,
                                                                 row.streak)
    return progress, bool(row.answered)


def report(user_id: int) -> Report:
    """Progress per template and per topic."""
    templates: dict[str, Progress] = {}
    topics: dict[str, Progress] = {}
    for scope, key, attempted, correct, streak in _run("report", {"user_id": user_id}):
        into = templates if scope is ProgressScope.TEMPLATE else topics
        into[key] = Progress(attempted, correct, streak)
    return Report(templates, topics)
