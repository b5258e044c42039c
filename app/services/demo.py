"""An idempotent demo: one instructor, two students, one course with a published sample
assignment.

The passwords are public by design; never seed a production database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.extensions import db
from app.models import Course, Role
from app.models.assignment import Assignment, AssignmentStatus, SolutionReveal
from app.models.base import utcnow
from app.services.accounts import users
from app.services.assignments import builder
from app.services.courses import membership

DEMO_COURSE_TITLE = "Demo: Machine Learning Foundations"
DEMO_ASSIGNMENT_TITLE = "Week 1: the sigmoid and cross-entropy"
# Two items from one template show that each item gets its own variant.
DEMO_ITEMS = (("sigmoid-affine", 2.0), ("sigmoid-affine", 2.0), ("bce-prediction", 3.0))


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    password: str


DEMO_ACCOUNTS = (
    DemoAccount("instructor@example.com", "Ada Instructor", Role.INSTRUCTOR, "instructor-demo"),
    DemoAccount("alice@example.com", "Alice Student", Role.STUDENT, "student-demo"),
    DemoAccount("bob@example.com", "Bob Student", Role.STUDENT, "student-demo"),
)


def seed_demo_assignment(course: Course, known_templates: Collection[str]) -> Assignment:
    """The sample assignment, created once: open now, due in two weeks, late work at 10 % a
    day up to 50 %, three attempts per item."""
    existing = db.session.scalar(select(Assignment).where(
        Assignment.course_id == course.id, Assignment.title == DEMO_ASSIGNMENT_TITLE))
    if existing is not None:
        return existing
    now = utcnow().replace(second=0, microsecond=0)
    assignment = builder.create_assignment(course, builder.Settings(
        title=DEMO_ASSIGNMENT_TITLE,
        instructions="Differentiate each function. You have three attempts per item.",
        open_at=now - timedelta(days=1), due_at=now + timedelta(days=14), accept_late=True,
        late_penalty_per_day=0.1, late_penalty_cap=0.5, attempts_allowed=3,
        solution_reveal=SolutionReveal.AFTER_MISS))
    for template_id, points in DEMO_ITEMS:
        builder.add_item(assignment, template_id, points, known_templates)
    builder.set_status(assignment, AssignmentStatus.PUBLISHED)
    return assignment


def seed_demo() -> tuple[Course, list[DemoAccount]]:
    by_email = {}
    for account in DEMO_ACCOUNTS:
        user = users.find_user_by_email(account.email)
        if user is None:
            user = users.create_user(account.email, account.name, account.password,
                                        account.role)
        by_email[account.email] = user
    instructor = by_email[DEMO_ACCOUNTS[0].email]
    course = db.session.scalar(select(Course).where(Course.title == DEMO_COURSE_TITLE))
    if course is None:
        course = membership.create_course(DEMO_COURSE_TITLE, instructor)
    for account in DEMO_ACCOUNTS[1:]:
        membership.enrol(course, by_email[account.email])
    return course, list(DEMO_ACCOUNTS)
