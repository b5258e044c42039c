"""An assignment item page costs the same whatever the student's number of attempts: its
progress is one aggregate, and it lists only the latest attempts."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from app.checker.results import GradeOutcome, Verdict
from app.extensions import db
from app.models.assignment import Assignment, AssignmentItem
from app.services.assignments import submissions
from app.services.assignments.variants import seed_for
from app.web.coursework import routes as coursework_routes
from tests.instructor.conftest import DUE, build_setup


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(coursework_routes, "clock", lambda: DUE - timedelta(days=1))


def _wrong(app, s, student_id, count):
    with app.app_context():
        assignment = db.session.get(Assignment, s.assignment_id)
        item = db.session.get(AssignmentItem, s.item_ids[0])
        for index in range(count):
            submissions.record(assignment, item, student_id,
                               seed_for(assignment, item, student_id), f"x + {index}",
                               GradeOutcome(Verdict.INCORRECT),
                               datetime(2026, 2, 27, tzinfo=UTC))
        db.session.commit()


def _statements(app, client, url) -> tuple[int, str]:
    seen = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        html = client.get(url).get_data(as_text=True)
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return len(seen), html


def test_item_page_lists_the_latest_attempts_at_a_constant_cost(app, client, login, make_user,
                                                                clock):
    s = build_setup(app, make_user, attempts=None)
    ann = s.student_ids[0]
    url = f"/courses/{s.course_id}/work/{s.assignment_id}/items/{s.item_ids[0]}"
    login("ann@example.org")
    _wrong(app, s, ann, 1)
    client.get(url)
    few, html = _statements(app, client, url)
    assert "attempts used 1" in " ".join(html.split())
    _wrong(app, s, ann, submissions.HISTORY_SHOWN + 9)
    many, html = _statements(app, client, url)
    assert many == few
    text = " ".join(html.split())
    assert f"attempts used {submissions.HISTORY_SHOWN + 10}" in text
    assert "10 earlier attempts are not listed" in text
    rows = re.findall(r"<tr><td>(\d+)</td>", html)
    assert rows == [str(n) for n in range(11, submissions.HISTORY_SHOWN + 11)]
