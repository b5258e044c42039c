"""An instructor writes a template in the browser, uses it in an assignment, edits it; the
student's answers keep the version they were graded against until the regrade."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import checker_of, db
from app.jobs import runner
from app.models import CourseTemplate
from app.models.assignment import AssignmentItem, Submission
from app.web.coursework import routes as coursework_routes
from tests.authoring.helpers import BROKEN, FIXED, SHIFTED, expected_answer
from tests.instructor.conftest import DUE, build_setup


@pytest.fixture
def app(any_db_url, tmp_path):
    """On SQLite, and on PostgreSQL when it is available."""
    from tests.conftest import _make_app

    yield from _make_app(any_db_url, tmp_path, CHECK_TIMEOUT_SECONDS=15,
                         CHECK_TEMPLATE_SECONDS=3, JOBS_EMBEDDED_THREAD=False)


@pytest.fixture
def clock(monkeypatch):
    now = {"t": DUE - timedelta(days=1)}
    monkeypatch.setattr(coursework_routes, "clock", lambda: now["t"])
    return now


def _base(s):
    return f"/courses/{s.course_id}/templates"


def _post(client, url, source, action):
    return client.post(url, data={"source": source, "action": action})


def _subs(app):
    with app.app_context():
        return [(s.template_id, s.verdict.value, s.points_awarded) for s in
                db.session.scalars(select(Submission).order_by(Submission.id))]


def test_write_fix_preview_save_assign_answer_edit_regrade(app, client, login, make_user,
                                                           clock):
    s = build_setup(app, make_user)
    login("teach@example.org")
    assert client.get(f"{_base(s)}/").status_code == 200
    broken = _post(client, f"{_base(s)}/new", BROKEN, "validate")
    html = broken.get_data(as_text=True)
    assert broken.status_code == 400 and 'data-testid="template-errors"' in html
    assert ('data-goto-line="4">difficulty (line 4)</a>: must be an integer from 1 to 5'
            in html)
    assert "wrt (line 11)</a>: must be a non-empty string" in html
    # Saving a broken template stores nothing.
    assert _post(client, f"{_base(s)}/new", BROKEN, "save").status_code == 400
    fixed = _post(client, f"{_base(s)}/new", FIXED, "validate").get_data(as_text=True)
    assert "No problems found" in fixed and fixed.count('data-testid="preview-seed"') == 3
    for piece in ("Seed 0", "Seed 2", "Expected answer", "Worked steps", "generated mistake"):
        assert piece in fixed
    saved = _post(client, f"{_base(s)}/new", FIXED, "save")
    assert saved.status_code == 302
    with app.app_context():
        template = db.session.scalar(select(CourseTemplate))
        assert (template.slug, template.latest_number) == ("scaled-sigmoid", 1)
        template_id = template.id
    ref = f"c{s.course_id}.scaled-sigmoid.v1"

    # The builder's picker offers it; added to the published assignment like a bank one.
    edit = f"/courses/{s.course_id}/assignments/{s.assignment_id}"
    assert ref in client.get(edit).get_data(as_text=True)
    assert client.post(f"{edit}/items", data={"template_id": ref, "points": 2}).status_code == 302
    with app.app_context():
        item_id = db.session.scalar(select(AssignmentItem.id).where(
            AssignmentItem.template_id == ref))

    preview = client.get(f"/courses/{s.course_id}/assignments/preview?template={ref}&seed=3")
    assert preview.status_code == 200 and "Sigmoid of a scaled input" in preview.get_data(
        as_text=True)
    ann = s.student_ids[0]
    right = expected_answer(app, s.assignment_id, item_id, ann)
    login("ann@example.org")
    item_url = f"/courses/{s.course_id}/work/{s.assignment_id}/items/{item_id}"
    page = client.get(item_url).get_data(as_text=True)
    assert "Sigmoid of a scaled input" in page
    assert 'data-verdict="incorrect"' in client.post(item_url, data={"answer": "x"}).get_data(
        as_text=True)
    assert 'data-verdict="correct"' in client.post(item_url, data={"answer": right}).get_data(
        as_text=True)
    assert _subs(app) == [(ref, "incorrect", 0.0), (ref, "correct", 2.0)]

    # A new version: the published item and its answers keep version 1.
    login("teach@example.org")
    resaved = _post(client, f"{_base(s)}/{template_id}", SHIFTED, "save")
    assert resaved.status_code == 302
    page = client.get(f"{_base(s)}/{template_id}").get_data(as_text=True)
    assert "Version 2 is the latest." in page and 'data-testid="template-regrade"' in page
    assert _subs(app) == [(ref, "incorrect", 0.0), (ref, "correct", 2.0)]
    login("ann@example.org")
    assert 'data-verdict="correct"' in client.post(item_url, data={"answer": right}).get_data(
        as_text=True)
    assert client.get(f"{_base(s)}/").status_code == 403

    # Update and regrade: every answer is checked against version 2.
    login("teach@example.org")
    upgraded = client.post(f"{_base(s)}/{template_id}/upgrade/{s.assignment_id}")
    assert upgraded.status_code == 302 and upgraded.location.endswith("#regrade")
    with app.app_context():
        assert runner.sweep()[0] == 1
    ref2 = f"c{s.course_id}.scaled-sigmoid.v2"
    assert [(t, v) for t, v, _p in _subs(app)] == [(ref2, "incorrect")] * 3
    page = client.get(f"{_base(s)}/{template_id}").get_data(as_text=True)
    assert 'data-testid="template-regrade"' not in page


def test_unchanged_save_makes_no_version_and_drafts_follow(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    _post(client, f"{_base(s)}/new", FIXED, "save")
    with app.app_context():
        template_id = db.session.scalar(select(CourseTemplate.id))
    again = _post(client, f"{_base(s)}/{template_id}", FIXED, "save")
    assert "Nothing changed" in client.get(again.location).get_data(as_text=True)
    renamed = _post(client, f"{_base(s)}/{template_id}", FIXED.replace(
        "id: scaled-sigmoid", "id: other-id"), "save")
    assert renamed.status_code == 409 and "The id must stay scaled-sigmoid" in renamed.get_data(
        as_text=True)
    # A draft assignment's item follows the new version (nobody has answered it).
    created = client.post(f"/courses/{s.course_id}/assignments/new", data={
        "title": "Draft", "open_at": "2026-02-01T09:00", "due_at": "2026-02-08T09:00",
        "solution_reveal": "after_due", "late_penalty_per_day": 0, "late_penalty_cap": 0,
        "wrong_attempt_penalty": 0, "form_credit": 0})
    draft = created.location
    ref = f"c{s.course_id}.scaled-sigmoid.v1"
    client.post(f"{draft}/items", data={"template_id": ref, "points": 1})
    _post(client, f"{_base(s)}/{template_id}", SHIFTED, "save")
    with app.app_context():
        refs = set(db.session.scalars(select(AssignmentItem.template_id)))
    assert f"c{s.course_id}.scaled-sigmoid.v2" in refs and ref not in refs


def test_copy_of_a_bank_template_gets_a_new_id(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    page = client.get(f"{_base(s)}/new?copy=sigmoid-affine").get_data(as_text=True)
    assert "id: sigmoid-affine-copy" in page and "sigma({{a}}*x + {{b}})" in page
    assert client.get(f"{_base(s)}/new?copy=no-such-template").status_code == 404
    # Saving a text that keeps the bank's id is refused.
    original = (Path(app.config["PROBLEMS_DIR"]) / "sigmoid-affine.yaml").read_text()
    clash = _post(client, f"{_base(s)}/new", original, "save")
    assert clash.status_code == 409 and "shared bank already has" in clash.get_data(as_text=True)


def test_export_import_round_trip(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    _post(client, f"{_base(s)}/new", FIXED, "save")
    with app.app_context():
        template_id = db.session.scalar(select(CourseTemplate.id))
    exported = client.get(f"{_base(s)}/{template_id}/export")
    assert exported.status_code == 200 and "attachment" in exported.headers["Content-Disposition"]
    assert exported.get_data(as_text=True) == FIXED
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"{_base(s)}/export").data))
    assert archive.namelist() == ["scaled-sigmoid.yaml"]

    def upload(text, name="t.yaml"):
        return client.post(f"{_base(s)}/import", data={"file": (io.BytesIO(text.encode()), name)},
                           content_type="multipart/form-data")

    bad = upload(BROKEN)
    assert bad.status_code == 400 and "difficulty (line 4)" in bad.get_data(as_text=True)
    # The same id: the file is the template's next version; another id: a new template.
    assert upload(SHIFTED).status_code == 302
    assert upload(FIXED.replace("id: scaled-sigmoid", "id: imported-one")).status_code == 302
    with app.app_context():
        rows = {t.slug: t.latest_number for t in db.session.scalars(select(CourseTemplate))}
    assert rows == {"scaled-sigmoid": 2, "imported-one": 1}
    assert upload(b"\xff\xfe".decode("latin-1")).status_code == 400


def test_strangers_cannot_reach_a_courses_templates(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    _post(client, f"{_base(s)}/new", FIXED, "save")
    with app.app_context():
        template_id = db.session.scalar(select(CourseTemplate.id))
    urls = [f"{_base(s)}/", f"{_base(s)}/new", f"{_base(s)}/{template_id}",
            f"{_base(s)}/{template_id}/export", f"{_base(s)}/{template_id}/versions/1"]
    login("ann@example.org")
    assert {client.get(u).status_code for u in urls} == {403}
    assert client.post(f"{_base(s)}/check", data={"source": FIXED}).status_code == 403
    login("other@example.org")
    assert {client.get(u).status_code for u in urls} == {404}
    assert client.post(f"{_base(s)}/{template_id}", data={"source": SHIFTED,
                                                         "action": "save"}).status_code == 404
    # Nor may another course's instructor add its template to their assignments.
    assert client.post(f"{_base(s)}/{template_id}/share", data={"shared": "1"}).status_code == 403


def test_huge_aliased_and_slow_templates_are_refused_cleanly(app, client, login, make_user,
                                                             monkeypatch):
    s = build_setup(app, make_user)
    login("teach@example.org")
    huge = _post(client, f"{_base(s)}/new", FIXED + "#" * 30_000, "validate")
    assert huge.status_code == 400 and "at most 20,000 are allowed" in huge.get_data(as_text=True)
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n"
        for i in range(8))
    aliased = _post(client, f"{_base(s)}/new", laughs, "validate").get_data(as_text=True)
    assert "aliases (*name) are not allowed" in aliased
    # An answer no student could type in the answer box. Finding it out takes its derivative,
    # about 2 CPU seconds here, which a slow host stretches past the 3-second limit of the
    # case below: this check gets room, so it is refused for its length, never its time.
    long = FIXED.replace('"sigma({{a}}*x)"', '"' + "exp(" * 30 + "x" + ")" * 30 + '"')
    checker = checker_of(app)
    with monkeypatch.context() as roomy:
        roomy.setattr(checker, "settings", replace(checker.settings, template_timeout=60.0))
        reply = client.post(f"{_base(s)}/check", data={"source": long}).get_json()
    assert reply["errors"][0]["field"] == "function"
    assert "more than a student may type" in reply["errors"][0]["message"]
    # Valid YAML whose derivative (with its steps and mistakes) takes far too long.
    slow = FIXED.replace('"sigma({{a}}*x)"', '"' + "sigma(" * 6 + "{{a}}*x" + ")" * 6 + '"')
    reply = client.post(f"{_base(s)}/check", data={"source": slow}).get_json()
    assert reply["ok"] is False
    assert reply["errors"][0]["message"].startswith("Checking this template took longer than 3")
    saved = _post(client, f"{_base(s)}/new", slow, "save")
    assert saved.status_code == 400 and "took longer than 3 seconds" in saved.get_data(
        as_text=True)
    with app.app_context():
        assert db.session.scalar(select(CourseTemplate.id)) is None


def test_json_check_reports_fields_and_lines(app, client, login, make_user):
    s = build_setup(app, make_user)
    login("teach@example.org")
    reply = client.post(f"{_base(s)}/check", data={"source": BROKEN}).get_json()
    assert reply["ok"] is False
    assert {"field": "difficulty", "line": 4,
            "message": "must be an integer from 1 to 5"} in reply["errors"]
    good = client.post(f"{_base(s)}/check", data={"source": FIXED}).get_json()
    assert good["ok"] and good["preview_html"].count('data-testid="preview-seed"') == 3


def test_an_admin_promotes_a_template_to_the_shared_bank(app, client, login, make_user):
    from app.models import Role, User
    from app.services.courses import membership

    s = build_setup(app, make_user)
    make_user("root@example.org", role=Role.ADMIN)
    login("teach@example.org")
    _post(client, f"{_base(s)}/new", FIXED, "save")
    with app.app_context():
        template_id = db.session.scalar(select(CourseTemplate.id))
        other = membership.create_course("Other course", db.session.scalar(
            select(User).where(User.email == "other@example.org")))
        db.session.commit()
        other_id = other.id
    ref = f"c{s.course_id}.scaled-sigmoid.v1"
    login("other@example.org")
    other_new = f"/courses/{other_id}/assignments/new"
    draft = client.post(other_new, data={
        "title": "Theirs", "open_at": "2026-02-01T09:00", "due_at": "2026-02-08T09:00",
        "solution_reveal": "after_due", "late_penalty_per_day": 0, "late_penalty_cap": 0,
        "wrong_attempt_penalty": 0, "form_credit": 0}).location
    assert ref not in client.get(draft).get_data(as_text=True)
    assert client.post(f"{draft}/items", data={"template_id": ref, "points": 1}).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(AssignmentItem.id).where(
            AssignmentItem.template_id == ref)) is None

    assert client.get("/admin/templates/").status_code == 403
    login("root@example.org")
    page = client.get(f"{_base(s)}/{template_id}").get_data(as_text=True)
    assert 'data-testid="template-promote"' in page
    listing = client.get("/admin/templates/").get_data(as_text=True)
    assert "Promote scaled-sigmoid to the shared bank" in listing
    promoted = client.post(f"{_base(s)}/{template_id}/share", data={"shared": "1",
                                                                    "back": "admin"})
    assert promoted.location.endswith("/admin/templates/")
    assert "Remove scaled-sigmoid from the shared bank" in client.get(
        "/admin/templates/").get_data(as_text=True)

    login("other@example.org")
    assert ref in client.get(draft).get_data(as_text=True)
    client.post(f"{draft}/items", data={"template_id": ref, "points": 1})
    with app.app_context():
        assert db.session.scalar(select(AssignmentItem.id).where(
            AssignmentItem.template_id == ref)) is not None
    listing = client.get(f"/courses/{other_id}/templates/").get_data(as_text=True)
    assert "Copy Sigmoid of a scaled input" in listing
    copy = client.get(f"/courses/{other_id}/templates/new?copy_shared={template_id}")
    assert "id: scaled-sigmoid-copy" in copy.get_data(as_text=True)
    # The owner course's editor stays its own.
    assert client.get(f"{_base(s)}/{template_id}").status_code == 404
