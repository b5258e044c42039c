"""An answer equal to the right one but not in the requested form: its own verdict in practice
and in assignments, an attempt that never counts as correct, with the instructor's credit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.bank import load_bank
from app.checker.results import Verdict
from app.config import DEFAULTS
from app.extensions import checker_of, db
from app.models import Role, User
from app.models.assignment import AssignmentStatus, Submission
from app.models.practice import PracticeSubmission
from app.services.assignments import builder, submissions
from app.services.assignments.scoring import Policy, attempt_points
from app.services.assignments.variants import seed_for
from app.services.courses import membership
from tests.conftest import _make_app
from tests.instructor.conftest import DUE, OPEN

EXP_FORM = "e^-x/(1+e^-x)^2"  # σ'(x), but the quotient-rule problem asks for σ only


def exp_form(assignment, item, student_id) -> str:
    """The exponential form of σ' in the variable of this student's variant."""
    seed = seed_for(assignment, item, student_id)
    (name,) = load_bank(DEFAULTS["PROBLEMS_DIR"]).variant(item.template_id, seed).variables
    return EXP_FORM.replace("x", name)


@pytest.fixture
def app(sqlite_url, tmp_path):
    yield from _make_app(sqlite_url, tmp_path, PROBLEMS_DIR=DEFAULTS["PROBLEMS_DIR"],
                         CHECK_TIMEOUT_SECONDS=15)


def test_grading_says_form_and_names_the_requirement(app):
    checker = checker_of(app)
    outcome = checker.grade("sigmoid-quotient-rule", 1, EXP_FORM)
    assert outcome.verdict is Verdict.FORM
    assert outcome.counted and outcome.valid and not outcome.correct
    assert outcome.mistake_kind == "sigma-only"
    assert "σ" in outcome.mistake_message
    assert checker.grade("sigmoid-quotient-rule", 1, "σ(x)(1-σ(x))").verdict is Verdict.CORRECT


def test_the_practice_page_shows_the_form_verdict_and_counts_no_success(app, client,
                                                                        make_user, login):
    user_id = make_user("fay@example.org")
    login("fay@example.org")
    response = client.post("/practice/sigmoid-quotient-rule/1", data={"answer": EXP_FORM})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'data-verdict="form"' in html
    assert "Equivalent, but not in the requested form" in html
    assert "did not count as an attempt" not in html
    with app.app_context():
        row = db.session.scalars(select(PracticeSubmission)
                                 .where(PracticeSubmission.user_id == user_id)).one()
        assert row.verdict is Verdict.FORM
    topics = client.get("/practice/").get_data(as_text=True)
    assert 'data-testid="family-sigmoid-quotient-rule"' in topics


def _assignment(app, make_user, **settings):
    teacher = make_user("teach@example.org", role=Role.INSTRUCTOR)
    student = make_user("sam@example.org")
    with app.app_context():
        course = membership.create_course("ML", db.session.get(User, teacher))
        membership.enrol(course, db.session.get(User, student))
        assignment = builder.create_assignment(course, builder.Settings(
            title="Form", instructions="", open_at=OPEN, due_at=DUE, attempts_allowed=3,
            **settings))
        item = builder.add_item(assignment, "sigmoid-quotient-rule", 4,
                                {"sigmoid-quotient-rule"})
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        return assignment.id, item.id, student


@pytest.mark.parametrize(("credit", "points"), [(0.0, 0.0), (0.5, 2.0)])
def test_an_assignment_gives_the_instructors_credit_and_takes_an_attempt(app, make_user,
                                                                         credit, points):
    assignment_id, item_id, student = _assignment(app, make_user, form_credit=credit)
    with app.app_context():
        assignment = builder.get_assignment(db.session.get(User, student).enrolments[0].course,
                                            assignment_id)
        item = builder.get_item(assignment, item_id)
        answer = exp_form(assignment, item, student)
        outcome, stored = submissions.submit_answer(assignment, item, student, answer,
                                                    checker_of(app), lambda: DUE - timedelta(1))
        db.session.commit()
        assert outcome.verdict is Verdict.FORM
        assert db.session.get(Submission, stored).points_awarded == points
        progress = next(p for p in submissions.progress(assignment, student)
                        if p.item.id == item_id)
        assert progress.attempts_used == 1 and progress.attempts_left == 2
        assert not progress.solved and progress.missed
        assert db.session.scalar(select(Submission.verdict)) is Verdict.FORM


def test_form_credit_takes_the_same_penalties_as_a_correct_answer():
    policy = Policy(OPEN, DUE, accept_late=True, late_penalty_per_day=0.1,
                    late_penalty_cap=0.5, wrong_attempt_penalty=0.25, form_credit=0.5)
    assert attempt_points(4, False, policy, 0, 0, form=True) == 2.0
    assert attempt_points(4, False, policy, 1, 1, form=True) == 4 * 0.5 * 0.9 * 0.75
    assert attempt_points(4, False, policy, 0, 0) == 0.0
    assert attempt_points(4, True, policy, 0, 0) == 4.0


def test_arithmetic_is_not_a_number_in_the_requested_form(app):
    # σ(4) ≈ 0.98201 asked as a decimal: the arithmetic has the value, not the form.
    outcome = checker_of(app).grade("sigmoid-values", 1, "1/(1+0.0183)")
    assert outcome.verdict is Verdict.FORM and outcome.mistake_kind == "number"
    assert checker_of(app).grade("sigmoid-values", 1, "0.9820").verdict is Verdict.CORRECT
