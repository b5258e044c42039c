"""axe at WCAG 2.1 AA on the pages an LMS shows in its frame: the instructor's first launch
(link the course), the deep-linking picker (empty, then with assignments), placing an LMS
link on an assignment, a learner's assignment page; and the page of a refused launch."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.a11y import assert_accessible
from tests.browser.test_lti_browser import tool  # noqa: F401
from tests.lti.conftest import add_assignment, people, platform, register  # noqa: F401
from tests.lti.platform import ResourceLink

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _tool_frame(page):
    """The tool's document inside the LMS page, once it has loaded."""
    page.frame_locator("#tool").locator("main").wait_for()
    return page.locator("#tool").element_handle().content_frame()


def test_lms_framed_pages(tool, people, page, screenshot):  # noqa: F811
    lms = people
    app = tool.app
    register(app, lms)
    lms.page_url = lms.url.replace("127.0.0.1", "localhost")  # another site than the tool

    page.goto(f"{lms.page_url}/course?user=teacher-1&link=deep-link")
    frame = _tool_frame(page)
    frame.get_by_test_id("lti-create-course").wait_for()
    assert_accessible(frame, name="LTI: link the LMS course")
    frame.get_by_test_id("lti-create-course").click()
    frame = _tool_frame(page)
    frame.get_by_role("heading").first.wait_for()
    assert_accessible(frame, name="LTI: deep linking, no assignment yet")

    from sqlalchemy import select

    from app.extensions import db
    from app.models import LtiContext

    with app.app_context():
        course_id = db.session.scalar(select(LtiContext.course_id))
    add_assignment(app, course_id, title="Week 1")
    frame.goto(frame.url)
    frame.get_by_test_id("deep-link-choose").first.wait_for()
    assert_accessible(frame, name="LTI: deep linking picker")
    screenshot("deep-link-picker")

    # A link made in the LMS by hand: its first instructor launch asks which assignment.
    lms.links["rl-manual"] = ResourceLink("rl-manual", "Homework", lms.tool["launch_url"], {},
                                          None)
    page.goto(f"{lms.page_url}/course?user=teacher-1&link=rl-manual")
    frame = _tool_frame(page)
    frame.get_by_role("heading").first.wait_for()
    assert "/assignment" in frame.url
    assert_accessible(frame, name="LTI: place an LMS link")
    frame.get_by_role("button").filter(has_text="Week 1").first.click()
    frame = _tool_frame(page)
    frame.get_by_test_id("assignment-status").wait_for()

    page.goto(f"{lms.page_url}/course?user=learner-1&link=rl-manual")
    frame = _tool_frame(page)
    frame.get_by_test_id("current-user").wait_for()
    assert_accessible(frame, name="LTI: a learner's assignment in the LMS")


def test_refused_launch_page(tool, page):  # noqa: F811
    page.goto(tool.url + "/")
    page.evaluate("""() => {
      const form = document.createElement("form");
      form.method = "post";
      form.action = "/lti/launch";
      document.body.appendChild(form);
      form.submit();
    }""")
    page.wait_for_url("**/lti/launch")
    expect(page.get_by_role("heading").first).to_be_visible()
    assert_accessible(page, name="LTI: refused launch")
