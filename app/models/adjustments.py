"""What an instructor changes for one student: extensions, grade overrides, the audit log,
and the attempts an instructor makes while trying an assignment as a student.

Extensions and overrides apply to one (assignment, student) and optionally to one item:
``item_id`` NULL means the whole assignment. The services keep at most one row per
(assignment, student, item) and write every change to ``grade_audit``.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.checker.results import Verdict
from app.models.assignment import _enum
from app.models.base import Base, UTCDateTime, utcnow


class Extension(Base):
    """A later due date (assignment-wide only) and extra attempts for one student."""

    __tablename__ = "extensions"
    __table_args__ = (CheckConstraint("extra_attempts >= 0", name="extra_attempts_nonnegative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_items.id", ondelete="CASCADE"), nullable=True)
    due_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    extra_attempts: Mapped[int] = mapped_column(Integer, default=0)


class GradeOverride(Base):
    """Points an instructor set by hand, replacing the computed score of an item (or, with
    no item, of the whole assignment)."""

    __tablename__ = "grade_overrides"
    __table_args__ = (CheckConstraint("points >= 0", name="override_points_nonnegative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_items.id", ondelete="CASCADE"), nullable=True)
    points: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(Text)


class GradeAudit(Base):
    """One change to a student's deadline, attempts or grade: who, when, what, old → new,
    why. Rows are only ever added."""

    __tablename__ = "grade_audit"

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                            index=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignment_items.id", ondelete="SET NULL"), nullable=True)
    # Kept as a number too: an item removed later still says which position it had.
    item_position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # "due_date", "extra_attempts" or "grade"
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[str] = mapped_column(String(64), default="")
    new_value: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")


class SandboxAttempt(Base):
    """An attempt made while trying an assignment as a student. Its own table, read only by
    the try-as-student pages: the gradebook, exports, item analysis, LTI passback and practice
    progress never see it."""

    __tablename__ = "sandbox_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("assignment_items.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         index=True)
    attempt_number: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    answer_text: Mapped[str] = mapped_column(Text)
    verdict: Mapped[Verdict] = mapped_column(_enum(Verdict, "sandbox_verdict"))
    late_days: Mapped[int] = mapped_column(Integer, default=0)
    points_awarded: Mapped[float] = mapped_column(Float, default=0.0)

    @property
    def is_late(self) -> bool:
        return self.late_days > 0
