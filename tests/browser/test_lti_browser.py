"""A learner's launch inside the LMS's iframe, in Chromium: the LMS page (on another site than
the tool) frames the tool, the launch logs the learner in there, the answer form works with
its CSRF token, and the score reaches the LMS through the app's own worker thread."""

from __future__ import annotations

import time

import pytest

from app import create_app
from app.extensions import db
from tests.browser.conftest import LiveServer
from tests.conftest import base_config
from tests.instructor.helpers import right_answer
from tests.lti.conftest import Flow, people, place_assignment, platform, register, user_by_name  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def tool(tmp_path):
    import socket

    with socket.socket() as sock:  # the tool's URLs must be known before it starts
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    app = create_app(base_config(f"sqlite:///{tmp_path / 'lti-live.sqlite3'}",
                                 WTF_CSRF_ENABLED=True, CHECK_TIMEOUT_SECONDS=15,
                                 BASE_URL=f"http://127.0.0.1:{port}"))
    with app.app_context():
        db.create_all()
    from werkzeug.serving import make_server

    server = LiveServer.__new__(LiveServer)
    server.app = app
    server._server = make_server("127.0.0.1", port, app, threaded=True)
    server.url = f"http://127.0.0.1:{port}"
    import threading

    server._thread = threading.Thread(target=server._server.serve_forever, daemon=True)
    server.start()
    yield server
    server.stop()
    with app.app_context():
        db.engine.dispose()


def test_learner_launch_in_an_iframe(tool, people, page, screenshot):  # noqa: F811
    lms = people
    app = tool.app
    register(app, lms)
    lms.page_url = lms.url.replace("127.0.0.1", "localhost")  # another site than the tool
    app.config["WTF_CSRF_ENABLED"] = False  # only for the instructor's test-client set-up
    client = app.test_client()
    _flow, course_id, assignment_id, item_ids, link = place_assignment(app, client, lms)
    app.config["WTF_CSRF_ENABLED"] = True

    page.goto(f"{lms.page_url}/course?user=learner-1&link={link.id}")
    frame = page.frame_locator("#tool")
    frame.get_by_test_id("current-user").wait_for()
    assert "Lena Learner" in frame.get_by_test_id("current-user").inner_text()
    screenshot("assignment-in-iframe")
    frame.get_by_role("link", name="Item 1").click()
    student = user_by_name(app, "Lena Learner")
    frame.locator("input[name=answer]").fill(
        right_answer(app, assignment_id, item_ids[0], student))
    frame.get_by_test_id("submit-answer").click()
    frame.get_by_text("Correct").first.wait_for()
    screenshot("answered-in-iframe")

    deadline = time.monotonic() + 30  # delivered by the app's own worker thread
    while "learner-1" not in link.line_item.results and time.monotonic() < deadline:
        time.sleep(0.2)
    score = link.line_item.results["learner-1"]
    assert (score["scoreGiven"], score["scoreMaximum"]) == (2, 4)
    assert Flow  # the same platform drove the instructor's set-up
