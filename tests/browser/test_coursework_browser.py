"""A student opens a published assignment, misses once, then answers their own variant."""

from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.bank import load_bank
from app.cas.plain import to_plain
from app.extensions import db
from app.models.assignment import AssignmentStatus, SolutionReveal
from app.services.assignments import builder
from app.services.assignments.variants import seed_for
from tests.browser.conftest import log_in, teacher_student_course

pytestmark = pytest.mark.browser


def test_student_answers_an_item(live_server, page, screenshot):
    app = live_server.app
    with app.app_context():
        _teacher, student, course = teacher_student_course()
        now = datetime.now(UTC)
        assignment = builder.create_assignment(course, builder.Settings(
            title="Homework 1", instructions="Two tries each.", open_at=now - timedelta(hours=1),
            due_at=now + timedelta(days=3), attempts_allowed=2,
            solution_reveal=SolutionReveal.AFTER_MISS))
        item = builder.add_item(assignment, "sigmoid-affine", 4, {"sigmoid-affine"})
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        seed = seed_for(assignment, item, student.id)
        answer = to_plain(load_bank(app.config["PROBLEMS_DIR"]).variant("sigmoid-affine",
                                                                        seed).expected)
        course_id = course.id

    log_in(page, live_server.url, "kim@example.org", "learn-password")
    page.goto(f"{live_server.url}/courses/{course_id}")
    assert "0 of 1 solved" in page.get_by_test_id("my-assignments").inner_text()
    page.get_by_role("link", name="Homework 1").click()
    page.get_by_role("link", name="Item 1").click()
    page.get_by_test_id("answer-input").fill("x")
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "incorrect")
    expect(page.get_by_test_id("solution")).to_be_visible()  # policy: after a miss
    assert "left 1" in page.get_by_test_id("item-status").inner_text()
    page.get_by_test_id("answer-input").fill(answer)
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "correct")
    expect(page.get_by_test_id("history").locator("tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("refusal")).to_have_count(0)
    screenshot("solved")
    page.get_by_role("link", name="Homework 1").click()
    expect(page.get_by_test_id("items")).to_contain_text("4 / 4")
    with app.app_context():
        from app.models.assignment import Submission

        assert len(db.session.scalars(select(Submission)).all()) == 2
