"""An instructor writes a course template in a real browser (CSRF on, the live check by
JavaScript), uses it in an assignment that a student answers, then edits it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import AssignmentItem, Role, Submission
from app.models.assignment import AssignmentStatus
from app.models.base import utcnow
from app.services.accounts import users
from app.services.assignments import builder
from app.services.courses import membership
from tests.authoring.helpers import BROKEN, FIXED, SHIFTED, expected_answer
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in

pytestmark = pytest.mark.browser
SHOTS = Path("/tmp/shots-authoring")


def _seed(app) -> tuple[int, int, int]:
    with app.app_context():
        teacher = users.create_user("ada@example.org", "Ada Teacher", "teach-password",
                                    Role.INSTRUCTOR)
        student = users.create_user("sam@example.org", "Sam Student", "learn-password")
        course = membership.create_course("Neural Networks 101", teacher)
        membership.enrol(course, student)
        now = utcnow()
        assignment = builder.create_assignment(course, builder.Settings(
            title="Sigmoid week", instructions="", open_at=now - timedelta(days=1),
            due_at=now + timedelta(days=7)))
        builder.add_item(assignment, "sigmoid-affine", 1, {"sigmoid-affine"})
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        return course.id, assignment.id, student.id


def _shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_write_preview_save_assign_answer_and_edit(live_server, page):
    course_id, assignment_id, student_id = _seed(live_server.app)
    url = live_server.url
    log_in(page, url, "ada@example.org", "teach-password")
    page.goto(f"{url}/courses/{course_id}")
    with page.expect_navigation(wait_until="load"):
        page.get_by_test_id("course-templates").click()
    assert_accessible(page, "templates-empty")
    page.get_by_test_id("template-new").click()

    source = page.get_by_test_id("template-source")
    source.fill(BROKEN)
    page.get_by_test_id("template-validate").click()
    errors = page.get_by_test_id("template-errors")
    assert "difficulty (line 4): must be an integer from 1 to 5" in errors.inner_text()
    # The error's line link selects that line of the source.
    errors.get_by_role("link", name="difficulty (line 4)").click()
    selected = page.evaluate("(() => { const t = document.getElementById('template-source');"
                             " return t.value.slice(t.selectionStart, t.selectionEnd); })()")
    assert selected == "difficulty: 9"
    assert_accessible(page, "editor-errors")
    _shot(page, "editor-errors")

    # Typing the fix: the page's script checks it and shows three seeds without a reload.
    page.get_by_test_id("template-source").fill(FIXED)
    seeds = page.get_by_test_id("template-preview").get_by_test_id("preview-seed")
    seeds.nth(2).wait_for()
    expect(seeds).to_have_count(3)
    assert "No problems found" in page.get_by_test_id("template-errors").inner_text()
    assert_accessible(page, "editor-preview")
    _shot(page, "editor-preview")
    page.get_by_test_id("template-save").click()
    expect(page.get_by_text("Version 1 is the latest.")).to_be_visible()

    ref = f"c{course_id}.scaled-sigmoid.v1"
    page.goto(f"{url}/courses/{course_id}/assignments/{assignment_id}")
    page.get_by_test_id("template-select").select_option(ref)
    page.get_by_role("button", name="Add item").click()
    expect(page.get_by_test_id("items").locator("tbody tr")).to_have_count(2)
    _shot(page, "assignment-items")
    with live_server.app.app_context():
        item_id = db.session.scalar(select(AssignmentItem.id).where(
            AssignmentItem.template_id == ref))
    right = expected_answer(live_server.app, assignment_id, item_id, student_id)

    page.get_by_role("button", name="Log out").click()
    log_in(page, url, "sam@example.org", "learn-password")
    page.goto(f"{url}/courses/{course_id}/work/{assignment_id}/items/{item_id}")
    assert page.get_by_role("heading", name="Sigmoid of a scaled input").count() >= 1
    page.get_by_test_id("answer-input").fill(right)
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "correct")

    page.get_by_role("button", name="Log out").click()
    log_in(page, url, "ada@example.org", "teach-password")
    page.goto(f"{url}/courses/{course_id}/templates/")
    page.get_by_role("link", name="Sigmoid of a scaled input").click()
    page.get_by_test_id("template-source").fill(SHIFTED)
    page.get_by_test_id("template-save").click()
    expect(page.get_by_text("Version 2 is the latest.")).to_be_visible()
    expect(page.get_by_test_id("template-regrade")).to_be_visible()
    assert_accessible(page, "editor-version-2")
    _shot(page, "editor-version-2")
    page.goto(f"{url}/courses/{course_id}/templates/")
    expect(page.get_by_test_id("template-list").get_by_text("v2")).to_be_visible()
    assert_accessible(page, "templates-list")
    _shot(page, "templates-list")
    page.get_by_test_id("template-list").get_by_role("link", name="v1").click()
    expect(page.get_by_test_id("version-source")).to_contain_text('sigma({{a}}*x)"')
    assert_accessible(page, "template-version")
    with live_server.app.app_context():
        # The item and the student's answer keep version 1 until the instructor regrades.
        assert ref in set(db.session.scalars(select(AssignmentItem.template_id)))
        assert db.session.scalar(select(Submission.template_id)) == ref


def test_editor_works_without_javascript(browser, live_server):
    course_id, _assignment_id, _student = _seed(live_server.app)
    # On a phone's width, too.
    context = browser.new_context(java_script_enabled=False,
                                  viewport={"width": 390, "height": 844})
    page = context.new_page()
    log_in(page, live_server.url, "ada@example.org", "teach-password")
    page.goto(f"{live_server.url}/courses/{course_id}/templates/new?copy=bce-prediction")
    assert "id: bce-prediction-copy" in page.get_by_test_id("template-source").input_value()
    page.get_by_test_id("template-validate").click()
    expect(page.get_by_test_id("template-preview").get_by_test_id("preview-seed")).to_have_count(3)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the editor is {width} px wide on a 390 px phone"
    _shot(page, "editor-phone-nojs")
    page.get_by_test_id("template-save").click()
    expect(page.get_by_text("Version 1 is the latest.")).to_be_visible()
    context.close()


def test_admin_list_of_course_templates(live_server, page):
    course_id, _assignment_id, _student = _seed(live_server.app)
    with live_server.app.app_context():
        users.create_user("root@example.org", "Root Admin", "admin-password", Role.ADMIN)
        db.session.commit()
    log_in(page, live_server.url, "ada@example.org", "teach-password")
    page.goto(f"{live_server.url}/courses/{course_id}/templates/new")
    page.get_by_test_id("template-source").fill(FIXED)
    page.get_by_test_id("template-save").click()
    page.get_by_role("button", name="Log out").click()
    log_in(page, live_server.url, "root@example.org", "admin-password")
    page.get_by_role("link", name="Templates").click()
    page.get_by_role("button", name="Promote scaled-sigmoid to the shared bank").click()
    expect(page.get_by_text("scaled-sigmoid is now in the shared bank.")).to_be_visible()
    assert_accessible(page, "admin-templates")
    _shot(page, "admin-templates")
