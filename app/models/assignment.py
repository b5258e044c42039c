"""Assignments: an instructor's set of problem-bank items with dates and grading policy.

All times are stored in UTC; the course's time zone is only used to show and read them.
Percentages are stored as fractions of 1 (0.1 = 10 %), so scoring never divides by 100.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy import false as sa_false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.checker.results import Verdict
from app.models.base import Base, UTCDateTime, utcnow
from app.models.course import Course


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    return Enum(cls, name=name, native_enum=False, length=20,
                values_callable=lambda members: [m.value for m in members],
                create_constraint=True)


class AssignmentStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class SolutionReveal(enum.StrEnum):
    AFTER_MISS = "after_miss"
    AFTER_DUE = "after_due"
    NEVER = "never"


class Assignment(Base):
    __tablename__ = "assignments"
    __table_args__ = (
        CheckConstraint("due_at > open_at", name="due_after_open"),
        CheckConstraint("late_penalty_per_day >= 0 AND late_penalty_per_day <= 1",
                        name="late_penalty_range"),
        CheckConstraint("late_penalty_cap >= 0 AND late_penalty_cap <= 1",
                        name="late_cap_range"),
        CheckConstraint("wrong_attempt_penalty >= 0 AND wrong_attempt_penalty <= 1",
                        name="wrong_penalty_range"),
        CheckConstraint("attempts_allowed IS NULL OR attempts_allowed >= 1",
                        name="attempts_positive"),
        CheckConstraint("form_credit >= 0 AND form_credit <= 1", name="form_credit_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    title: Mapped[str] = mapped_column(String(200))
    instructions: Mapped[str] = mapped_column(Text, default="")
    # Key for the per-student variant seeds (HMAC); never shown to students.
    secret: Mapped[str] = mapped_column(String(64))
    status: Mapped[AssignmentStatus] = mapped_column(
        _enum(AssignmentStatus, "assignment_status"), default=AssignmentStatus.DRAFT)
    open_at: Mapped[datetime] = mapped_column(UTCDateTime())
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # Late work: accepted only when `accept_late`; each started day late costs
    # `late_penalty_per_day` of the item's points, never more than `late_penalty_cap`.
    accept_late: Mapped[bool] = mapped_column(default=False)
    late_penalty_per_day: Mapped[float] = mapped_column(Float, default=0.0)
    late_penalty_cap: Mapped[float] = mapped_column(Float, default=0.0)
    # NULL means unlimited attempts.
    attempts_allowed: Mapped[int | None] = mapped_column(Integer, nullable=True)
    wrong_attempt_penalty: Mapped[float] = mapped_column(Float, default=0.0)
    solution_reveal: Mapped[SolutionReveal] = mapped_column(
        _enum(SolutionReveal, "solution_reveal"), default=SolutionReveal.AFTER_DUE)
    # The share of an item's points for an answer equal to the right one but not in the form
    # the problem asks for (a "form" verdict); 0 by default, like a wrong answer.
    form_credit: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    # Multi-part problems: credit a later part that is right given the student's own wrong
    # earlier answer, where the problem allows it (its `follow_through`).
    follow_through: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # While open, its templates are not offered in Practice to the course's students.
    hide_from_practice: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    # Made before the seed spaces (migration 0080): its students keep the variants they were
    # given, under negative seeds (`app/bank/spaces.py`, `services/assignments/variants.py`).
    legacy_seeds: Mapped[bool] = mapped_column(default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    course: Mapped[Course] = relationship()
    items: Mapped[list[AssignmentItem]] = relationship(
        back_populates="assignment", cascade="all, delete-orphan",
        order_by="AssignmentItem.position")

    @property
    def is_published(self) -> bool:
        return self.status == AssignmentStatus.PUBLISHED

    @property
    def total_points(self) -> float:
        return sum(item.points for item in self.items)

    def __repr__(self) -> str:
        return f"<Assignment {self.id} {self.title!r}>"


class AssignmentItem(Base):
    """One question of an assignment: a problem-bank template worth some points.

    The same template may appear several times; each item gets its own variant because the
    seed is derived from the item id.
    """

    __tablename__ = "assignment_items"
    __table_args__ = (CheckConstraint("points >= 0", name="points_nonnegative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    template_id: Mapped[str] = mapped_column(String(100))
    points: Mapped[float] = mapped_column(Float, default=1.0)

    assignment: Mapped[Assignment] = relationship(back_populates="items")


class Submission(Base):
    """One graded attempt at an item.

    The unique (item, student, attempt_number) constraint is what makes the attempt limit
    hold under concurrent submissions: two requests that both think they are attempt 3 cannot
    both be stored. `template_id` and `seed` are copied so the history says exactly which
    variant was answered, whatever happens to the item later.
    """

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("item_id", "student_id", "attempt_number"),
        CheckConstraint("attempt_number >= 1", name="attempt_number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_items.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    attempt_number: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    template_id: Mapped[str] = mapped_column(String(100))
    seed: Mapped[int] = mapped_column(Integer)
    answer_text: Mapped[str] = mapped_column(Text)
    # Only counted verdicts are recorded; a regrade may turn one into ``invalid`` when the
    # current engine no longer reads the stored answer.
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict, "submission_verdict"))
    # How the engine read the answer (plain syntax); groups equal answers in item analysis.
    canonical: Mapped[str | None] = mapped_column(Text, nullable=True)
    mistake_kind: Mapped[str | None] = mapped_column(String(64), nullable=True)
    mistake_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Of a wrong answer, from the checker: equivalent answers to the variant share it, so item
    # analysis groups them without running the engine (NULL for rows graded before it).
    answer_fingerprint: Mapped[str | None] = mapped_column(String(32), nullable=True)
    late_days: Mapped[int] = mapped_column(Integer, default=0)
    points_awarded: Mapped[float] = mapped_column(Float, default=0.0)

    item: Mapped[AssignmentItem] = relationship()

    @property
    def is_late(self) -> bool:
        return self.late_days > 0
