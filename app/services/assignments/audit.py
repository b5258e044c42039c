"""The audit log of what instructors change for one student (extensions, extra attempts,
grade overrides): who, when, what, old → new, why. Rows are only ever added."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models import Course, User
from app.models.adjustments import GradeAudit
from app.models.assignment import Assignment, AssignmentItem
from app.models.base import utcnow

DUE_DATE = "due_date"
EXTRA_ATTEMPTS = "extra_attempts"
GRADE = "grade"
FIELDS = (DUE_DATE, EXTRA_ATTEMPTS, GRADE)


def iso_time(when: datetime) -> str:
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


def log(assignment: Assignment, student_id: int, item: AssignmentItem | None, actor: User,
        field: str, old: str, new: str, reason: str = "",
        at: datetime | None = None) -> GradeAudit:
    assert field in FIELDS
    entry = GradeAudit(assignment_id=assignment.id, student_id=student_id,
                       item_id=item.id if item else None,
                       item_position=item.position if item else None, actor_id=actor.id,
                       at=at or utcnow(), field=field, old_value=old, new_value=new,
                       reason=reason)
    db.session.add(entry)
    db.session.flush()
    return entry


def entries(course: Course, student_id: int) -> list[tuple[GradeAudit, str, str | None]]:
    """A student's log in a course, newest first: (entry, assignment title, author's name)."""
    actor = aliased(User)
    rows = db.session.execute(
        select(GradeAudit, Assignment.title, actor.display_name)
        .join(Assignment, GradeAudit.assignment_id == Assignment.id)
        .outerjoin(actor, GradeAudit.actor_id == actor.id)
        .where(Assignment.course_id == course.id, GradeAudit.student_id == student_id)
        .order_by(GradeAudit.at.desc(), GradeAudit.id.desc()))
    return [(entry, title, name) for entry, title, name in rows]


def export_rows(course: Course) -> Iterator[list[object]]:
    """The course's log as rows of the submissions export, oldest first."""
    student, actor = aliased(User), aliased(User)
    rows = db.session.execute(
        select(GradeAudit, student.email, Assignment.title, actor.email)
        .join(Assignment, GradeAudit.assignment_id == Assignment.id)
        .join(student, GradeAudit.student_id == student.id)
        .outerjoin(actor, GradeAudit.actor_id == actor.id)
        .where(Assignment.course_id == course.id)
        .order_by(GradeAudit.at, GradeAudit.id))
    for entry, email, title, by in rows:
        points = entry.new_value if entry.field == GRADE else ""
        yield [iso_time(entry.at), email, title, entry.item_position or "", "", "", "",
               entry.field, "", points, "", "adjustment",
               f"{entry.field}: {entry.old_value or '—'} → {entry.new_value or '—'}",
               entry.reason, by or ""]
