"""Per-student extensions (a later due date, extra attempts) and grade overrides.

An extension (a later due date, extra attempts) is given for the whole assignment or for one
item: an item's due date is the later of the two, and extra attempts add up. An override replaces the computed score of an item,
or (without an item) the assignment's total, and needs a reason. Every change is written to
the audit log; the functions flush and never commit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from app.extensions import db
from app.models import User
from app.models.adjustments import Extension, GradeOverride
from app.models.assignment import Assignment, AssignmentItem
from app.services.assignments import audit
from app.services.errors import ServiceError
from app.services.lti.passback import scores_changed

MAX_EXTRA_ATTEMPTS = 1000
MAX_REASON = 2000


@dataclass(frozen=True)
class Allowance:
    """What a student's extensions give them: their own due date (None: the assignment's)
    and extra attempts per item (None: the assignment-wide ones)."""

    due_at: datetime | None = None
    extra: int = 0
    extra_by_item: tuple[tuple[int, int], ...] = ()
    due_by_item: tuple[tuple[int, datetime], ...] = ()

    def extra_for(self, item_id: int | None) -> int:
        return self.extra + dict(self.extra_by_item).get(item_id, 0)

    def due_for(self, item_id: int | None) -> datetime | None:
        """The student's own due date for an item (None: the assignment's)."""
        dates = [d for d in (self.due_at, dict(self.due_by_item).get(item_id)) if d]
        return max(dates) if dates else None


NONE = Allowance()


def _extensions(assignment: Assignment, student_id: int) -> list[Extension]:
    return list(db.session.scalars(select(Extension).where(
        Extension.assignment_id == assignment.id, Extension.student_id == student_id)))


def allowance(assignment: Assignment, student_id: int) -> Allowance:
    rows = _extensions(assignment, student_id)
    if not rows:
        return NONE
    whole = next((r for r in rows if r.item_id is None), None)
    return Allowance(due_at=whole.due_at if whole else None,
                     extra=whole.extra_attempts if whole else 0,
                     extra_by_item=tuple((r.item_id, r.extra_attempts)
                                         for r in rows if r.item_id is not None),
                     due_by_item=tuple((r.item_id, r.due_at) for r in rows
                                       if r.item_id is not None and r.due_at is not None))


def due_dates(assignment: Assignment) -> dict[tuple[int, int | None], datetime]:
    """(student id, item id or None for the whole assignment) -> an extended due date."""
    return {(s, i): d for s, i, d in db.session.execute(
        select(Extension.student_id, Extension.item_id, Extension.due_at).where(
            Extension.assignment_id == assignment.id, Extension.due_at.is_not(None)))}


def due_of(assignment: Assignment, extended: dict[tuple[int, int | None], datetime],
           student_id: int, item_id: int) -> datetime:
    """A student's due date for an item, from `due_dates`."""
    return max(d for d in (assignment.due_at, extended.get((student_id, None)),
                           extended.get((student_id, item_id))) if d)


def _row(model, assignment: Assignment, student_id: int, item: AssignmentItem | None):
    item_id = item.id if item else None
    return db.session.scalars(select(model).where(
        model.assignment_id == assignment.id, model.student_id == student_id,
        model.item_id.is_(None) if item_id is None else model.item_id == item_id)).first()


def _reason(text: str | None, required: bool) -> str:
    reason = (text or "").strip()
    if required and not reason:
        raise ServiceError("Please give a reason for the change; the student will see it.")
    if len(reason) > MAX_REASON:
        raise ServiceError(f"The reason must have at most {MAX_REASON} characters.")
    return reason


def _stamp(when: datetime | None) -> str:
    return audit.iso_time(when) if when else ""


def set_extension(assignment: Assignment, student_id: int, actor: User, *,
                  item: AssignmentItem | None = None, due_at: datetime | None = None,
                  extra_attempts: int = 0, reason: str = "") -> Extension | None:
    """Set (replace) a student's extension; an empty one removes it. Returns the row."""
    reason = _reason(reason, required=False)
    if due_at is not None and due_at <= assignment.due_at:
        raise ServiceError("The extended due date must be later than the assignment's.")
    if not 0 <= extra_attempts <= MAX_EXTRA_ATTEMPTS:
        raise ServiceError(f"Extra attempts go from 0 to {MAX_EXTRA_ATTEMPTS}.")
    row = _row(Extension, assignment, student_id, item)
    old_due, old_extra = (row.due_at, row.extra_attempts) if row else (None, 0)
    if old_due == due_at and old_extra == extra_attempts:
        raise ServiceError("Nothing changed.")
    if row is None:
        row = Extension(assignment_id=assignment.id, student_id=student_id,
                        item_id=item.id if item else None)
        db.session.add(row)
    row.due_at, row.extra_attempts = due_at, extra_attempts
    if old_due != due_at:
        audit.log(assignment, student_id, item, actor, audit.DUE_DATE, _stamp(old_due),
                  _stamp(due_at), reason)
    if old_extra != extra_attempts:
        audit.log(assignment, student_id, item, actor, audit.EXTRA_ATTEMPTS, str(old_extra),
                  str(extra_attempts), reason)
    if due_at is None and extra_attempts == 0:
        db.session.delete(row)
        row = None
    db.session.flush()
    _rescore(assignment, student_id)
    return row


def _rescore(assignment: Assignment, student_id: int) -> None:
    # Answers already given late now count by the new due date; the LMS hears of the scores
    # that changed. (builder imports this module for the due dates, hence the late import.)
    from app.services.assignments.builder import recompute_scores

    recompute_scores(assignment, student_id=student_id)


def _points(value: float | None) -> str:
    return "" if value is None else f"{value:g}"


def set_override(assignment: Assignment, student_id: int, actor: User, *,
                 item: AssignmentItem | None, points: float | None,
                 reason: str) -> GradeOverride | None:
    """Set a student's points by hand (None removes the override); a reason is required."""
    reason = _reason(reason, required=True)
    limit = item.points if item is not None else assignment.total_points
    if points is not None and (not math.isfinite(points) or not 0 <= points <= limit):
        raise ServiceError(f"The points go from 0 to {limit:g}.")
    row = _row(GradeOverride, assignment, student_id, item)
    old = row.points if row else None
    if row is None and points is None:
        raise ServiceError("There is no override to remove.")
    if row is not None and points == old and reason == row.reason:
        raise ServiceError("Nothing changed.")
    if points is None:
        db.session.delete(row)
        row = None
    else:
        if row is None:
            row = GradeOverride(assignment_id=assignment.id, student_id=student_id,
                                item_id=item.id if item else None)
            db.session.add(row)
        row.points, row.reason = round(points, 4), reason
    audit.log(assignment, student_id, item, actor, audit.GRADE, _points(old), _points(points),
              reason)
    db.session.flush()
    scores_changed(assignment, [student_id])
    return row


def overrides(assignment_ids: list[int],
              student_id: int | None = None) -> dict[tuple[int, int, int | None], float]:
    """(student, assignment, item or None) -> overridden points."""
    if not assignment_ids:
        return {}
    query = select(GradeOverride.student_id, GradeOverride.assignment_id,
                   GradeOverride.item_id, GradeOverride.points).where(
        GradeOverride.assignment_id.in_(assignment_ids))
    if student_id is not None:
        query = query.where(GradeOverride.student_id == student_id)
    return {(s, a, i): float(p) for s, a, i, p in db.session.execute(query)}


def current(assignment: Assignment, student_id: int
            ) -> tuple[list[Extension], list[GradeOverride]]:
    """A student's extensions and overrides on one assignment (for the instructor's forms)."""
    return (_extensions(assignment, student_id),
            list(db.session.scalars(select(GradeOverride).where(
                GradeOverride.assignment_id == assignment.id,
                GradeOverride.student_id == student_id))))
