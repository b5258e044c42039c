"""Extensions, extra attempts and grade overrides: forms, scores, audit log, export."""

import csv
import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.adjustments import GradeAudit
from app.models.assignment import Submission
from app.web.coursework import routes as coursework_routes
from tests.instructor.conftest import DUE, build_setup
from tests.instructor.helpers import right_answer


@pytest.fixture
def clock(monkeypatch):
    now = {"t": DUE - timedelta(days=1)}
    monkeypatch.setattr(coursework_routes, "clock", lambda: now["t"])
    return now


def _item_url(s, item=0):
    return f"/courses/{s.course_id}/work/{s.assignment_id}/items/{s.item_ids[item]}"


def _adjust(s, student, what):
    return f"/courses/{s.course_id}/grades/students/{student}/assignments/{s.assignment_id}/{what}"


def _export(client, s):
    body = client.get(f"/courses/{s.course_id}/grades/export/submissions.csv").get_data()
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_extension_lets_a_late_answer_count_fully(app, client, login, make_user, clock):
    # Late work is accepted at 25 % off per day: without the extension Ann would get 1 of 2.
    s = build_setup(app, make_user, accept_late=True, late_penalty_per_day=0.25,
                    late_penalty_cap=1.0)
    ann, ben = s.student_ids
    login("teach@example.org")
    # Paris time: DUE is 2026-03-02 00:59 there; three days more.
    saved = client.post(_adjust(s, ann, "extension"),
                        data={"item": "", "due_at": "2026-03-05T00:59", "extra_attempts": "1",
                              "reason": "Illness, note seen"})
    assert saved.status_code == 302
    page = client.get(f"/courses/{s.course_id}/grades/students/{ann}").get_data(as_text=True)
    assert 'data-testid="audit-log"' in page and "Illness, note seen" in page
    assert "Teacher" in page  # who made the change
    client.post("/auth/logout")

    clock["t"] = DUE + timedelta(days=2)
    for email, student in (("ann@example.org", ann), ("ben@example.org", ben)):
        login(email)
        answer = right_answer(app, s.assignment_id, s.item_ids[0], student)
        reply = client.post(_item_url(s), data={"answer": answer})
        assert 'data-verdict="correct"' in reply.get_data(as_text=True)
        client.post("/auth/logout")
    with app.app_context():
        points = {sub.student_id: (sub.points_awarded, sub.late_days)
                  for sub in db.session.scalars(select(Submission))}
    assert points[ann] == (2.0, 0)       # within the extension: full marks, not late
    assert points[ben] == (1.0, 2)       # the same answer, two days late, 2 × 25 % off


def test_extension_rescored_answers_already_late_and_adds_attempts(app, client, login,
                                                                   make_user, clock):
    s = build_setup(app, make_user, attempts=1, accept_late=True, late_penalty_per_day=0.5,
                    late_penalty_cap=1.0)
    ann = s.student_ids[0]
    clock["t"] = DUE + timedelta(hours=5)
    login("ann@example.org")
    client.post(_item_url(s), data={"answer": right_answer(app, s.assignment_id,
                                                           s.item_ids[0], ann)})
    assert client.post(_item_url(s, 1), data={"answer": "t"}).status_code == 200
    assert client.post(_item_url(s, 1), data={"answer": "t"}).status_code == 409
    client.post("/auth/logout")
    login("teach@example.org")
    client.post(_adjust(s, ann, "extension"),
                data={"item": "", "due_at": "2026-03-03T10:00", "extra_attempts": "0"})
    client.post(_adjust(s, ann, "extension"),
                data={"item": str(s.item_ids[1]), "due_at": "", "extra_attempts": "2"})
    client.post("/auth/logout")
    with app.app_context():
        first = db.session.scalars(select(Submission).where(
            Submission.item_id == s.item_ids[0])).one()
        assert (first.points_awarded, first.late_days) == (2.0, 0)
        # A later "Recompute scores" of the whole assignment keeps the extension in mind.
        from app.models.assignment import Assignment
        from app.services.assignments import builder

        assert builder.rescore(db.session.get(Assignment, s.assignment_id)) == []
    login("ann@example.org")
    again = client.post(_item_url(s, 1), data={"answer": "t + 1"})
    assert again.status_code == 200 and "left 1" in again.get_data(as_text=True)


def test_extension_form_errors_keep_what_was_typed(app, client, login, make_user):
    s = build_setup(app, make_user)
    ann = s.student_ids[0]
    login("teach@example.org")
    early = client.post(_adjust(s, ann, "extension"),
                        data={"item": "", "due_at": "2026-02-01T10:00", "extra_attempts": "0",
                              "reason": "typed"})
    page = early.get_data(as_text=True)
    assert early.status_code == 422 and 'data-testid="extension-error"' in page
    assert "later than the assignment" in page and 'value="2026-02-01T10:00"' in page
    bad = client.post(_adjust(s, ann, "extension"), data={"extra_attempts": "many"})
    assert bad.status_code == 422 and "whole number" in bad.get_data(as_text=True)
    # No CSRF token: refused before anything changes.
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(_adjust(s, ann, "extension"),
                           data={"extra_attempts": "3"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    with app.app_context():
        assert db.session.scalars(select(GradeAudit)).all() == []
    # Another course's instructor cannot see or change it.
    client.post("/auth/logout")
    login("other@example.org")
    assert client.post(_adjust(s, ann, "extension"),
                       data={"extra_attempts": "3"}).status_code == 404


def test_override_needs_a_reason_and_shows_in_gradebook_export_and_log(app, client, login,
                                                                       make_user, clock):
    s = build_setup(app, make_user)
    ann, ben = s.student_ids
    login("ann@example.org")
    client.post(_item_url(s), data={"answer": "x"})
    client.post("/auth/logout")
    login("teach@example.org")
    missing = client.post(_adjust(s, ann, "override"),
                          data={"item": str(s.item_ids[0]), "points": "1.5", "reason": " "})
    assert missing.status_code == 422 and "reason" in missing.get_data(as_text=True)
    too_many = client.post(_adjust(s, ann, "override"),
                           data={"item": str(s.item_ids[0]), "points": "5", "reason": "r"})
    assert too_many.status_code == 422 and "0 to 2" in too_many.get_data(as_text=True)
    ok = client.post(_adjust(s, ann, "override"),
                     data={"item": str(s.item_ids[0]), "points": "1.5",
                           "reason": "Right idea, sign slip"})
    assert ok.status_code == 302

    book = client.get(f"/courses/{s.course_id}/grades/export/gradebook.csv").get_data()
    rows = {r[1]: r for r in csv.reader(io.StringIO(book.decode("utf-8-sig")))}
    assert float(rows["ann@example.org"][2]) == 1.5
    grades = client.get(f"/courses/{s.course_id}/grades/assignments/{s.assignment_id}")
    html = grades.get_data(as_text=True)
    assert html.count('data-testid="overridden"') == 1
    assert re.search(r"<td>1\.5 <span[^>]*>\(1 try\)</span> <span[^>]*>set by hand", html)

    rows = _export(client, s)
    adjustment = [r for r in rows if r["record"] == "adjustment"]
    assert len(adjustment) == 1
    assert adjustment[0]["reason"] == "Right idea, sign slip"
    assert adjustment[0]["change"] == "grade: — → 1.5"
    assert adjustment[0]["changed_by"] == "teach@example.org"
    assert adjustment[0]["student_email"] == "ann@example.org" and adjustment[0]["item"] == "1"
    assert [r["record"] for r in rows] == ["attempt", "adjustment"]

    # The whole assignment set by hand, then removed: both kept in the log.
    client.post(_adjust(s, ben, "override"), data={"item": "", "points": "4", "reason": "Oral"})
    client.post(_adjust(s, ben, "override"), data={"item": "", "points": "", "reason": "Undo"})
    book = client.get(f"/courses/{s.course_id}/grades/export/gradebook.csv").get_data()
    rows = {r[1]: r for r in csv.reader(io.StringIO(book.decode("utf-8-sig")))}
    assert float(rows["ben@example.org"][2]) == 0
    page = client.get(f"/courses/{s.course_id}/grades/students/{ben}").get_data(as_text=True)
    assert page.count('data-testid="audit-entry"') == 2 and "Undo" in page
    client.post("/auth/logout")

    # The student sees the change and its reason on their course page, and the new score.
    login("ann@example.org")
    mine = client.get(f"/courses/{s.course_id}").get_data(as_text=True)
    assert "Right idea, sign slip" in mine and 'data-testid="audit-log"' in mine
    assert "1.5 / 4" in mine
    assert "teach@example.org" not in mine


def test_the_lms_gets_the_overridden_score(app, make_user):
    from app.models import User
    from app.models.assignment import Assignment, AssignmentItem
    from app.services.assignments import adjustments
    from app.services.lti.delivery import score_payload

    s = build_setup(app, make_user)
    ann = s.student_ids[0]
    with app.app_context():
        assignment = db.session.get(Assignment, s.assignment_id)
        teacher = db.session.get(User, s.instructor_id)
        item = db.session.get(AssignmentItem, s.item_ids[1])
        adjustments.set_override(assignment, ann, teacher, item=item, points=1.25,
                                 reason="Partial")
        assert score_payload(assignment, ann, "sub", DUE)["scoreGiven"] == 1.25
        adjustments.set_override(assignment, ann, teacher, item=None, points=3.5,
                                 reason="Oral exam")
        assert score_payload(assignment, ann, "sub", DUE)["scoreGiven"] == 3.5
        with pytest.raises(Exception, match="Nothing changed"):
            adjustments.set_override(assignment, ann, teacher, item=None, points=3.5,
                                     reason="Oral exam")


def test_an_item_may_have_its_own_due_date(app, client, login, make_user, clock):
    s = build_setup(app, make_user, accept_late=True, late_penalty_per_day=0.25,
                    late_penalty_cap=1.0)
    ann = s.student_ids[0]
    login("teach@example.org")
    client.post(_adjust(s, ann, "extension"),
                data={"item": str(s.item_ids[1]), "due_at": "2026-03-05T00:59",
                      "extra_attempts": "0", "reason": "Item 2 was broken"})
    client.post("/auth/logout")
    clock["t"] = DUE + timedelta(days=2)
    login("ann@example.org")
    for index in (0, 1):
        answer = right_answer(app, s.assignment_id, s.item_ids[index], ann)
        client.post(_item_url(s, index), data={"answer": answer})
    with app.app_context():
        points = {sub.item_id: (sub.points_awarded, sub.late_days)
                  for sub in db.session.scalars(select(Submission))}
    assert points[s.item_ids[0]] == (1.0, 2)   # the assignment's due date: two days late
    assert points[s.item_ids[1]] == (2.0, 0)   # its own, later one: on time
    with app.app_context():
        from app.models.assignment import Assignment
        from app.services.assignments import builder

        assert builder.rescore(db.session.get(Assignment, s.assignment_id)) == []
