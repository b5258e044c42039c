"""Real-browser fixtures: the app served on a free local port, driven by Debian's Chromium
through Playwright (never a downloaded browser).

Without Chromium the browser tests skip on a laptop; in CI (`CI` set) they fail instead, so
a missing browser can never turn the job green by skipping.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db
from app.models import Role
from app.services.accounts import users
from app.services.courses import membership
from tests.conftest import TEST_PASSWORD, base_config

CHROMIUM = os.environ.get("GRADWORK_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-gpu",
    "--no-first-run",
]


def _require_chromium() -> None:
    if Path(CHROMIUM).exists():
        return
    message = f"Chromium not found at {CHROMIUM} (apt-get install -y chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)


@pytest.fixture
def make_live_server(tmp_path) -> Iterator:
    """`make_live_server(**settings)`: the app with CSRF on, as users get it, on its own
    SQLite file. Browser tests grade real answers while the browser and the other test worker
    load the machine, so the check limit is generous here; the limit itself is tested in
    tests/api."""
    servers = []

    def _make(**settings) -> LiveServer:
        app = create_app(base_config(f"sqlite:///{tmp_path / 'live.sqlite3'}",
                                     WTF_CSRF_ENABLED=True, CHECK_TIMEOUT_SECONDS=15,
                                     **settings))
        with app.app_context():
            db.create_all()
        servers.append(LiveServer(app).start())
        return servers[-1]

    yield _make
    for server in servers:
        server.stop()
        with server.app.app_context():
            db.engine.dispose()


@pytest.fixture
def live_server(make_live_server) -> LiveServer:
    return make_live_server()


@pytest.fixture(scope="session")
def browser():
    _require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    """`screenshot("after-submit")` saves test-artifacts/screenshots/<test>-<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def _shot(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _shot


def log_in(page, base: str, email: str, password: str = TEST_PASSWORD) -> None:
    """Log in through the form and wait until the header names the user."""
    from playwright.sync_api import expect

    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def teacher_student_course():
    """A teacher (t@example.org, "teach-password"), a student (kim@example.org,
    "learn-password") and the teacher's course with the student enrolled; inside an app
    context, uncommitted."""
    teacher = users.create_user("t@example.org", "Teacher", "teach-password", Role.INSTRUCTOR)
    student = users.create_user("kim@example.org", "Kim", "learn-password")
    course = membership.create_course("Logistic regression", teacher, "Europe/Berlin")
    membership.enrol(course, student)
    return teacher, student, course
