"""A student answers a multi-part item in Chromium: one box per part with its own live
preview (and formula editor), per-part verdicts with follow-through, the worked steps per
part; the same page without JavaScript; axe on every state."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app.bank import load_bank
from app.extensions import db
from app.models import Role, User
from app.models.assignment import AssignmentStatus
from app.models.base import utcnow
from app.services.accounts import users
from app.services.assignments import builder
from app.services.assignments.variants import seed_for
from app.services.courses import membership
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import log_in
from tests.conftest import TEST_PASSWORD

pytestmark = pytest.mark.browser
SHOTS = "/tmp/shots-multipart"
TEMPLATE = "bce-chain-parts"


def _item(app) -> tuple[str, dict[str, str]]:
    """A published assignment with one multi-part item, Ann enrolled: its URL and Ann's
    variant's (t, z)."""
    with app.app_context():
        teacher = users.create_user("teach@example.org", "Teacher", TEST_PASSWORD,
                                    Role.INSTRUCTOR)
        ann = users.create_user("ann@example.org", "Ann", TEST_PASSWORD, Role.STUDENT)
        course = membership.create_course("DL", teacher, "UTC")
        membership.enrol(course, ann)
        now = utcnow()
        assignment = builder.create_assignment(course, builder.Settings(
            title="Chains", instructions="", open_at=now - timedelta(days=1),
            due_at=now + timedelta(days=7), attempts_allowed=3))
        item = builder.add_item(assignment, TEMPLATE, 4, {TEMPLATE})
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        seed = seed_for(assignment, item, db.session.get(User, ann.id).id)
        params = dict(load_bank(app.config["PROBLEMS_DIR"]).variant(TEMPLATE, seed).params)
        url = f"/courses/{course.id}/work/{assignment.id}/items/{item.id}"
        return url, params


def _shot(page, name):
    os.makedirs(SHOTS, exist_ok=True)
    page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _carried(params):
    t, z = params["t"], params["z"]
    return {"dLdyhat": f"-{t}/yhat + (1-{t})/yhat",
            "dyhatdz": f"sigma({z})(1-sigma({z}))",
            "dLdz": f"(-{t}/sigma({z}) + (1-{t})/sigma({z}))*sigma({z})(1-sigma({z}))"}


def test_a_multipart_item_with_previews_verdicts_and_follow_through(live_server, page):
    base = live_server.url
    url, params = _item(live_server.app)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, base, "ann@example.org")
    page.goto(base + url)
    expect(page.get_by_test_id("part")).to_have_count(3)
    assert_accessible(page, name="multi-part item")
    answers = _carried(params)
    for part_id, text in answers.items():
        page.locator(f"#answer-{part_id}").fill(text)
        # Each box has its own live preview.
        expect(page.locator(f"#answer-{part_id}-preview")).to_contain_text(
            "We read your answer as")
    _shot(page, "item-typed")
    page.get_by_test_id("submit-answer").click()
    verdicts = page.get_by_test_id("part-verdict")
    expect(verdicts).to_have_count(3)
    assert [verdicts.nth(i).get_attribute("data-credited") for i in range(3)] == [
        "false", "true", "true"]
    expect(page.get_by_test_id("follow-through")).to_have_text(
        "Correct given your answer to part (a).")
    expect(page.get_by_test_id("verdict")).to_contain_text("3 of 4 points")
    expect(page.get_by_test_id("item-status")).to_contain_text("3 of 4 points")
    # The answers stay in their boxes, so part (a) can be fixed.
    expect(page.locator("#answer-dLdyhat")).to_have_value(answers["dLdyhat"])
    assert_accessible(page, name="multi-part item after a partly right answer")
    _shot(page, "item-graded")
    assert errors == []


def test_practice_parts_with_the_formula_editor_and_worked_steps(live_server, page):
    base = live_server.url
    with live_server.app.app_context():
        users.create_user("kim@example.org", "Kim", TEST_PASSWORD, Role.STUDENT)
        db.session.commit()
    log_in(page, base, "kim@example.org")
    page.goto(f"{base}/auth/account")
    page.get_by_test_id("answer-mode-editor").check()
    page.get_by_test_id("save-answer-mode").click()
    page.goto(f"{base}/practice/sigmoid-quotient-parts/0")
    expect(page.get_by_test_id("formula-editor")).to_have_count(3)
    assert_accessible(page, name="multi-part practice with the formula editor")
    _shot(page, "practice-editor")
    for part_id, text in (("du", "0"), ("dv", "-exp(-x)"), ("dsigma", "sigma(x)(1-sigma(x))")):
        page.locator(f"#answer-{part_id}").fill(text)
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "correct")
    steps = page.get_by_test_id("part-solution")
    expect(steps).to_have_count(3)
    steps.nth(2).locator("summary").click()
    expect(steps.nth(2)).to_contain_text("Put in the results of parts (a), (b).")
    assert_accessible(page, name="multi-part practice answered")
    _shot(page, "practice-correct")


def test_parts_without_javascript(live_server, browser):
    base = live_server.url
    with live_server.app.app_context():
        users.create_user("nojs@example.org", "No JS", TEST_PASSWORD, Role.STUDENT)
        db.session.commit()
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, base, "nojs@example.org")
        page.goto(f"{base}/practice/sigmoid-quotient-parts/0")
        page.locator("#answer-du").fill("0")
        page.locator("#answer-dv").fill("exp(-x)")
        page.locator("#answer-dsigma").fill("-sigma(x)(1-sigma(x))")
        page.get_by_test_id("submit-answer").click()
        expect(page.get_by_test_id("follow-through")).to_have_text(
            "Correct given your answer to part (b).")
        _shot(page, "practice-nojs")
    finally:
        context.close()


def test_the_instructor_preview_of_a_multipart_template(live_server, page):
    base = live_server.url
    url, _ = _item(live_server.app)
    course_id = url.split("/")[2]
    log_in(page, base, "teach@example.org")
    page.goto(f"{base}/courses/{course_id}/assignments/preview?template={TEMPLATE}&seed=0")
    expect(page.get_by_test_id("preview-part")).to_have_count(3)
    assert_accessible(page, name="preview of a multi-part template")
    _shot(page, "instructor-preview")
