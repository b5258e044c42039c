"""A person registers, sees who is logged in, logs out and back in — in a real browser."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_register_logout_login(live_server, page, screenshot):
    page.goto(f"{live_server.url}/auth/register")
    page.get_by_label("Name").fill("Grace Student")
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Password", exact=True).fill("grace-password")
    page.get_by_label("Repeat password").fill("grace-password")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("current-user")).to_contain_text("Grace Student")
    screenshot("registered")
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email").fill("grace@example.org")
    page.get_by_label("Password").fill("wrong-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Wrong email or password.")).to_be_visible()
    page.get_by_label("Password").fill("grace-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("current-user")).to_contain_text("Grace Student")
