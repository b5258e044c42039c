"""The "right, but not in the requested form" verdict in a real browser, on the shipped bank."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_an_answer_in_the_wrong_form_gets_the_form_verdict(live_server, page, screenshot):
    from playwright.sync_api import expect

    base = live_server.url
    page.goto(f"{base}/auth/register")
    page.get_by_label("Name").fill("Fay Student")
    page.get_by_label("Email").fill("fay@example.org")
    page.get_by_label("Password", exact=True).fill("fay-password-1")
    page.get_by_label("Repeat password").fill("fay-password-1")
    page.get_by_role("button", name="Create account").click()
    page.goto(f"{base}/practice/sigmoid-quotient-rule/1")
    expect(page.get_by_test_id("prompt")).to_contain_text("in terms of")
    page.get_by_test_id("answer-input").fill("e^-x/(1+e^-x)^2")
    page.get_by_test_id("submit-answer").click()
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-verdict", "form")
    expect(verdict).to_contain_text("Equivalent, but not in the requested form")
    expect(verdict).to_contain_text("σ")
    screenshot("form-verdict")
