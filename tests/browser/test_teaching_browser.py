"""Issue 11 in a real browser: a plot that separates a wrong answer from the right one, the
preview in the student's own form, and the phone layout at 390 px (screenshots in
test-artifacts/screenshots)."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
PLOT_BANK = ROOT / "tests" / "practice" / "plot_problems"
REAL_BANK = ROOT / "problems"
SVG = "{http://www.w3.org/2000/svg}"

# Every formula of the page (prompt, verdict, steps, preview) lies inside the box that holds
# it: nothing is cut at the edge and nothing needs scrolling. Returns those that do not.
OVERFLOWING = """() => {
  const out = [];
  for (const m of document.querySelectorAll('main math')) {
    let box = m.parentElement;
    while (box.tagName !== 'MAIN' && getComputedStyle(box).overflowX === 'visible') {
      box = box.parentElement;
    }
    const r = m.getBoundingClientRect(), b = box.getBoundingClientRect();
    if (r.right > b.right + 1 || r.left < b.left - 1) {
      out.push(`${box.className}: ${Math.round(r.width)} px in ${Math.round(b.width)} px: `
               + m.textContent.slice(0, 50));
    }
  }
  return out;
}"""

# Every text of an SVG document opened on its own lies inside its viewBox.
CLIPPED_TEXT = """() => {
  const svg = document.documentElement;
  const [x0, y0, w, h] = svg.getAttribute('viewBox').split(' ').map(Number);
  return [...svg.querySelectorAll('text')].filter(t => {
    const b = t.getBBox();
    return b.x < x0 - 0.5 || b.y < y0 - 0.5 || b.x + b.width > x0 + w + 0.5
        || b.y + b.height > y0 + h + 0.5;
  }).map(t => t.textContent);
}"""


def _register(page, base: str) -> None:
    page.goto(f"{base}/auth/register")
    page.get_by_label("Name").fill("Sam Student")
    page.get_by_label("Email").fill(f"sam{time.monotonic_ns()}@example.org")
    page.get_by_label("Password", exact=True).fill("sam-password-1")
    page.get_by_label("Repeat password").fill("sam-password-1")
    page.get_by_role("button", name="Create account").click()
    page.wait_for_load_state()


def _answer(page, base: str, path: str, answer: str) -> None:
    page.goto(f"{base}/practice/{path}")
    # A multi-part problem has a box per part: the same answer goes in each.
    for box in page.get_by_test_id("answer-input").all():
        box.fill(answer)
    page.get_by_test_id("submit-answer").click()
    page.wait_for_load_state("networkidle")


def _curves(document: str) -> tuple[dict[int, list[tuple[float, float]]], float]:
    root = ET.fromstring(document.encode())
    curves: dict[int, list[tuple[float, float]]] = {}
    for line in root.iter(SVG + "polyline"):
        points = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
        curves.setdefault(int(line.get("data-series")), []).extend(points)
    box = next(r for r in root.iter(SVG + "rect") if r.get("fill") == "none")
    return curves, float(box.get("height"))


def _farthest_apart(curves) -> float:
    """The largest vertical distance, in drawing units, between the two curves at the same x."""
    right = dict(curves[0])
    return max((abs(y - right[x]) for x, y in curves[1] if x in right), default=0.0)


def test_a_plot_separates_a_wrong_answer_from_the_right_one(make_live_server, page, screenshot):
    server = make_live_server(PROBLEMS_DIR=str(PLOT_BANK))
    _register(page, server.url)
    # ∂L/∂b for ∂L/∂w: with every other variable at 1 the two curves are the same.
    _answer(page, server.url, "logistic-regression-weight/1", "σ(wx+b)-t")
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "incorrect")
    figure = page.get_by_test_id("compare-plot")
    image = figure.locator("img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                           arg=image.element_handle())
    caption = figure.locator("figcaption").inner_text()
    assert "with t = 1, x = 2, b = 1 held" in caption
    assert "farthest apart at w = " in caption
    figure.screenshot(path=str(ARTIFACTS / f"{_name()}-compare-plot.png"))
    screenshot("wrong-answer")

    src = image.evaluate("img => img.currentSrc")
    curves, height = _curves(page.request.get(src).text())
    assert _farthest_apart(curves) > 0.2 * height
    function_caption = page.get_by_test_id("function-plot").locator("figcaption").inner_text()
    assert "sigmoid is steepest" not in function_caption

    for url in (src, src + "&layout=narrow"):
        page.goto(url)
        assert page.evaluate(CLIPPED_TEXT) == []  # titles, legend and ticks all fit


def test_the_preview_keeps_the_students_form(make_live_server, page, screenshot):
    server = make_live_server(PROBLEMS_DIR=str(PLOT_BANK))
    _register(page, server.url)
    page.goto(f"{server.url}/practice/logistic-regression-weight/1")
    box, preview = page.get_by_test_id("answer-input"), page.get_by_test_id("answer-preview")

    box.fill("e^-w/(1+e^-w)^2")
    _expect(preview, "We read your answer as")
    expect(preview.locator("math mfrac")).to_have_count(1)  # the fraction as typed, not sympy's
    _expect(preview, "(e^(-w)/(1 + e^(-w))^2)")
    box.fill("0.1966 x")
    _expect(preview, "(0.1966*x)")
    screenshot("preview-as-typed")

    box.fill("2e^-2x")
    _expect(preview, "Did you mean e^(-2x)?")
    expect(preview.locator(".preview-hint")).to_have_count(1)
    screenshot("preview-hint")

    box.fill("5σ'(5x-3)")
    _expect(preview, "prime notation (σ') is not accepted")
    assert preview.locator("mark").inner_text() == "'"

    long_answer = "x+" * 1050
    box.fill(long_answer)  # a paste: nothing is cut
    _expect(preview, "2,100 characters long")
    assert box.input_value() == long_answer
    screenshot("preview-too-long")
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "invalid")
    assert page.get_by_test_id("answer-input").input_value() == long_answer
    assert "nothing was cut" in page.get_by_test_id("verdict").inner_text()


@pytest.mark.slow
def test_the_phone_layout_shows_every_formula_whole(make_live_server, page, screenshot):
    from app.bank import load_bank

    server = make_live_server(PROBLEMS_DIR=str(REAL_BANK))
    page.set_viewport_size({"width": 390, "height": 844})
    _register(page, server.url)
    problems = {}
    for template in load_bank(REAL_BANK).templates:
        # A wrong answer shows everything: the verdict, every step, the plots.
        _answer(page, server.url, f"{template.id}/1", "0")
        solution = page.get_by_test_id("solution").or_(page.get_by_test_id("part-solution"))
        expect(solution.first, template.id).to_be_visible()
        problems[template.id] = page.evaluate(OVERFLOWING)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, template.id
        if template.id in ("logistic-regression-weight", "softmax-cross-entropy-true-class",
                           "sigmoid-quotient-rule"):
            screenshot(f"phone-{template.id}")
    assert {tid: found for tid, found in problems.items() if found} == {}

    # The preview of a long answer wraps too.
    page.goto(f"{server.url}/practice/bce-prediction/1")
    # The variant's own letters for the label and the prediction.
    label, prediction = load_bank(REAL_BANK).variant("bce-prediction", 1).variables
    page.get_by_test_id("answer-input").fill(
        f"-({label} log({prediction}) + (1-{label}) log(1-{prediction}))"
        f" + ({prediction}-{label})/({prediction}(1-{prediction}))")
    _expect(page.get_by_test_id("answer-preview"), "We read your answer as")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot("phone-preview")


def _name() -> str:
    import os

    return os.environ.get("PYTEST_CURRENT_TEST", "test").split("::")[-1].split(" ")[0]


def _expect(locator, text: str) -> None:
    expect(locator).to_contain_text(text)


def test_a_long_preview_wraps_on_a_phone(make_live_server, page, screenshot):
    server = make_live_server(PROBLEMS_DIR=str(PLOT_BANK))
    page.set_viewport_size({"width": 390, "height": 844})
    _register(page, server.url)
    page.goto(f"{server.url}/practice/logistic-regression-weight/1")
    answer = "-(t log(σ(wx+b)) + (1-t) log(1-σ(wx+b))) + x(σ(wx+b) - t) - b/2 + w^2/3"
    page.get_by_test_id("answer-input").fill(answer)
    preview = page.get_by_test_id("answer-preview")
    _expect(preview, "We read your answer as")
    expect(preview.locator("math")).to_have_count(5)  # cut before each + and − (one inside the long (…))
    assert page.evaluate(OVERFLOWING) == []
    screenshot("phone-long-preview")
