"""The practice flow in Simplified Chinese in a real browser (its locale zh-CN): register,
a problem with its Chinese prompt, the live preview, a wrong answer with the worked solution
and the mistake message in Chinese, axe at WCAG 2.1 AA on each page, then the header's
switcher back to English. Screenshots go to test-artifacts/screenshots/ and, when
GRADWORK_TEST_SHOTS is set, to that folder too."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.bank import load_bank
from app.cas.plain import to_plain
from tests.browser.a11y import assert_accessible

pytestmark = pytest.mark.browser

TEMPLATE, SEED = "sigmoid-affine", 3
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def zh_page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _shot(page, screenshot_dir: Path, name: str) -> None:
    screenshot_dir.mkdir(parents=True, exist_ok=True)
    path = screenshot_dir / f"chinese-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    extra = os.environ.get("GRADWORK_TEST_SHOTS")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / path.name)


def test_practice_in_chinese(live_server, zh_page):
    page, base = zh_page, live_server.url
    shots = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(f"{base}/auth/register")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert_accessible(page, name="zh-register")
    page.get_by_label("名称").fill("王小明")
    page.get_by_label("邮箱").fill("xiaoming@example.org")
    page.get_by_label("密码", exact=True).fill("xiaoming-pass-1")
    page.get_by_label("再次输入密码").fill("xiaoming-pass-1")
    page.get_by_role("button", name="创建账户").click()
    page.get_by_text("欢迎使用 GradWork！").wait_for()

    page.goto(f"{base}/practice/")
    page.get_by_role("heading", name="练习", level=1).wait_for()
    assert_accessible(page, name="zh-topics")

    page.goto(f"{base}/practice/{TEMPLATE}/{SEED}")
    assert "求" in page.get_by_test_id("prompt").inner_text()
    variant = load_bank(live_server.app.config["PROBLEMS_DIR"]).variant(TEMPLATE, SEED)
    wrong = to_plain(next(m for m in variant.mistakes if m.kind == "chain_dropped").shown)
    box = page.get_by_label("你的答案")
    box.fill(wrong)
    page.get_by_test_id("answer-preview").get_by_text("我们把你的答案读作").wait_for()
    assert_accessible(page, name="zh-problem-preview")
    _shot(page, shots, "problem-preview")

    page.get_by_role("button", name="检查我的答案").click()
    verdict = page.get_by_test_id("verdict")
    verdict.wait_for()
    expect(verdict).to_have_attribute("data-verdict", "incorrect")
    assert "还不对" in verdict.inner_text()
    feedback = page.get_by_test_id("mistake-feedback").inner_text()
    assert "链式法则" in feedback and HAN.search(feedback)
    steps = page.get_by_test_id("solution-steps").inner_text()
    assert "外层函数" in steps and "内层函数" in steps
    expect(page.get_by_text("解题步骤").first).to_be_visible()
    assert_accessible(page, name="zh-wrong-answer")
    _shot(page, shots, "wrong-answer")

    # On a phone the page, its header and switcher included, fits the screen's width.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{base}/practice/{TEMPLATE}/{SEED}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.get_by_test_id("language-switch")).to_be_visible()
    _shot(page, shots, "phone")
    page.set_viewport_size({"width": 1100, "height": 900})

    # The header's switcher: English for this account from now on, on the same page.
    page.get_by_role("button", name="English").click()
    page.get_by_role("link", name="Practice").first.wait_for()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="English").get_attribute("aria-current") == "true"
    assert_accessible(page, name="switched-to-english")
    page.goto(f"{base}/practice/{TEMPLATE}/{SEED}")
    assert "Differentiate" in page.get_by_test_id("prompt").inner_text()
    assert not errors, errors


def test_instructor_pages_in_chinese(live_server, zh_page):
    """The instructor's pages in Chinese (the browser asks for it), each under axe."""
    from datetime import UTC, datetime, timedelta

    from app.extensions import db
    from app.services.accounts import users
    from tests.instructor.conftest import build_setup

    app, page, base = live_server.app, zh_page, live_server.url

    def make_user(email, password="teach-password-1", name=None, role=None):
        with app.app_context():
            kwargs = {} if role is None else {"role": role}
            user = users.create_user(email, name or email.split("@")[0], password, **kwargs)
            db.session.commit()
            return user.id

    now = datetime.now(UTC)
    setup = build_setup(app, make_user, open_at=now - timedelta(days=1),
                        due_at=now + timedelta(days=7))
    shots = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
    page.goto(f"{base}/auth/login")
    page.get_by_label("邮箱").fill("teach@example.org")
    page.get_by_label("密码").fill("teach-password-1")
    page.get_by_role("button", name="登录").click()
    c, a = setup.course_id, setup.assignment_id
    for name, path in (("course", f"/courses/{c}"), ("assignment", f"/courses/{c}/assignments/{a}"),
                       ("gradebook", f"/courses/{c}/grades/"),
                       ("analysis", f"/courses/{c}/grades/assignments/{a}/analysis")):
        page.goto(base + path)
        assert page.locator("html").get_attribute("lang") == "zh-Hans"
        assert HAN.search(page.locator("main").inner_text())
        assert_accessible(page, name=f"zh-{name}")
        _shot(page, shots, name)
