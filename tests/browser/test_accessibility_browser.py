"""axe-core at WCAG 2.1 AA on every page of the student, instructor and admin flows, in
Chromium under the pages' real Content-Security-Policy: 0 violations each.

Each flow walks the pages as their users reach them (links, forms, answers) and checks every
state that shows something new: forms with their errors, the live preview, a problem page
before and after each kind of verdict (worked solution, plots), the formula editor with its
keyboard, the coursework, the instructor's course, builder, gradebook and item analysis, the
admin pages. The pages checked and axe's figures are written to test-artifacts/axe/.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import checker_of, db
from app.models import Assignment, Course, Role
from app.services import demo
from app.services.accounts import users
from app.services.assignments import submissions
from tests.browser.a11y import assert_accessible
from tests.instructor.helpers import right_answer

pytestmark = pytest.mark.browser


@pytest.fixture
def school(live_server):
    """The demo course (an instructor, Alice and Bob, a published assignment) and an admin."""
    app = live_server.app
    with app.app_context():
        course, _accounts = demo.seed_demo()
        demo.seed_demo_assignment(course, {"sigmoid-affine", "bce-prediction"})
        users.create_user("root@example.com", "Ro Admin", "admin-password-1", Role.ADMIN)
        db.session.commit()
        assignment = db.session.scalar(select(Assignment))
        ids = {"course": course.id, "assignment": assignment.id,
               "items": [item.id for item in assignment.items],
               "alice": users.find_user_by_email("alice@example.com").id,
               "bob": users.find_user_by_email("bob@example.com").id}
        # Bob has answered (a miss, then a hit) so the gradebook and the item analysis have
        # rows, common wrong answers and a regrade to offer.
        item = assignment.items[0]
        now = lambda: datetime.now(UTC)  # noqa: E731
        for text in ("σ(x)", right_answer(app, assignment.id, item.id, ids["bob"])):
            submissions.submit_answer(assignment, item, ids["bob"], text, checker_of(app), now)
        db.session.commit()
    return live_server, ids


def _log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("current-user")).to_be_visible()


def _follow(page, control) -> None:
    """Click a link or a form's button and wait for the page it leads to, so that axe checks
    that page and not the one being left."""
    with page.expect_navigation(wait_until="load"):
        control.click()


def _log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()


def test_public_pages(school, page, screenshot):
    server, _ids = school
    base = server.url
    for path in ("/", "/auth/login", "/auth/register", "/auth/forgot", "/practice/",
                 "/no-such-page"):
        page.goto(base + path)
        assert_accessible(page, name=path)
    page.goto(f"{base}/auth/register")
    _follow(page, page.get_by_role("button", name="Create account"))  # every field missing
    assert_accessible(page, name="register with errors")
    page.goto(f"{base}/auth/login")
    page.get_by_label("Email").fill("alice@example.com")
    page.get_by_label("Password").fill("not-her-password")
    _follow(page, page.get_by_role("button", name="Log in"))
    assert_accessible(page, name="login refused")
    screenshot("login-refused")


def test_student_practice_pages(school, page, screenshot):
    server, _ids = school
    base = server.url
    _log_in(page, base, "alice@example.com", "student-demo")
    _follow(page, page.get_by_role("link", name="Practice").first)
    assert_accessible(page, name="practice topics")
    page.goto(f"{base}/practice/sigmoid-affine/3")
    assert_accessible(page, name="problem before an answer")
    box = page.get_by_test_id("answer-input")
    preview = page.get_by_test_id("answer-preview")
    box.press_sequentially("2x(1-x", delay=10)
    expect(preview).to_contain_text("never closed")
    assert_accessible(page, name="preview of an unreadable answer")
    box.fill("")
    box.press_sequentially("σ(x)(1-σ(x))", delay=10)
    expect(preview).to_contain_text("We read your answer as")
    # Announced politely, as one sentence, and with the formula in words.
    assert preview.get_attribute("aria-live") == "polite"
    assert preview.get_attribute("aria-atomic") == "true"
    expect(preview.locator("math")).to_have_accessible_name(
        "sigma of x times open paren one minus sigma of x close paren")
    assert_accessible(page, name="preview of an answer")
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "incorrect")
    for testid in ("compare-plot", "function-plot"):
        image = page.get_by_test_id(testid).locator("img")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=image.element_handle())
    assert_accessible(page, name="problem after a miss: verdict, worked solution, plots")
    screenshot("after-miss")
    # Every formula (prompt, the answer as read, each worked step) says itself in words; a
    # formula cut into pieces that wrap on a phone says itself once, on the pieces' wrapper.
    labels = page.locator("main math:not([aria-hidden=true])").evaluate_all(
        "nodes => nodes.map(n => [n.getAttribute('aria-label'), n.getAttribute('alttext')])")
    assert all(label and label == alt and "\\" not in label for label, alt in labels), labels
    wrapped = page.locator("main [role=math]").evaluate_all(
        "nodes => nodes.map(n => n.getAttribute('aria-label'))")
    assert all(wrapped), wrapped
    assert len(labels) + len(wrapped) > 5
    # The answer as read wraps on a phone, so it is pieces under one labelled formula.
    expect(page.get_by_test_id("verdict").locator("[role=math]")).to_have_accessible_name(
        "sigma of x times open paren one minus sigma of x close paren")

    page.goto(f"{base}/practice/sigmoid-affine/4")
    page.get_by_test_id("answer-input").fill("σ(x")
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "invalid")
    assert_accessible(page, name="problem after an unreadable answer")
    page.goto(f"{base}/practice/sigmoid-derivative-at-point/1")
    assert_accessible(page, name="a numeric problem")
    page.goto(f"{base}/practice/")
    assert_accessible(page, name="practice topics with progress")


def test_student_account_and_coursework_pages(school, page, screenshot):
    server, ids = school
    base = server.url
    app = server.app
    _log_in(page, base, "alice@example.com", "student-demo")
    _follow(page, page.get_by_role("link", name="Courses", exact=True))
    assert_accessible(page, name="courses (student)")
    _follow(page, page.get_by_role("link", name=demo.DEMO_COURSE_TITLE))
    assert_accessible(page, name="course (student)")
    _follow(page, page.get_by_role("link", name=demo.DEMO_ASSIGNMENT_TITLE))
    assert_accessible(page, name="assignment (student)")
    item = ids["items"][0]
    page.goto(f"{base}/courses/{ids['course']}/work/{ids['assignment']}/items/{item}")
    assert_accessible(page, name="assignment item before an answer")
    page.get_by_test_id("answer-input").fill("σ(x)")
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "incorrect")
    assert_accessible(page, name="assignment item after a miss")
    page.get_by_test_id("answer-input").fill(
        right_answer(app, ids["assignment"], item, ids["alice"]))
    page.get_by_test_id("submit-answer").click()
    expect(page.get_by_test_id("verdict")).to_have_attribute("data-verdict", "correct")
    assert_accessible(page, name="assignment item answered")
    screenshot("item-answered")

    _follow(page, page.get_by_test_id("account-link"))
    assert_accessible(page, name="account")
    _follow(page, page.get_by_test_id("change-password"))
    assert_accessible(page, name="change password")
    _follow(page, page.get_by_role("button", name="Change password"))
    assert_accessible(page, name="change password with errors")


def test_instructor_pages(school, page, screenshot):
    server, ids = school
    base = server.url
    course, assignment = ids["course"], ids["assignment"]
    _log_in(page, base, "instructor@example.com", "instructor-demo")
    _follow(page, page.get_by_role("link", name="Courses", exact=True))
    assert_accessible(page, name="courses (instructor)")
    _follow(page, page.get_by_role("link", name=demo.DEMO_COURSE_TITLE))
    assert_accessible(page, name="instructor course page")
    page.get_by_label("Roster").set_input_files(files=[{
        "name": "roster.csv", "mimeType": "text/csv",
        "buffer": b"email\nalice@example.com\nnobody@example.com\nnot an address\n"}])
    _follow(page, page.get_by_role("button", name="Upload roster"))
    assert_accessible(page, name="roster report")

    page.goto(f"{base}/courses/{course}/assignments/new")
    assert_accessible(page, name="new assignment")
    _follow(page, page.get_by_role("button", name="Create draft"))
    assert_accessible(page, name="new assignment with errors")
    page.goto(f"{base}/courses/{course}/assignments/{assignment}")
    assert_accessible(page, name="assignment builder")
    page.goto(f"{base}/courses/{course}/assignments/preview?template=bce-prediction&seed=1")
    assert_accessible(page, name="variant preview")
    screenshot("variant-preview")

    page.goto(f"{base}/courses/{course}/grades/")
    assert_accessible(page, name="gradebook")
    page.goto(f"{base}/courses/{course}/grades/assignments/{assignment}")
    assert_accessible(page, name="assignment grades")
    page.goto(f"{base}/courses/{course}/grades/assignments/{assignment}/analysis")
    assert_accessible(page, name="item analysis")
    page.goto(f"{base}/courses/{course}/grades/students/{ids['alice']}")
    assert_accessible(page, name="a student's grades")
    page.goto(f"{base}/courses/{course}/assignments/{assignment}")
    _follow(page, page.get_by_role("button", name="Regrade assignment"))
    assert_accessible(page, name="regrade progress")

    page.goto(f"{base}/auth/api-keys")
    assert_accessible(page, name="API keys")
    page.get_by_label("Name of the tool").fill("My grader")
    _follow(page, page.get_by_role("button", name="Create key"))
    assert_accessible(page, name="API key created")


def test_admin_pages(school, page, screenshot):
    server, _ids = school
    base = server.url
    _log_in(page, base, "root@example.com", "admin-password-1")
    _follow(page, page.get_by_role("link", name="Users"))
    assert_accessible(page, name="admin users")
    _follow(page, page.get_by_role("button", name="Create user"))
    assert_accessible(page, name="admin users with errors")
    _follow(page, page.get_by_role("button", name="Reset link").first)
    assert_accessible(page, name="admin users with a reset link")
    _follow(page, page.get_by_role("link", name="LMS"))
    assert_accessible(page, name="LTI platforms")
    screenshot("lti-admin")
    with server.app.app_context():
        assert db.session.scalar(select(Course)) is not None


def test_the_check_fails_on_a_page_with_violations(live_server, page):
    """The harness itself: a page with an unlabelled input, an image without alt text and
    light grey text must fail, naming each rule."""
    page.goto(live_server.url + "/")
    page.evaluate("""() => {
      const main = document.querySelector("main");
      main.insertAdjacentHTML("beforeend",
        '<input type="text"><img src="/static/none.png"><p class="ghost">faint</p>');
      document.querySelector(".ghost").style.color = "#dddddd";
    }""")
    with pytest.raises(AssertionError) as failure:
        assert_accessible(page, name="deliberately broken")
    message = str(failure.value)
    for rule in ("label", "image-alt", "color-contrast"):
        assert rule in message, message
