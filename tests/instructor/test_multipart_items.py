"""Multi-part items through the student pages and in practice: one box per part, per-part
verdicts, partial credit with follow-through in the stored points, the per-part rows, the
gradebook and the exports."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import Course, Role, User
from app.models.adjustments import SandboxAttempt
from app.models.assignment import AssignmentStatus, Submission
from app.models.parts import PracticeSubmissionPart, SubmissionPart
from app.models.practice import PracticeSubmission
from app.services.assignments import builder
from app.services.courses import membership
from app.services.reports import exports, gradebook
from app.web.coursework import routes as coursework_routes
from tests.instructor.helpers import variant_of

DUE = datetime(2026, 3, 1, 23, 59, tzinfo=UTC)
TEMPLATE = "bce-chain-parts"


@pytest.fixture
def clock(monkeypatch):
    monkeypatch.setattr(coursework_routes, "clock", lambda: DUE - timedelta(days=1))


@pytest.fixture
def item(app, make_user, clock):
    instructor = make_user("teach@example.org", role=Role.INSTRUCTOR, name="Teacher")
    ann = make_user("ann@example.org", name="Ann")
    with app.app_context():
        course = membership.create_course("DL", db.session.get(User, instructor), "UTC")
        membership.enrol(course, db.session.get(User, ann))
        assignment = builder.create_assignment(course, builder.Settings(
            title="Chains", instructions="", open_at=DUE - timedelta(days=7), due_at=DUE,
            attempts_allowed=3, wrong_attempt_penalty=0.0))
        added = builder.add_item(assignment, TEMPLATE, 4, {TEMPLATE})
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        url = f"/courses/{course.id}/work/{assignment.id}/items/{added.id}"
        return {"url": url, "ann": ann, "assignment": assignment.id, "item": added.id,
                "course": course.id}


def _answers(app, item):
    """(right answers, a wrong (a) with (b) right and (c) carried from the wrong (a))."""
    variant = variant_of(app, item["assignment"], item["item"], item["ann"])
    t = dict(variant.params)["t"]
    z = dict(variant.params)["z"]
    right = {"part-dLdyhat": f"-{t}/yhat + (1-{t})/(1-yhat)",
             "part-dyhatdz": f"sigma({z})(1-sigma({z}))", "part-dLdz": f"sigma({z}) - {t}"}
    carried = {"part-dLdyhat": f"-{t}/yhat + (1-{t})/yhat",
               "part-dyhatdz": right["part-dyhatdz"],
               "part-dLdz": f"(-{t}/sigma({z}) + (1-{t})/sigma({z}))*sigma({z})(1-sigma({z}))"}
    return right, carried


def _verdicts(html):
    return re.findall(r'data-testid="part-verdict" data-part="(\w+)"\s+data-verdict="(\w+)"\s+'
                      r'data-credited="(\w+)"', html)


def test_an_item_page_has_one_box_per_part(app, client, login, item):
    login("ann@example.org")
    html = client.get(item["url"]).get_data(as_text=True)
    for part_id in ("dLdyhat", "dyhatdz", "dLdz"):
        assert f'name="part-{part_id}"' in html and f'id="answer-{part_id}"' in html
    assert html.count('data-testid="part"') == 3
    assert "Part (a)" in html and "Your answer to part (c)" in html


def test_follow_through_and_partial_credit_are_stored(app, client, login, item):
    login("ann@example.org")
    right, carried = _answers(app, item)
    page = client.post(item["url"], data=carried)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert _verdicts(html) == [("dLdyhat", "incorrect", "false"),
                               ("dyhatdz", "correct", "true"),
                               ("dLdz", "incorrect", "true")]
    assert "Correct given your answer to part (a)." in html
    # Weights 1, 1, 2 of 4 points: (b) and the carried (c) earn 3 points.
    assert "This attempt earns 3 of 4 points" in html
    # The answers stay in their boxes, to fix part (a).
    assert 'value="' + carried["part-dLdyhat"] + '"' in html
    with app.app_context():
        sub = db.session.scalars(select(Submission)).one()
        assert (sub.attempt_number, sub.verdict.value, sub.points_awarded) == (1, "incorrect", 3.0)
        assert sub.answer_text.startswith("(a) ")
        parts = db.session.scalars(select(SubmissionPart).order_by(SubmissionPart.position)).all()
        assert [(p.part_id, p.verdict.value, p.carried, p.credit) for p in parts] == [
            ("dLdyhat", "incorrect", False, 0.0), ("dyhatdz", "correct", False, 1.0),
            ("dLdz", "incorrect", True, 1.0)]
    done = client.post(item["url"], data=right).get_data(as_text=True)
    assert _verdicts(done) == [(p, "correct", "true") for p in ("dLdyhat", "dyhatdz", "dLdz")]
    assert 'data-testid="item-status">4 of 4 points' in done
    with app.app_context():
        course = db.session.get(Course, item["course"])
        header, *rows = list(exports.submission_rows(course))
        assert [(r[header.index("verdict")], r[header.index("points")]) for r in rows] == [
            ("incorrect", 3.0), ("correct", 4.0)]
        assert rows[0][header.index("answer")].startswith("(a) -")
        book = gradebook.build(course)
        student = next(s for s in book.students if s.email == "ann@example.org")
        assert book.cell(student, book.assignments[0]) == 4.0


def test_an_empty_part_is_refused_and_costs_nothing(app, client, login, item):
    login("ann@example.org")
    right, _ = _answers(app, item)
    page = client.post(item["url"], data={**right, "part-dyhatdz": " "})
    assert page.status_code == 422
    assert "Type an answer first." in page.get_data(as_text=True)
    unreadable = client.post(item["url"], data={**right, "part-dLdz": "2*/x"})
    assert unreadable.status_code == 422
    with app.app_context():
        assert db.session.scalars(select(Submission)).all() == []


def test_practice_grades_every_part_and_keeps_them(app, client, login, make_user):
    make_user("kim@example.org")
    login("kim@example.org")
    page = client.get("/practice/sigmoid-quotient-parts/0")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count('data-testid="answer-input"') == 3
    graded = client.post("/practice/sigmoid-quotient-parts/0", data={
        "part-du": "0", "part-dv": "exp(-x)", "part-dsigma": "-sigma(x)(1-sigma(x))"})
    html = graded.get_data(as_text=True)
    assert graded.status_code == 200
    assert _verdicts(html) == [("du", "correct", "true"), ("dv", "incorrect", "false"),
                               ("dsigma", "incorrect", "true")]
    assert "Correct given your answer to part (b)." in html
    assert html.count('data-testid="part-solution"') == 3
    assert 'data-testid="parts-score">This answer earns 75 %' in html
    with app.app_context():
        stored = db.session.scalars(select(PracticeSubmission)).one()
        assert stored.verdict.value == "incorrect"
        parts = db.session.scalars(select(PracticeSubmissionPart)
                                   .order_by(PracticeSubmissionPart.position)).all()
        assert [(p.part_id, p.answer_text, p.carried) for p in parts] == [
            ("du", "0", False), ("dv", "exp(-x)", False),
            ("dsigma", "-sigma(x)(1-sigma(x))", True)]
        assert all(p.practice_submission_id == stored.id for p in parts)


def test_no_follow_through_credit_when_the_assignment_turns_it_off(app, client, login, item):
    from app.models.assignment import Assignment

    with app.app_context():
        db.session.get(Assignment, item["assignment"]).follow_through = False
        db.session.commit()
    login("ann@example.org")
    _, carried = _answers(app, item)
    html = client.post(item["url"], data=carried).get_data(as_text=True)
    assert _verdicts(html)[2] == ("dLdz", "incorrect", "false")
    assert "Correct given your answer" not in html
    assert "This attempt earns 1 of 4 points" in html
    with app.app_context():
        assert db.session.scalars(select(Submission)).one().points_awarded == 1.0
        assert [p.credit for p in db.session.scalars(
            select(SubmissionPart).order_by(SubmissionPart.position))] == [0.0, 1.0, 0.0]


def test_item_analysis_shows_the_partial_credit(app, client, login, item):
    from app.models.assignment import Assignment
    from app.services.reports import item_analysis

    login("ann@example.org")
    _, carried = _answers(app, item)
    client.post(item["url"], data=carried)
    with app.app_context():
        (stats,) = item_analysis.analyse(db.session.get(Assignment, item["assignment"]))
        assert (stats.students, stats.attempts, stats.eventually_correct) == (1, 1, 0)
        assert stats.mean_points == 3.0
    client.post("/auth/logout")
    login("teach@example.org")
    page = client.get(f"/courses/{item['course']}/grades/assignments/{item['assignment']}/analysis")
    assert "Mean score (each student's best attempt): 3 of 4 points." in \
        page.get_data(as_text=True)


def test_rescoring_and_regrading_keep_the_partial_credit(app, client, login, item):
    from app.extensions import checker_of
    from app.models.assignment import Assignment
    from app.services.assignments.regrade import regrade

    login("ann@example.org")
    _, carried = _answers(app, item)
    client.post(item["url"], data=carried)

    def state():
        sub = db.session.scalars(select(Submission)).one()
        parts = db.session.scalars(select(SubmissionPart).order_by(SubmissionPart.position))
        return sub.verdict.value, sub.points_awarded, [p.credit for p in parts]

    with app.app_context():
        assignment = db.session.get(Assignment, item["assignment"])
        # Turning follow-through off takes the carried part's credit away, and back on
        # gives it back: the parts' verdicts and weights are stored.
        assignment.follow_through = False
        builder.recompute_scores(assignment)
        assert state() == ("incorrect", 1.0, [0.0, 1.0, 0.0])
        assignment.follow_through = True
        builder.recompute_scores(assignment)
        assert state() == ("incorrect", 3.0, [0.0, 1.0, 1.0])
        report = regrade(assignment, checker_of(app))
        assert (report.checked, report.unchecked, report.changed) == (1, 0, [])
        assert state() == ("incorrect", 3.0, [0.0, 1.0, 1.0])
        db.session.commit()


def test_the_instructor_preview_shows_every_part(app, client, login, item):
    login("teach@example.org")
    page = client.get(f"/courses/{item['course']}/assignments/preview"
                      f"?template={TEMPLATE}&seed=0")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.count('data-testid="preview-part"') == 3
    assert html.count('data-testid="variant-answer"') == 3
    assert "Put in the results of parts (a), (b)." in html


def test_trying_a_multi_part_item_keeps_a_sandbox_attempt_only(app, client, login, item):
    with app.app_context():
        teacher = db.session.scalars(select(User).where(User.email == "teach@example.org")).one()
    login("teach@example.org")
    # Answers for the instructor's own variant, seeded as a student's is.
    right, carried = _answers(app, {**item, "ann": teacher.id})
    html = client.post(item["url"] + "/try", data=carried).get_data(as_text=True)
    assert 'data-testid="sandbox-banner"' in html
    assert "This attempt earns 3 of 4 points" in html
    with app.app_context():
        tried = db.session.scalars(select(SandboxAttempt)).one()
        assert (tried.attempt_number, tried.verdict.value, tried.points_awarded) \
            == (1, "incorrect", 3.0)
        assert tried.answer_text.startswith("(a) ")
        assert db.session.scalar(select(func.count()).select_from(Submission)) == 0
