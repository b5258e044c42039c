"""Try as student: the student's item page over a sandbox that nothing else reads."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import PracticeProgress, PracticeSubmission, ScoreOutbox
from app.models.adjustments import SandboxAttempt
from app.models.assignment import Submission
from app.web.coursework import routes as coursework_routes
from tests.instructor.conftest import DUE, build_setup
from tests.instructor.helpers import right_answer


@pytest.fixture
def clock(monkeypatch):
    now = {"t": DUE - timedelta(days=1)}
    monkeypatch.setattr(coursework_routes, "clock", lambda: now["t"])
    return now


def _try(s, item=0):
    return f"/courses/{s.course_id}/work/{s.assignment_id}/items/{s.item_ids[item]}/try"


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _reports(client, s):
    """The exports byte for byte, and the grade pages without what changes per request."""
    base = f"/courses/{s.course_id}/grades"
    return [re.sub(rb'(nonce|value|content)="[^"]*"', b"", client.get(url).get_data())
            for url in (
        f"{base}/export/gradebook.csv", f"{base}/export/submissions.csv",
        f"{base}/export/canvas.csv", f"{base}/assignments/{s.assignment_id}/analysis",
        f"{base}/assignments/{s.assignment_id}")]


def test_trying_counts_attempts_and_records_nothing_real(app, client, login, make_user, clock):
    s = build_setup(app, make_user, attempts=2, solution_reveal="after_miss")
    teacher = s.instructor_id
    login("teach@example.org")
    before = _reports(client, s)
    edit = client.get(f"/courses/{s.course_id}/assignments/{s.assignment_id}")
    assert 'data-testid="try-as-student"' in edit.get_data(as_text=True)
    # The student URL sends the instructor to the sandbox.
    student_url = f"/courses/{s.course_id}/work/{s.assignment_id}/items/{s.item_ids[0]}"
    assert client.get(student_url).location.endswith(_try(s))

    page = client.get(_try(s)).get_data(as_text=True)
    assert 'data-testid="sandbox-banner"' in page and "nothing is recorded" in page
    assert 'data-testid="answer-input"' in page and 'data-testid="solution"' not in page
    wrong = client.post(_try(s), data={"answer": "x"}).get_data(as_text=True)
    assert 'data-verdict="incorrect"' in wrong and "left 1" in wrong
    # After a wrong attempt the policy shows the solution, as it would to a student.
    assert 'data-testid="solution"' in wrong
    right = client.post(_try(s), data={"answer": right_answer(app, s.assignment_id,
                                                              s.item_ids[0], teacher)})
    assert 'data-verdict="correct"' in right.get_data(as_text=True)
    assert _count(app, SandboxAttempt) == 2

    assert _count(app, Submission) == 0
    assert _count(app, ScoreOutbox) == 0
    assert _count(app, PracticeSubmission) == 0 and _count(app, PracticeProgress) == 0
    assert _reports(client, s) == before
    listing = client.get(f"/courses/{s.course_id}/work/{s.assignment_id}/try")
    assert "2 / 2" in listing.get_data(as_text=True)

    reset = client.post(f"/courses/{s.course_id}/work/{s.assignment_id}/try/reset")
    assert reset.status_code == 302
    assert _count(app, SandboxAttempt) == 0
    fresh = client.get(_try(s)).get_data(as_text=True)
    assert "attempts used 0" in fresh


def test_trying_follows_the_limit_and_the_deadline(app, client, login, make_user, clock):
    s = build_setup(app, make_user, attempts=1)
    login("teach@example.org")
    client.post(_try(s), data={"answer": "x"})
    refused = client.post(_try(s), data={"answer": "x + 1"})
    assert refused.status_code == 409 and "used all 1 attempts" in refused.get_data(as_text=True)
    clock["t"] = DUE + timedelta(minutes=1)
    closed = client.get(_try(s, 1)).get_data(as_text=True)
    assert "takes no late work" in closed and 'data-testid="answer-input"' not in closed


def test_only_the_course_instructors_may_try(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("other@example.org")
    assert client.get(_try(s)).status_code == 404
    client.post("/auth/logout")
    login("ann@example.org")
    assert client.get(_try(s)).status_code == 403
    assert client.post(f"/courses/{s.course_id}/work/{s.assignment_id}/try/reset"
                       ).status_code == 403
