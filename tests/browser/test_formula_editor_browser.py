"""The visual formula editor in Chromium: chosen on the Account page, typed into and used
through its virtual keyboard, giving the same verdict as the text box; its LaTeX sent as text
for the contract's examples and the whole bank (through MathLive itself); the text box alone
without JavaScript; the strict CSP relaxed only where the editor is; axe on its pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from app.bank import load_bank
from tests.browser.a11y import assert_accessible
from tests.browser.conftest import ARTIFACTS
from tests.formula_corpus import PROBLEMS, cases, same_expression

pytestmark = pytest.mark.browser

EDITOR_CSP = "style-src 'self'; style-src-attr 'unsafe-inline'"


def _register(page, base: str, email: str = "pat@example.org") -> None:
    page.goto(f"{base}/auth/register")
    page.get_by_label("Name").fill("Pat Student")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill("pat-password-1")
    page.get_by_label("Repeat password").fill("pat-password-1")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _choose(page, base: str, mode: str) -> None:
    page.goto(f"{base}/auth/account")
    page.get_by_test_id(f"answer-mode-{mode}").check()
    page.get_by_test_id("save-answer-mode").click()
    expect(page.locator(".flash-success")).to_be_visible()
    expect(page.get_by_test_id(f"answer-mode-{mode}")).to_be_checked()


def _affine(seed: int) -> tuple[int, int]:
    params = dict(load_bank(str(PROBLEMS)).variant("sigmoid-affine", seed).params)
    return int(params["a"]), int(params["b"])


def _positive_seed() -> int:
    """A sigmoid-affine variant σ(ax + b) with a > 1 and b > 0 (no signs to type)."""
    return next(seed for seed in range(1, 200) if _affine(seed)[0] > 1 and _affine(seed)[1] > 0)


def _editor(page):
    field = page.get_by_test_id("formula-editor")
    expect(field).to_be_visible()
    page.wait_for_function("() => customElements.get('math-field') !== undefined")
    return field


def _focus(page, field) -> None:
    field.click()
    expect(field).to_be_focused()
    page.wait_for_timeout(150)  # MathLive moves its caret in on the next frame


def _verdict(page) -> str:
    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_be_visible()
    return verdict.get_attribute("data-verdict")


def _console_errors(page) -> list[str]:
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text else None)
    return errors


def test_editor_answers_get_the_text_box_verdicts(live_server, page, screenshot):
    base = live_server.url
    errors = _console_errors(page)
    _register(page, base)
    seed = _positive_seed()
    a, b = _affine(seed)
    right = f"{a}σ({a}x+{b})(1-σ({a}x+{b}))"
    chain_dropped = f"σ({a}x+{b})(1-σ({a}x+{b}))"

    # The text box is the default: no editor, no relaxed policy.
    response = page.goto(f"{base}/practice/sigmoid-affine/{seed}")
    expect(page.get_by_test_id("formula-editor")).to_have_count(0)
    assert "style-src-attr" not in response.headers["content-security-policy"]
    text_verdicts = {}
    for answer in (chain_dropped, right):
        page.goto(f"{base}/practice/sigmoid-affine/{seed}")
        page.get_by_test_id("answer-input").fill(answer)
        page.get_by_test_id("submit-answer").click()
        text_verdicts[answer] = _verdict(page)
    assert text_verdicts == {chain_dropped: "incorrect", right: "correct"}

    _choose(page, base, "editor")
    assert "style-src-attr" not in page.goto(f"{base}/auth/account").headers[
        "content-security-policy"]
    for answer, keys in ((chain_dropped, f"sigma({a}x+{b})(1-sigma({a}x+{b}"),
                         (right, f"{a}sigma({a}x+{b})(1-sigma({a}x+{b}")):
        response = page.goto(f"{base}/practice/sigmoid-affine/{seed}")
        assert EDITOR_CSP in response.headers["content-security-policy"]
        field = _editor(page)
        _focus(page, field)
        page.keyboard.type(keys, delay=15)
        box = page.get_by_test_id("answer-input")
        expect(box).to_have_value(answer)  # what is sent: the contract's syntax
        expect(page.get_by_test_id("answer-preview")).to_contain_text("We read your answer as")
        if answer == right:
            screenshot("typed")
            assert_accessible(page, name="problem page with the formula editor")
        page.keyboard.press("Enter")  # submits, as in the text box
        assert _verdict(page) == text_verdicts[answer]
    screenshot("correct")
    assert errors == []  # no script error, no CSP violation


def _key(page, label: str):
    return page.locator(f".MLK__keycap[aria-label='{label}']").first


def test_virtual_keyboard(live_server, page, screenshot):
    base = live_server.url
    errors = _console_errors(page)
    _register(page, base)
    _choose(page, base, "editor")
    seed = _positive_seed()
    a, b = _affine(seed)
    page.goto(f"{base}/practice/sigmoid-affine/{seed}")
    field = _editor(page)
    field.locator("[part=virtual-keyboard-toggle]").click()
    expect(_key(page, "sigma of")).to_be_visible()
    for name in ("y hat", "e to the power", "power", "fraction", "open parenthesis",
                 "close parenthesis", "x"):
        expect(_key(page, name)).to_be_visible()
    screenshot("keyboard")
    assert_accessible(page, name="problem page, editor with its keyboard")

    right = page.locator("[data-command*='moveToNextChar']").first

    def press(*labels: str) -> None:
        for label in labels:
            if label == "→":
                right.click()
            else:
                _key(page, label).click()

    digits = list(str(a))
    press(*digits, "sigma of", *digits, "x", "plus", *str(b), "→",
          "open parenthesis", "1", "minus", "sigma of", *digits, "x", "plus", *str(b), "→",
          "close parenthesis")
    expect(page.get_by_test_id("answer-input")).to_have_value(
        f"{a}σ({a}x+{b})(1-σ({a}x+{b}))")
    page.get_by_test_id("submit-answer").click()
    assert _verdict(page) == "correct"
    assert errors == []


def test_phone_keyboard(live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True,
                                  has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        base = live_server.url
        _register(page, base)
        _choose(page, base, "editor")
        page.goto(f"{base}/practice/sigmoid-affine/{_positive_seed()}")
        field = _editor(page)
        field.tap()  # on a touch screen the keyboard comes up by itself
        expect(_key(page, "sigma of")).to_be_visible()
        for name in ("sigma of", "y hat", "e to the power", "power", "fraction",
                     "open parenthesis", "close parenthesis"):
            box = _key(page, name).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= 390, name
        _key(page, "sigma of").tap()
        _key(page, "x").tap()
        expect(page.get_by_test_id("answer-input")).to_have_value("σ(x)")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "test_phone_keyboard-phone.png"))
        assert_accessible(page, name="phone: editor and keyboard")
    finally:
        context.close()


def test_without_javascript_the_text_box_is_the_answer_box(live_server, browser, page):
    base = live_server.url
    _register(page, base, "nojs@example.org")
    _choose(page, base, "editor")
    cookies = page.context.cookies()
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies(cookies)
    plain = context.new_page()
    try:
        seed = _positive_seed()
        a, b = _affine(seed)
        plain.goto(f"{base}/practice/sigmoid-affine/{seed}")
        assert plain.locator("[data-formula-editor]").is_hidden()
        plain.get_by_test_id("answer-input").fill(f"{a}σ({a}x+{b})(1-σ({a}x+{b}))")
        plain.get_by_test_id("submit-answer").click()
        expect(plain.get_by_test_id("verdict")).to_have_attribute("data-verdict", "correct")
    finally:
        context.close()


def test_text_typed_in_the_box_is_shown_in_the_editor(live_server, page):
    base = live_server.url
    _register(page, base)
    _choose(page, base, "editor")
    page.goto(f"{base}/practice/sigmoid-affine/{_positive_seed()}")
    field = _editor(page)
    box = page.get_by_test_id("answer-input")
    box.fill("e^-x/(1+e^-x)^2")
    box.press("Tab")  # leaving the box: the editor shows the server's reading
    page.wait_for_function("() => document.querySelector('math-field').value.includes('frac')")
    box.fill("σ(x")
    box.press("Tab")
    expect(page.get_by_test_id("formula-editor-note")).to_be_visible()
    _focus(page, field)
    page.keyboard.type("x")
    expect(page.get_by_test_id("formula-editor-note")).to_be_hidden()
    expect(box).not_to_have_value("σ(x")


# Keystrokes a student types into the editor for the contract's examples (ArrowRight leaves
# an exponent, a fraction's numerator or denominator), and the text that must reach the server.
TYPED = [
    (["sigma(x)(1-sigma(x"], "σ(x)(1-σ(x))"),
    (["2sigma(2x-1)(1-sigma(2x-1"], "2σ(2x-1)(1-σ(2x-1))"),
    (["e^-x", "ArrowRight", "/", "(1+e^-x", "ArrowRight", "ArrowRight", "^2"],
     "e^(-x)/(1+e^(-x))^2"),
    (["(yhat-t)/(yhat(1-yhat"], "(ŷ-t)/(ŷ(1-ŷ))"),
    (["x^2", "ArrowRight", "-1"], "x^2-1"),
    (["sqrt(x^2"], "sqrt(x^2)"),
]


@pytest.mark.slow
def test_the_bank_round_trips_through_mathlive(live_server, page):
    """Every expected answer and typical mistake of the bank (and the contract's examples),
    loaded into MathLive, read back as its LaTeX, sent as text: the server parses it to the
    same expression."""
    base = live_server.url
    _register(page, base)
    _choose(page, base, "editor")
    page.goto(f"{base}/practice/sigmoid-affine/1")
    field = _editor(page)
    corpus = cases()
    texts = page.evaluate("""(items) => {
      const field = document.querySelector("math-field");
      return items.map(([latex, variables]) => {
        field.setValue(latex, {silenceNotifications: true});
        return GradWorkFormulaText.latexToAnswer(field.getValue("latex-expanded"), variables);
      });
    }""", [[case.latex, list(case.variables)] for case in corpus])
    problems = [p for case, text in zip(corpus, texts, strict=True)
                if (p := same_expression(case, text)) is not None]
    assert not problems, "\n".join(problems)

    # And through the page's own wiring: an edit in the editor fills the submitted box.
    box = page.get_by_test_id("answer-input")
    for keys, text in TYPED:
        field.evaluate("field => field.setValue('')")
        _focus(page, field)
        for chunk in keys:
            if re.fullmatch(r"Arrow\w+", chunk):
                page.keyboard.press(chunk)
            else:
                page.keyboard.type(chunk, delay=15)
        expect(box).to_have_value(text)
