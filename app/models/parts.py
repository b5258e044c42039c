"""Per-part answers of multi-part problems: one row per part of a graded answer, beside the
row of the whole answer (an assignment `Submission`, a `PracticeSubmission`), which keeps
the answers together, the whole verdict and (for assignments) the partial-credit points."""

from __future__ import annotations

from sqlalchemy import Boolean, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from app.checker.results import Verdict
from app.models.base import Base


def _verdict(name: str) -> Enum:
    return Enum(Verdict, name=name, native_enum=False, length=20, create_constraint=True,
                values_callable=lambda verdicts: [v.value for v in verdicts])


class _PartAnswer:
    id: Mapped[int] = mapped_column(primary_key=True)
    # The part's place in the template and its id (the name later parts use).
    position: Mapped[int] = mapped_column(Integer)
    part_id: Mapped[str] = mapped_column(String(40))
    answer_text: Mapped[str] = mapped_column(Text)
    canonical: Mapped[str | None] = mapped_column(Text, nullable=True)
    mistake_kind: Mapped[str | None] = mapped_column(String(64), nullable=True)
    mistake_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    answer_fingerprint: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # Right given the student's own (wrong) earlier answers (follow-through).
    carried: Mapped[bool] = mapped_column(Boolean, default=False)
    # The part's weight (its `points` in the template when graded) and its share of them
    # as credited (1, the form credit, 0): rescoring under new settings needs both.
    points: Mapped[float] = mapped_column(Float, default=1.0)
    credit: Mapped[float] = mapped_column(Float, default=0.0)


class SubmissionPart(_PartAnswer, Base):
    __tablename__ = "submission_parts"
    __table_args__ = (UniqueConstraint("submission_id", "position"),)

    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def verdict(cls) -> Mapped[Verdict]:
        return mapped_column(_verdict("submission_part_verdict"), nullable=False)


class PracticeSubmissionPart(_PartAnswer, Base):
    __tablename__ = "practice_submission_parts"
    __table_args__ = (UniqueConstraint("practice_submission_id", "position"),)

    practice_submission_id: Mapped[int] = mapped_column(
        ForeignKey("practice_submissions.id", ondelete="CASCADE"), index=True)

    @declared_attr
    def verdict(cls) -> Mapped[Verdict]:
        return mapped_column(_verdict("practice_part_verdict"), nullable=False)
