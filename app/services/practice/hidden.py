"""Templates that Practice does not offer a student while an assignment of theirs uses them.

Two reasons: the instructor marked the assignment "hide its templates from practice while
open", or the template has a single variant (no parameters), so practice could only show the
assignment's own problem (`app/bank/spaces.py` keeps every other template's practice and
assignment variants apart). Only published assignments of courses the student is enrolled in
as a student count, from their opening until their due date, or the latest extended one;
one that accepts late work keeps hiding while it is published, since it still takes answers.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models import Course, Enrolment, EnrolmentRole
from app.models.adjustments import Extension
from app.models.assignment import Assignment, AssignmentItem, AssignmentStatus


@dataclass(frozen=True)
class Hidden:
    template_id: str
    assignment_title: str
    course_title: str
    # When practice offers it again (None: while the assignment takes late work).
    until: datetime | None
    timezone: str


def hidden_templates(user_id: int, now: datetime,
                     single_variant: Collection[str] = ()) -> dict[str, Hidden]:
    """Template id -> why it is hidden from this user's practice now."""
    latest_extension = (select(func.max(Extension.due_at))
                        .where(Extension.assignment_id == Assignment.id)
                        .scalar_subquery())
    wanted = Assignment.hide_from_practice
    if single_variant:
        wanted = or_(wanted, AssignmentItem.template_id.in_(list(single_variant)))
    rows = db.session.execute(
        select(AssignmentItem.template_id, Assignment.title, Assignment.due_at,
               Assignment.accept_late, latest_extension, Course.title, Course.timezone)
        .join(Assignment, AssignmentItem.assignment_id == Assignment.id)
        .join(Course, Assignment.course_id == Course.id)
        .join(Enrolment, Enrolment.course_id == Course.id)
        .where(Enrolment.user_id == user_id, Enrolment.role == EnrolmentRole.STUDENT,
               Assignment.status == AssignmentStatus.PUBLISHED, Assignment.open_at <= now,
               wanted))
    found: dict[str, Hidden] = {}
    for template_id, title, due_at, accept_late, extended, course, timezone in rows:
        until = max(due_at, extended) if extended is not None else due_at
        if accept_late:
            until = None
        elif now > until:
            continue
        known = found.get(template_id)
        if known is None or (known.until is not None and (until is None or until > known.until)):
            found[template_id] = Hidden(template_id, title, course, until, timezone)
    return found
