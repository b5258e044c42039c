"""A student practises in a real browser: live preview, then a correct, a wrong and an
unreadable answer, with a screenshot of each state."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.practice.conftest import BANK, sigmoid_answers

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(make_live_server):
    return make_live_server(PROBLEMS_DIR=str(BANK))


def _register(page, base):
    page.goto(f"{base}/auth/register")
    page.get_by_label("Name").fill("Pat Student")
    page.get_by_label("Email").fill("pat@example.org")
    page.get_by_label("Password", exact=True).fill("pat-password-1")
    page.get_by_label("Repeat password").fill("pat-password-1")
    page.get_by_role("button", name="Create account").click()


def _seed_after(page, control) -> int:
    """The seed of the variant a click on `control` leads to, once its page has arrived."""
    with page.expect_navigation(url=re.compile(r"/practice/sigmoid-affine/\d+$")):
        control.click()
    return int(re.search(r"/practice/sigmoid-affine/(\d+)$", page.url).group(1))


def test_practice_flow(live_server, page, screenshot):
    # Script errors and CSP violations; HTTP statuses (the 422 of an unreadable answer, a
    # missing favicon) are reported as console errors too and are expected.
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    _register(page, live_server.url)
    page.get_by_role("link", name="Practice").first.click()
    screenshot("topics")
    seed = _seed_after(page, page.get_by_role("link", name="Sigmoid of a linear function"))
    answers = sigmoid_answers(seed)

    box = page.get_by_test_id("answer-input")
    preview = page.get_by_test_id("answer-preview")
    box.press_sequentially("2x(1-x", delay=20)
    expect_text(preview, "never closed")  # the error, with its position marked
    assert preview.locator("mark").inner_text() == "("
    screenshot("preview-error")
    box.fill("")
    box.press_sequentially(answers["correct"], delay=10)
    expect_text(preview, "We read your answer as")
    expect(preview.locator("math")).to_have_count(1)
    screenshot("preview")

    page.get_by_test_id("submit-answer").click()
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_attribute("data-verdict", "correct")
    expect(page.get_by_test_id("solution-steps")).not_to_be_visible()  # on demand
    page.get_by_text("Worked solution").click()
    expect(page.get_by_test_id("solution-steps")).to_be_visible()
    screenshot("correct")

    new_seed = _seed_after(page, page.get_by_test_id("new-variant"))
    assert new_seed != seed
    answers = sigmoid_answers(new_seed)
    page.get_by_test_id("answer-input").fill(answers["chain_dropped"])
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "incorrect")
    assert "chain rule" in page.get_by_test_id("mistake-feedback").inner_text()
    expect(page.get_by_test_id("solution-steps")).to_be_visible()
    assert page.get_by_test_id("solution-steps").locator("li").count() >= 4
    for testid in ("compare-plot", "function-plot"):
        plot = page.get_by_test_id(testid).locator("img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=plot.element_handle())
    screenshot("incorrect")

    answers = sigmoid_answers(_seed_after(page, page.get_by_test_id("new-variant")))
    page.get_by_test_id("answer-input").fill(answers["invalid"])
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "invalid")
    assert page.get_by_test_id("answer-input").input_value() == answers["invalid"]
    assert "did not count" in page.get_by_test_id("verdict").inner_text()
    screenshot("invalid")

    page.get_by_role("link", name="Practice").first.click()
    row = page.get_by_test_id("family-sigmoid-affine")
    assert row.locator("td").all_inner_texts() == ["2", "1", "0"]
    assert errors == []


def test_keyboard_and_phone(live_server, page, screenshot):
    page.set_viewport_size({"width": 390, "height": 844})
    _register(page, live_server.url)
    page.goto(f"{live_server.url}/practice/sigmoid-affine/3")
    answers = sigmoid_answers(3)
    page.get_by_test_id("answer-input").focus()
    page.keyboard.type(answers["correct"])
    page.keyboard.press("Enter")  # submitting from the keyboard
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "correct")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot("phone")


def expect_text(locator, text: str) -> None:
    expect(locator).to_contain_text(text)
