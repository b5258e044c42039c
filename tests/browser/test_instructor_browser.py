"""An instructor creates a course and an assignment, publishes it, and downloads the
gradebook, in a real browser with CSRF on."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Role
from app.services.accounts import users
from app.services.courses import membership

pytestmark = pytest.mark.browser


def _seed(app):
    with app.app_context():
        teacher = users.create_user("ada@example.org", "Ada Teacher", "teach-password",
                                       Role.INSTRUCTOR)
        student = users.create_user("sam@example.org", "Sam Student", "learn-password")
        db.session.commit()
        return teacher, student


def test_instructor_builds_publishes_and_exports(live_server, page, screenshot):
    _seed(live_server.app)
    page.goto(f"{live_server.url}/auth/login")
    page.get_by_label("Email").fill("ada@example.org")
    page.get_by_label("Password").fill("teach-password")
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_label("Title").fill("Neural Networks 101")
    page.get_by_label("Time zone").fill("America/New_York")
    page.get_by_role("button", name="Create course").click()
    expect(page.get_by_role("heading", name="Neural Networks 101")).to_be_visible()
    with live_server.app.app_context():
        from sqlalchemy import select

        from app.models import Course, User

        course = db.session.scalar(select(Course))
        membership.enrol(course, db.session.scalar(select(User).where(
            User.email == "sam@example.org")))
        db.session.commit()
    page.reload()
    screenshot("course")

    page.get_by_role("link", name="New assignment").click()
    page.get_by_label("Title").fill("Sigmoid week")
    page.get_by_label("Opens").fill("2026-03-01T09:00")
    page.get_by_label("Due").fill("2026-03-08T23:59")
    page.get_by_label("Accept late work").check()
    page.get_by_label("Late penalty per day (%)").fill("10")
    page.get_by_label("Late penalty cap (%)").fill("50")
    page.get_by_label("Attempts per item (empty for unlimited)").fill("3")
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_test_id("assignment-status")).to_have_text("draft")

    page.get_by_test_id("template-select").select_option("sigmoid-affine")
    page.get_by_role("spinbutton", name="Points", exact=True).fill("5")
    page.get_by_role("button", name="Add item").click()
    page.get_by_test_id("template-select").select_option("sigmoid-affine")
    page.get_by_role("button", name="Add item").click()
    expect(page.get_by_test_id("items").locator("tbody tr")).to_have_count(2)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("assignment-status")).to_have_text("published")
    screenshot("published")

    page.get_by_role("link", name="Sigmoid of a linear function").first.click()
    expect(page.get_by_test_id("variant-preview")).to_be_visible()
    expect(page.get_by_test_id("solution-steps")).to_be_visible()
    screenshot("preview")
    page.go_back()

    page.get_by_role("link", name="Neural Networks 101").click()
    page.get_by_role("link", name="Gradebook").click()
    expect(page.get_by_test_id("gradebook")).to_be_visible()
    screenshot("gradebook")
    with page.expect_download() as info:
        page.get_by_test_id("export-gradebook").click()
    download = info.value
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs for UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0][0:2] == ["name", "email"] and rows[0][-2:] == ["total", "percent"]
    assert rows[1][:2] == ["Sam Student", "sam@example.org"]
    assert float(rows[1][2]) == 0.0
