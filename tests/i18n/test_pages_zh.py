"""Each page of the student and instructor flows in Chinese: chosen by the browser
(Accept-Language: zh-CN) and by the account (users.language = zh_Hans). A page passes when it
is marked `lang="zh-Hans"`, reads in Chinese, and shows no English sentence of the catalogue
(a string wrapped but shown untranslated, or the English of the engine's wording)."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from app.bank import load_bank
from app.cas.plain import to_plain
from app.extensions import db
from app.models import User
from app.services.accounts import preferences
from app.services.practice import attempts  # noqa: F401 - the practice service the page uses
from tests.instructor.conftest import build_setup
from tests.instructor.helpers import variant_of

ROOT = Path(__file__).resolve().parents[2]
ZH = {"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}
HAN = re.compile(r"[\u4e00-\u9fff]")
PRACTICE = "sigmoid-affine"
SEED = 3


def _english_sentences() -> list[str]:
    """The fixed parts (between placeholders) of the catalogue's English sentences that are
    long enough to mean something on their own."""
    with (ROOT / "app/translations/zh_Hans/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    pieces = set()
    for message in catalogue:
        ids = [message.id] if isinstance(message.id, str) else list(message.id or ())
        for text in ids:
            for piece in re.split(r"%\(\w+\)s|%%|<[^>]+>", text):
                piece = piece.strip(" .,;:()")
                if len(re.findall(r"[A-Za-z]{2,}", piece)) >= 4:
                    pieces.add(html.unescape(piece))
    return sorted(pieces)


ENGLISH = _english_sentences()


def _text(page: str) -> str:
    page = re.sub(r"<(script|style|code|math)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def assert_chinese(response, *, status: int = 200) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    page = response.get_data(as_text=True)
    assert '<html lang="zh-Hans">' in page
    text = _text(page)
    assert len(HAN.findall(text)) >= 8, text[:300]
    left = [sentence for sentence in ENGLISH if sentence in text]
    assert not left, f"English left on {response.request.path}: {left}"
    return page


@pytest.fixture
def course(app, make_user):
    now = datetime.now(UTC)
    return build_setup(app, make_user, open_at=now - timedelta(days=1),
                       due_at=now + timedelta(days=7))


@pytest.fixture(params=["browser", "account"])
def chinese(request, app, client):
    """Log in and ask for Chinese pages, by the browser's header or the account's setting."""

    def _as(email: str):
        if request.param == "browser":
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = ZH["Accept-Language"]
        else:
            with app.app_context():
                user = db.session.scalar(db.select(User).where(User.email == email))
                preferences.set_language(user, "zh_Hans")
                db.session.commit()
            client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en-GB,en;q=0.9"
        response = client.post("/auth/login", data={"email": email,
                                                     "password": "correct-horse-42"})
        assert response.status_code == 302
        return client

    return _as


def test_public_pages_follow_the_browser(client):
    for path in ("/", "/auth/login", "/auth/register", "/auth/forgot"):
        assert_chinese(client.get(path, headers=ZH))
    assert_chinese(client.get("/no-such-page", headers=ZH), status=404)


def test_anonymous_choice_is_kept_in_the_session(client):
    page = client.get("/auth/login").get_data(as_text=True)
    assert '<html lang="en">' in page and 'data-testid="language-switch"' in page
    response = client.post("/language", data={"language": "zh_Hans", "next": "/auth/login"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/auth/login")
    assert_chinese(client.get("/auth/login"))
    client.post("/language", data={"language": "en", "next": "/"})
    assert '<html lang="en">' in client.get("/auth/login").get_data(as_text=True)


def test_the_switcher_refuses_other_languages_and_foreign_redirects(client):
    assert client.post("/language", data={"language": "fr"}).status_code == 400
    response = client.post("/language", data={"language": "zh_Hans",
                                              "next": "https://evil.example/"})
    assert response.headers["Location"] == "/"


def test_student_practice_in_chinese(app, course, chinese):
    client = chinese("ann@example.org")
    page = assert_chinese(client.get("/practice/"))
    assert "线性函数的 sigmoid" in page  # the template's title_zh
    page = assert_chinese(client.get(f"/practice/{PRACTICE}/{SEED}"))
    assert "对 <math" in page or "导数" in page  # prompt_zh
    variant = load_bank(app.config["PROBLEMS_DIR"]).variant(PRACTICE, SEED)
    dropped = next(m for m in variant.mistakes if m.kind == "chain_dropped")
    response = client.post(f"/practice/{PRACTICE}/{SEED}", data={"answer": to_plain(dropped.shown)})
    page = assert_chinese(response)
    assert 'data-verdict="incorrect"' in page and "还不对" in page
    feedback = re.search(r'data-testid="mistake-feedback">(.*?)</p>', page, re.S).group(1)
    assert "链式法则" in feedback and HAN.search(feedback)
    steps = re.search(r'data-testid="solution-steps">(.*?)</div>\s*</details>', page, re.S).group(1)
    assert "解题步骤" in page and "外层函数" in _text(steps)
    page = assert_chinese(client.post(f"/practice/{PRACTICE}/{SEED}", data={"answer": "σ(x"}),
                          status=422)
    assert "我们无法读取这个答案" in page and "没有闭合" in page


def test_student_course_and_assignment_in_chinese(app, course, chinese):
    client = chinese("ann@example.org")
    assert_chinese(client.get("/courses/"))
    assert_chinese(client.get(f"/courses/{course.course_id}"))
    base = f"/courses/{course.course_id}/work/{course.assignment_id}"
    assert_chinese(client.get(base))
    item = f"{base}/items/{course.item_ids[0]}"
    assert_chinese(client.get(item))
    variant = variant_of(app, course.assignment_id, course.item_ids[0], course.student_ids[0])
    dropped = next(m for m in variant.mistakes if m.kind == "chain_dropped")
    page = assert_chinese(client.post(item, data={"answer": to_plain(dropped.shown)}))
    assert "链式法则" in page and "你的尝试" in page
    page = assert_chinese(client.get("/auth/account"))
    assert 'data-testid="language-form"' in page


def test_instructor_pages_in_chinese(app, course, chinese):
    client = chinese("teach@example.org")
    c, a = course.course_id, course.assignment_id
    for path in (f"/courses/{c}", f"/courses/{c}/assignments/{a}", f"/courses/{c}/assignments/new",
                 f"/courses/{c}/grades/", f"/courses/{c}/grades/assignments/{a}",
                 f"/courses/{c}/grades/assignments/{a}/analysis",
                 f"/courses/{c}/grades/students/{course.student_ids[0]}",
                 f"/courses/{c}/assignments/preview?template={PRACTICE}&seed=1",
                 "/auth/account", "/auth/api-keys"):
        assert_chinese(client.get(path))
    csv = client.get(f"/courses/{c}/grades/export/gradebook.csv").get_data(as_text=True)
    # UTF-8 with a byte-order mark, so Excel reads the Chinese headings.
    assert csv.splitlines()[0].startswith("\ufeff姓名,邮箱")
    assert_chinese(client.get(f"/courses/{c + 99}"), status=404)


def test_admin_pages_in_chinese(app, make_user, chinese):
    from app.models import Role

    make_user("root@example.org", role=Role.ADMIN, name="Root")
    client = chinese("root@example.org")
    assert_chinese(client.get("/admin/users"))
    assert_chinese(client.get("/lti/admin/platforms"))


def test_account_language_setting(app, client, make_user, login):
    make_user("ada@example.org")
    login("ada@example.org")
    response = client.post("/auth/account/language", data={"language": "zh_Hans"})
    assert response.status_code == 302
    page = assert_chinese(client.get("/auth/account", follow_redirects=True))
    assert "页面现在以你选择的语言显示" in page
    with app.app_context():
        assert db.session.scalar(db.select(User.language)) == "zh_Hans"
    # Back to the browser's language: an English browser gets English again.
    client.post("/auth/account/language", data={"language": ""})
    with app.app_context():
        assert db.session.scalar(db.select(User.language)) is None
    assert '<html lang="en">' in client.get("/auth/account").get_data(as_text=True)


def test_the_api_stays_english(client):
    body = client.post("/api/v1/preview", json={"answer": "σ(x"}, headers=ZH).get_json()
    assert body["error"]["message"] == "this '(' is never closed: add a ')'"


def test_a_language_changed_during_a_request_is_the_one_its_page_is_said_in(app):
    from flask import session

    from app.web.language import SESSION_KEY, page_language, refresh

    with app.test_request_context("/", headers={"Accept-Language": "en"}):
        assert page_language() == "en"
        session[SESSION_KEY] = "zh_Hans"
        assert page_language() == "en"  # looked up once a request...
        refresh()
        assert page_language() == "zh_Hans"  # ...until the language changes
