"""Grade exports (parsed back), formula-injection escaping, regrade and the CLI."""

import csv
import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from app.checker.results import GradeOutcome
from app.extensions import db
from app.models import User
from app.models.assignment import Assignment, AssignmentItem, Submission, Verdict
from app.services.assignments import builder, submissions
from app.services.assignments.variants import seed_for
from app.services.reports import exports
from tests.instructor.conftest import DUE, build_setup
from tests.instructor.helpers import right_answer

BEFORE = datetime(2026, 2, 28, 12, 0, tzinfo=UTC)


def _record(app, s, student_id, item_index, answer, verdict, when=BEFORE):
    with app.app_context():
        assignment = db.session.get(Assignment, s.assignment_id)
        item = db.session.get(AssignmentItem, s.item_ids[item_index])
        submissions.record(assignment, item, student_id, seed_for(assignment, item, student_id),
                           answer, GradeOutcome(Verdict(verdict), mistake_kind=None), when)
        db.session.commit()


def _rows(body):
    """Rows of an export as downloaded: bytes that start with the UTF-8 byte-order mark."""
    data = body.get_data() if hasattr(body, "get_data") else body
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_gradebook_submissions_and_canvas_exports(app, client, login, make_user):
    s = build_setup(app, make_user, accept_late=True, late_penalty_per_day=0.25,
                    late_penalty_cap=0.5)
    ann, ben = s.student_ids
    with app.app_context():
        db.session.execute(update(User).where(User.id == ben).values(
            display_name="=HYPERLINK(\"http://evil\")"))
        db.session.commit()
    _record(app, s, ann, 0, "-x", "incorrect")
    _record(app, s, ann, 0, "σ(x)", "correct")
    _record(app, s, ann, 1, "@SUM(A1)", "correct", when=DUE + timedelta(seconds=1))
    login("teach@example.org")

    book = client.get(f"/courses/{s.course_id}/grades/export/gradebook.csv")
    assert book.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in book.headers["Content-Disposition"]
    rows = _rows(book)
    assert rows[0] == ["name", "email", f"Week 1 ({s.assignment_id})", "total", "percent"]
    by_email = {r[1]: r for r in rows[1:]}
    assert float(by_email["ann@example.org"][2]) == 3.5  # 2 + 2 less one late day's 25 %
    assert float(by_email["ann@example.org"][4]) == 87.5
    assert by_email["ben@example.org"][0] == "'=HYPERLINK(\"http://evil\")"

    subs = _rows(client.get(f"/courses/{s.course_id}/grades/export/submissions.csv"))
    assert subs[0][:3] == ["time", "student_email", "assignment"]
    assert [r[6] for r in subs[1:]] == ["'-x", "σ(x)", "'@SUM(A1)"]
    assert subs[1][0] == "2026-02-28T12:00:00Z"
    assert [r[7] for r in subs[1:]] == ["incorrect", "correct", "correct"]
    assert [r[10] for r in subs[1:]] == ["no", "no", "yes"]
    assert [float(r[9]) for r in subs[1:]] == [0.0, 2.0, 1.5]

    canvas = _rows(client.get(f"/courses/{s.course_id}/grades/export/canvas.csv"))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Week 1"]
    assert canvas[1][0] == "Points Possible" and float(canvas[1][5]) == 4.0
    assert client.get(f"/courses/{s.course_id}/grades/export/nope.csv").status_code == 404


def test_safe_cell_rules():
    assert exports.safe_cell("+1") == "'+1"
    assert exports.safe_cell("\tx") == "'\tx"
    assert exports.safe_cell("\rx") == "'\rx"
    assert exports.safe_cell("plain") == "plain"
    assert exports.safe_cell(-1.5) == "-1.5"
    assert exports.safe_cell(2.0) == "2"
    assert exports.safe_cell(0.1 + 0.2) == "0.3"


def test_cli_export_writes_utf8_file(app, runner, make_user, tmp_path):
    s = build_setup(app, make_user)
    out = tmp_path / "grades.csv"
    result = runner.invoke(args=["grades", "export", "--course", str(s.course_id),
                                 "--format", "submissions", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes().startswith(b"\xef\xbb\xbftime,student_email")
    missing = runner.invoke(args=["grades", "export", "--course", "999", "-o", str(out)])
    assert missing.exit_code != 0 and "no course with id 999" in missing.output


def test_regrade_fixes_wrong_verdicts_once(app, runner, make_user):
    s = build_setup(app, make_user)
    ann = s.student_ids[0]
    good = right_answer(app, s.assignment_id, s.item_ids[0], ann)
    # Stored as an old engine might have judged it: a right answer marked wrong.
    _record(app, s, ann, 0, good, "incorrect")
    _record(app, s, ann, 0, "x", "incorrect")
    first = runner.invoke(args=["grades", "regrade", "--assignment", str(s.assignment_id)])
    assert first.exit_code == 0, first.output
    assert "Checked 2 submissions" in first.output and "1 verdicts changed" in first.output
    assert "incorrect → correct" in first.output
    with app.app_context():
        rows = db.session.scalars(select(Submission).order_by(Submission.id)).all()
        assert [(r.verdict.value, r.points_awarded) for r in rows] == [("correct", 2.0),
                                                                       ("incorrect", 0.0)]
    second = runner.invoke(args=["grades", "regrade", "--assignment", str(s.assignment_id)])
    assert "0 verdicts changed, 0 scores updated" in second.output
    missing = runner.invoke(args=["grades", "regrade", "--assignment", "999"])
    assert missing.exit_code != 0


def test_editing_policy_keeps_scores_until_recompute(app, client, login, make_user):
    s = build_setup(app, make_user, wrong_attempt_penalty=0.5)
    ann = s.student_ids[0]
    _record(app, s, ann, 0, "x", "incorrect")
    _record(app, s, ann, 0, "σ(x)", "correct")
    login("teach@example.org")
    edit = f"/courses/{s.course_id}/assignments/{s.assignment_id}"
    form = {"title": "Week 1", "instructions": "", "open_at": "2026-02-22T23:59",
            "due_at": "2026-03-02T00:59", "attempts_allowed": "3",
            "wrong_attempt_penalty": "0", "solution_reveal": "after_due"}
    saved = client.post(edit, data=form, follow_redirects=True).get_data(as_text=True)
    assert "Penalty per wrong attempt: 50 % → 0 %" in saved
    assert "Stored scores were not changed" in saved
    assert 'data-testid="pending-changes"' in saved
    with app.app_context():
        assert db.session.scalars(select(Submission.points_awarded)).all() == [0.0, 1.0]
    client.post(f"{edit}/recompute")
    with app.app_context():
        assert db.session.scalars(select(Submission.points_awarded)).all() == [0.0, 2.0]
        # Items with work cannot be removed, and the assignment cannot go back to draft.
        assignment = db.session.get(Assignment, s.assignment_id)
        assert builder.rescore(assignment) == []
    removed = client.post(f"{edit}/items/{s.item_ids[0]}/remove", follow_redirects=True)
    assert "would delete their work" in removed.get_data(as_text=True)


def test_bad_dates_are_clear_errors(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    url = f"/courses/{s.course_id}/assignments/new"
    base = {"title": "T", "open_at": "2026-03-01T10:00", "due_at": "2026-03-02T10:00",
            "solution_reveal": "never"}
    for bad, message in [({"due_at": "tomorrow"}, "is not a date and time"),
                         ({"due_at": "2026-02-01T10:00"}, "must come after the open date"),
                         ({"open_at": "2026-03-29T02:30"}, "does not exist in Europe/Paris")]:
        response = client.post(url, data={**base, **bad})
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    created = client.post(url, data=base)
    assert created.status_code == 302
    with app.app_context():
        newest = db.session.scalars(select(Assignment).order_by(Assignment.id.desc())).first()
        # 10:00 in Paris in March (UTC+1) is 09:00 UTC.
        assert newest.open_at == datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_instructor_sees_a_students_variants_and_history(app, client, login, make_user):
    s = build_setup(app, make_user)
    ann, ben = s.student_ids
    _record(app, s, ann, 0, "ann-answer-1", "incorrect")
    _record(app, s, ben, 0, "ben-answer-1", "incorrect")
    login("teach@example.org")
    page = client.get(f"/courses/{s.course_id}/grades/students/{ann}").get_data(as_text=True)
    assert "ann-answer-1" in page and "ben-answer-1" not in page
    with app.app_context():
        assignment = db.session.get(Assignment, s.assignment_id)
        item = db.session.get(AssignmentItem, s.item_ids[0])
        assert f"variant {seed_for(assignment, item, ann)}" in page
    chart = client.get(f"/courses/{s.course_id}/grades/chart.svg?assignment={s.assignment_id}")
    assert chart.mimetype == "image/svg+xml" and chart.get_data(as_text=True).count("<rect") == 11
    # A student is not a member of the roster page of another: 404 for a non-student id.
    assert client.get(f"/courses/{s.course_id}/grades/students/{s.instructor_id}").status_code \
        == 404


def test_dates_at_the_edge_of_the_calendar_are_refused(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    response = client.post(f"/courses/{s.course_id}/assignments/new", data={
        "title": "T", "open_at": "0001-01-01T00:05", "due_at": "2026-03-02T10:00",
        "solution_reveal": "never"})
    assert response.status_code == 400 and "out of range" in response.get_data(as_text=True)
