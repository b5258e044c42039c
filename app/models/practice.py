from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import BigInteger, Enum, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.checker.results import Verdict
from app.models.base import Base, UTCDateTime, utcnow

VERDICT_ENUM = Enum(Verdict, name="verdict", native_enum=False, length=20,
                    values_callable=lambda verdicts: [v.value for v in verdicts],
                    create_constraint=True)


class PracticeSubmission(Base):
    """One answer a student submitted in practice mode, exactly as typed and as graded.

    The variant is (template_id, seed): the bank regenerates it deterministically, so the
    problem itself is not copied here. Rows are never updated; the progress counters are kept
    beside them (`PracticeProgress`).
    """

    __tablename__ = "practice_submissions"
    __table_args__ = (
        # Progress pages read one user's history per template, newest last.
        Index("ix_practice_submissions_user_id_template_id_created_at",
              "user_id", "template_id", "created_at"),
        # Analysis across students ("which mistakes on this template?").
        Index("ix_practice_submissions_template_id_verdict", "template_id", "verdict"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    template_id: Mapped[str] = mapped_column(String(100))
    # Below app.bank.SEED_RANGE (31 bits); the column is wider than it needs to be.
    seed: Mapped[int] = mapped_column(BigInteger())
    answer_text: Mapped[str] = mapped_column(Text())
    verdict: Mapped[Verdict] = mapped_column(VERDICT_ENUM)
    # How the engine read the answer (plain syntax), when it could read it.
    canonical: Mapped[str | None] = mapped_column(Text(), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    mistake_kind: Mapped[str | None] = mapped_column(String(64), nullable=True)
    mistake_message: Mapped[str | None] = mapped_column(Text(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def __repr__(self) -> str:
        return (f"<PracticeSubmission {self.id} user={self.user_id} "
                f"{self.template_id}#{self.seed} {self.verdict.value}>")


class ProgressScope(enum.StrEnum):
    TEMPLATE = "template"
    TOPIC = "topic"


class PracticeProgress(Base):
    """A student's practice counters for one problem family (template) or one topic, kept
    with each counted first answer, so progress costs one small read whatever the history.

    A topic's counters count the answers given while the template was in that topic.
    """

    __tablename__ = "practice_progress"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    scope: Mapped[ProgressScope] = mapped_column(
        Enum(ProgressScope, name="progress_scope", native_enum=False, length=10,
             values_callable=lambda scopes: [s.value for s in scopes], create_constraint=True),
        primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    attempted: Mapped[int] = mapped_column(Integer, default=0)
    correct: Mapped[int] = mapped_column(Integer, default=0)
    # Correct first answers in a row, most recent first.
    streak: Mapped[int] = mapped_column(Integer, default=0)


class AnsweredVariant(Base):
    """A variant a student has given a verdict on: only the first verdict on a variant
    counts towards progress, and inserting this row is what decides which one is first,
    even when two answers arrive at once on two servers."""

    __tablename__ = "practice_answered_variants"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    template_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    seed: Mapped[int] = mapped_column(BigInteger(), primary_key=True)
