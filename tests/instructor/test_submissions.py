"""Submitting through the student pages, with a frozen clock, against the real engine."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.assignment import Submission
from app.services.reports import item_analysis
from app.web.coursework import routes as coursework_routes
from tests.instructor.conftest import DUE, build_setup
from tests.instructor.helpers import function_text, right_answer


@pytest.fixture
def clock(monkeypatch):
    now = {"t": DUE - timedelta(days=1)}
    monkeypatch.setattr(coursework_routes, "clock", lambda: now["t"])
    return now


def _url(s, item=0):
    return f"/courses/{s.course_id}/work/{s.assignment_id}/items/{s.item_ids[item]}"


def _subs(app, student_id):
    with app.app_context():
        return [(s.attempt_number, s.verdict.value, s.points_awarded, s.late_days)
                for s in db.session.scalars(select(Submission).where(
                    Submission.student_id == student_id).order_by(Submission.id))]


def test_wrong_then_right_with_wrong_attempt_penalty(app, client, login, make_user, clock):
    s = build_setup(app, make_user, wrong_attempt_penalty=0.25)
    ann = s.student_ids[0]
    login("ann@example.org")
    page = client.get(_url(s))
    assert page.status_code == 200 and 'data-testid="answer-input"' in page.get_data(as_text=True)
    wrong = client.post(_url(s), data={"answer": "x"})
    assert wrong.status_code == 200 and 'data-verdict="incorrect"' in wrong.get_data(as_text=True)
    unreadable = client.post(_url(s), data={"answer": "2*/x"})
    assert unreadable.status_code == 422
    right = client.post(_url(s), data={"answer": right_answer(app, s.assignment_id,
                                                              s.item_ids[0], ann)})
    assert 'data-verdict="correct"' in right.get_data(as_text=True)
    # The unreadable answer did not count; 2 points less 25 % for one miss.
    assert _subs(app, ann) == [(1, "incorrect", 0.0, 0), (2, "correct", 1.5, 0)]
    listing = client.get(f"/courses/{s.course_id}/work/{s.assignment_id}").get_data(as_text=True)
    assert "1.5 / 2" in listing


def test_attempt_limit_and_closed_deadline(app, client, login, make_user, clock):
    s = build_setup(app, make_user, attempts=2)
    login("ann@example.org")
    for _ in range(2):
        assert client.post(_url(s), data={"answer": "x"}).status_code == 200
    refused = client.post(_url(s), data={"answer": "x + 1"})
    assert refused.status_code == 409 and "used all 2 attempts" in refused.get_data(as_text=True)
    clock["t"] = DUE + timedelta(minutes=1)
    late = client.post(_url(s, 1), data={"answer": "x"})
    assert late.status_code == 409 and "takes no late work" in late.get_data(as_text=True)
    assert len(_subs(app, s.student_ids[0])) == 2


def test_late_penalty_and_best_attempt(app, client, login, make_user, clock):
    s = build_setup(app, make_user, accept_late=True, late_penalty_per_day=0.1,
                    late_penalty_cap=0.3)
    ann = s.student_ids[0]
    answer = right_answer(app, s.assignment_id, s.item_ids[0], ann)
    login("ann@example.org")
    clock["t"] = DUE + timedelta(days=1, hours=1)  # two started days late
    client.post(_url(s), data={"answer": answer})
    assert _subs(app, ann) == [(1, "correct", 1.6, 2)]
    # Solved items take no more answers.
    again = client.get(_url(s)).get_data(as_text=True)
    assert 'data-testid="answer-input"' not in again
    # After the due date the worked solution is shown (policy: after the due date).
    assert 'data-testid="solution"' in again


def test_item_analysis_groups_equivalent_wrong_answers(app, client, login, make_user, clock):
    s = build_setup(app, make_user, attempts=None)
    ann = s.student_ids[0]
    f = function_text(app, s.assignment_id, s.item_ids[0], ann)
    login("ann@example.org")
    for answer in (f"({f})*(1+({f}))", f"({f})+({f})^2", "x"):
        client.post(_url(s), data={"answer": answer})
    with app.app_context():
        from app.models.assignment import Assignment

        assignment = db.session.get(Assignment, s.assignment_id)
        stats = item_analysis.analyse(assignment)
    first = stats[0]
    assert (first.students, first.first_try_correct, first.eventually_correct) == (1, 0, 0)
    counts = sorted(g.count for g in first.wrong_groups)
    assert counts == [1, 2], [(g.examples, g.count) for g in first.wrong_groups]
    client.post("/auth/logout")
    login("teach@example.org")
    page = client.get(f"/courses/{s.course_id}/grades/assignments/{s.assignment_id}/analysis")
    assert page.status_code == 200 and page.get_data(as_text=True).count(
        'data-testid="wrong-group"') == 2
