"""A course with an instructor, two students and an assignment, built through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from app.extensions import db
from app.models import Role, User
from app.models.assignment import AssignmentStatus
from app.services.assignments import builder
from app.services.courses import membership
from tests.conftest import _make_app

DUE = datetime(2026, 3, 1, 23, 59, tzinfo=UTC)
OPEN = DUE - timedelta(days=7)
TEMPLATES = ("sigmoid-affine", "bce-prediction")


@dataclass
class Setup:
    course_id: int
    assignment_id: int
    item_ids: list[int]
    instructor_id: int
    student_ids: list[int]


def build_setup(app, make_user, *, attempts=3, **settings) -> Setup:
    instructor = make_user("teach@example.org", role=Role.INSTRUCTOR, name="Teacher")
    students = [make_user("ann@example.org", name="Ann"), make_user("ben@example.org", name="Ben")]
    make_user("other@example.org", role=Role.INSTRUCTOR, name="Other")
    make_user("outsider@example.org", name="Outsider")
    with app.app_context():
        course = membership.create_course("Deep Learning", db.session.get(User, instructor),
                                       "Europe/Paris")
        for sid in students:
            membership.enrol(course, db.session.get(User, sid))
        values = {"title": "Week 1", "instructions": "Show your work.", "open_at": OPEN,
                  "due_at": DUE, "attempts_allowed": attempts, **settings}
        assignment = builder.create_assignment(course, builder.Settings(**values))
        items = [builder.add_item(assignment, t, 2, set(TEMPLATES)) for t in TEMPLATES]
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        return Setup(course.id, assignment.id, [i.id for i in items], instructor, students)


@pytest.fixture
def app(sqlite_url, tmp_path):
    """The shared app, with a generous check time limit: these tests grade real answers on a
    machine that may be busy with other test workers, and a time-out would be a false failure
    (a limit is not what they test)."""
    yield from _make_app(sqlite_url, tmp_path, CHECK_TIMEOUT_SECONDS=15)


@pytest.fixture
def setup(app, make_user) -> Setup:
    return build_setup(app, make_user)
