"""Issue 16's pages in a real browser: password rules on the form, the account page and
"log out other sessions", instructors' API keys, an admin's reset link and deactivation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import Role
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

PASSWORD = "violet-kettle-runs"


def _account(live_server, email, role=Role.STUDENT, name=None):
    from app.services.accounts import users

    with live_server.app.app_context():
        users.create_user(email, name or email.split("@")[0].title(), PASSWORD, role)
        db.session.commit()


def _log_in(page, live_server, email, password=PASSWORD):
    page.goto(f"{live_server.url}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_register_says_the_password_rules(live_server, page, screenshot):
    page.goto(f"{live_server.url}/auth/register")
    expect(page.get_by_text("At least 10 characters")).to_be_visible()
    page.get_by_label("Name").fill("Grace")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Password", exact=True).fill("password123")
    page.get_by_label("Repeat password").fill("password123")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("one of the most common ones")).to_be_visible()
    screenshot("common-password-refused")


def test_log_out_other_sessions(live_server, browser, page, screenshot):
    _account(live_server, "ann@example.org", name="Ann")
    other = browser.new_context().new_page()
    _log_in(other, live_server, "ann@example.org")
    _log_in(page, live_server, "ann@example.org")
    page.get_by_test_id("account-link").click()
    screenshot("account")
    page.get_by_test_id("logout-others").click()
    expect(page.get_by_text("Your other sessions are logged out")).to_be_visible()
    other.goto(f"{live_server.url}/courses/")
    assert "/auth/login" in other.url
    expect(other.get_by_text("Your session has ended")).to_be_visible()
    other.screenshot(path=str(ARTIFACTS / "security-other-session-ended.png"), full_page=True)
    other.context.close()


def test_instructor_creates_and_revokes_an_api_key(live_server, page, screenshot):
    _account(live_server, "teach@example.org", Role.INSTRUCTOR, "Teacher")
    _log_in(page, live_server, "teach@example.org")
    page.get_by_test_id("account-link").click()
    page.get_by_test_id("api-keys-link").click()
    page.get_by_label("Name of the tool").fill("Homework checker")
    page.get_by_role("button", name="Create key").click()
    key = page.get_by_test_id("new-api-key-value").inner_text()
    assert key.startswith("gwk_")
    screenshot("api-key-created")
    page.get_by_role("button", name="Revoke Homework checker").click()
    expect(page.get_by_text("is revoked")).to_be_visible()
    screenshot("api-key-revoked")


def test_admin_hands_out_a_reset_link_and_deactivates(live_server, browser, page, screenshot):
    _account(live_server, "root@example.org", Role.ADMIN, "Root")
    _account(live_server, "bob@example.org", name="Bob")
    _log_in(page, live_server, "root@example.org")
    page.get_by_role("link", name="Users").click()
    page.get_by_role("button", name="Password reset link for bob@example.org").click()
    link = page.get_by_test_id("reset-link-value").inner_text()
    screenshot("reset-link")
    bob = browser.new_context().new_page()
    bob.goto(link)
    bob.get_by_label("New password", exact=True).fill("a-brand-new-phrase")
    bob.get_by_label("Repeat new password").fill("a-brand-new-phrase")
    bob.screenshot(path=str(ARTIFACTS / "security-reset-form.png"), full_page=True)
    bob.get_by_role("button", name="Set new password").click()
    expect(bob.get_by_text("Your password has been changed")).to_be_visible()
    page.get_by_role("button", name="Deactivate bob@example.org").click()
    expect(page.get_by_text("deactivated; every session of it has ended")).to_be_visible()
    screenshot("deactivated")
    _log_in(bob, live_server, "bob@example.org", "a-brand-new-phrase")
    expect(bob.get_by_text("This account has been deactivated")).to_be_visible()
    bob.context.close()


def test_forgot_password_without_mail(live_server, page, screenshot):
    page.goto(f"{live_server.url}/auth/login")
    page.get_by_test_id("forgot-password").click()
    expect(page.get_by_test_id("reset-by-staff")).to_be_visible()
    screenshot("forgot-without-mail")
