"""The attempt limit holds when many answers to one item arrive at once (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app import create_app
from app.checker.results import GradeOutcome
from app.extensions import db
from app.models import Role, User
from app.models.assignment import Assignment, AssignmentItem, AssignmentStatus, Submission, Verdict
from app.services.accounts import users
from app.services.assignments import builder, submissions
from app.services.courses import membership
from app.services.errors import Conflict
from tests.conftest import TEST_PASSWORD, base_config

NOW = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _setup(app, attempts: int | None) -> tuple[int, int, int]:
    with app.app_context():
        db.create_all()
        teacher = users.create_user("t@example.org", "T", TEST_PASSWORD, Role.INSTRUCTOR)
        student = users.create_user("s@example.org", "S", TEST_PASSWORD)
        course = membership.create_course("C", teacher)
        membership.enrol(course, student)
        assignment = builder.create_assignment(course, builder.Settings(
            title="A", instructions="", open_at=datetime(2026, 2, 1, tzinfo=UTC),
            due_at=datetime(2026, 4, 1, tzinfo=UTC), attempts_allowed=attempts))
        item = builder.add_item(assignment, "sigmoid-affine", 1, {"sigmoid-affine"})
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        return assignment.id, item.id, student.id


def _race(app, assignment_id, item_id, student_id, threads: int) -> list[str]:
    barrier = threading.Barrier(threads)
    results: list[str] = []
    lock = threading.Lock()

    def submit(n: int) -> None:
        with app.app_context():
            assignment = db.session.get(Assignment, assignment_id)
            item = db.session.get(AssignmentItem, item_id)
            barrier.wait()
            try:
                submissions.record(assignment, item, student_id, 7, f"x+{n}",
                                   GradeOutcome(Verdict.INCORRECT), NOW)
                db.session.commit()
                outcome = "stored"
            except Conflict:
                db.session.rollback()
                outcome = "refused"
            finally:
                db.session.remove()
            with lock:
                results.append(outcome)

    workers = [threading.Thread(target=submit, args=(n,)) for n in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.parametrize(("threads", "attempts"), [(2, 1), (50, 3), (50, None)])
def test_concurrent_submissions_never_exceed_the_limit(postgres_url, threads, attempts):
    app = create_app(base_config(postgres_url, SQLALCHEMY_ENGINE_OPTIONS={
        "pool_size": 60, "max_overflow": 0}))
    try:
        assignment_id, item_id, student_id = _setup(app, attempts)
        results = _race(app, assignment_id, item_id, student_id, threads)
        expected = threads if attempts is None else attempts
        assert results.count("stored") == expected
        assert len(results) == threads
        with app.app_context():
            numbers = db.session.scalars(select(Submission.attempt_number)
                                         .order_by(Submission.attempt_number)).all()
            assert numbers == list(range(1, expected + 1))
            assert db.session.scalar(select(func.count(User.id))) == 2
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
