"""Issue 13 in a browser: try as student, extensions and overrides with their audit log, the
settings warning, hidden practice, and the New course form that keeps what was typed."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models.assignment import AssignmentStatus, SolutionReveal
from app.services.assignments import builder
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in, teacher_student_course

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-coursework")


def _shoot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _setup(app, **settings):
    with app.app_context():
        _teacher, student, course = teacher_student_course()
        now = datetime.now(UTC)
        values = {"title": "Homework 1", "instructions": "Two **tries** each.\n\nGood luck.",
                  "open_at": now - timedelta(hours=1), "due_at": now + timedelta(days=3),
                  "attempts_allowed": 2, "solution_reveal": SolutionReveal.AFTER_MISS,
                  **settings}
        assignment = builder.create_assignment(course, builder.Settings(**values))
        for template in ("sigmoid-affine", "bce-prediction"):
            builder.add_item(assignment, template, 2, {"sigmoid-affine", "bce-prediction"})
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        return course.id, assignment.id, student.id


def test_try_as_student_then_reset(live_server, page):
    course, assignment, _student = _setup(live_server.app)
    log_in(page, live_server.url, "t@example.org", "teach-password")
    page.goto(f"{live_server.url}/courses/{course}/assignments/{assignment}")
    # The settings allow copying the solution after a miss: a visible warning, not a refusal.
    assert "copy the solution" in page.get_by_test_id("settings-warning").inner_text()
    expect(page.get_by_test_id("move-up")).to_have_count(1)
    assert_accessible(page, name="assignment-edit-with-warning")
    _shoot(page, "edit-warning")
    page.get_by_test_id("try-as-student").click()
    expect(page.get_by_test_id("sandbox-banner")).to_be_visible()
    assert "nothing is recorded" in page.get_by_test_id("sandbox-banner").inner_text()
    assert "tries" in page.get_by_test_id("instructions").locator("strong").inner_text()
    page.get_by_role("link", name="Item 1").click()
    page.get_by_test_id("answer-input").fill("x")
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "incorrect")
    assert "left 1" in page.get_by_test_id("item-status").inner_text()
    expect(page.get_by_test_id("solution")).to_be_visible()
    assert_accessible(page, name="try-as-student-item")
    _shoot(page, "try-item")
    page.get_by_test_id("sandbox-reset").click()
    page.get_by_role("link", name="Item 1").click()
    expect(page.get_by_test_id("item-status")).to_contain_text("attempts used 0")
    # The gradebook saw none of it.
    page.goto(f"{live_server.url}/courses/{course}/grades/assignments/{assignment}")
    cells = page.get_by_test_id("assignment-grades").locator("tbody td").all_inner_texts()
    assert cells == ["—", "—", "0"]


def test_extension_and_override_with_the_audit_log(live_server, page):
    course, assignment, student = _setup(live_server.app)
    log_in(page, live_server.url, "t@example.org", "teach-password")
    page.goto(f"{live_server.url}/courses/{course}/grades/students/{student}")
    extension = page.get_by_test_id("extension-form")
    extension.get_by_label("Due date for this student").fill("2030-01-10T12:00")
    extension.get_by_label("Extra attempts", exact=True).fill("2")
    extension.get_by_label("Reason (optional)").fill("Illness")
    extension.get_by_test_id("extension-save").click()
    override = page.get_by_test_id("override-form")
    override.get_by_label("Grade of").select_option(label="Item 1")
    override.get_by_label("Points").fill("1.5")
    override.get_by_test_id("override-save").click()
    # No reason: refused, what was typed kept, the error next to the form.
    assert "reason" in page.get_by_test_id("override-error").inner_text()
    assert page.get_by_test_id("override-form").get_by_label("Points").input_value() == "1.5"
    assert_accessible(page, name="override-error")
    page.get_by_test_id("override-form").get_by_label("Reason (required").fill("Sign slip only")
    page.get_by_test_id("override-form").get_by_test_id("override-save").click()
    expect(page.get_by_test_id("audit-entry")).to_have_count(3)
    log = page.get_by_test_id("audit-log").inner_text()
    assert "Sign slip only" in log and "Illness" in log and "Teacher" in log
    assert_accessible(page, name="student-grades-audit")
    _shoot(page, "student-grades")

    page.context.clear_cookies()
    log_in(page, live_server.url, "kim@example.org", "learn-password")
    page.goto(f"{live_server.url}/courses/{course}")
    mine = page.get_by_test_id("audit-log").inner_text()
    assert "Sign slip only" in mine and "Teacher" not in mine
    expect(page.get_by_test_id("extended")).to_have_count(1)
    assert_accessible(page, name="student-course-audit")
    _shoot(page, "student-course")


def test_hidden_practice_and_the_new_course_form(live_server, page):
    _setup(live_server.app, hide_from_practice=True)
    log_in(page, live_server.url, "kim@example.org", "learn-password")
    page.goto(f"{live_server.url}/practice/")
    expect(page.get_by_test_id("practice-hidden")).to_be_visible()
    expect(page.get_by_test_id("family-sigmoid-affine")).to_have_count(0)
    reply = page.goto(f"{live_server.url}/practice/sigmoid-affine/3")
    assert reply.status == 403 and "Homework 1" in page.content()
    assert_accessible(page, name="practice-hidden-refusal")
    _shoot(page, "practice-refused")

    page.context.clear_cookies()
    log_in(page, live_server.url, "t@example.org", "teach-password")
    page.goto(f"{live_server.url}/courses/")
    page.get_by_label("Title").fill("Neural networks σ")
    page.get_by_label("Time zone").fill("Europe/Berlinn")
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_label("Time zone")).to_have_attribute("aria-invalid", "true")
    assert page.get_by_label("Title").input_value() == "Neural networks σ"
    assert "not a time zone" in page.locator("#timezone-errors").inner_text()
    assert_accessible(page, name="new-course-error")
    _shoot(page, "new-course-error")
