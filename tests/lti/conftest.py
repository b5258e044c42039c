"""The tool (test client, or a live server for the browser) against the test platform of
`tests/lti/platform.py`, registered the way an LMS administrator does it: `lti tool-config`
gives the URLs to paste, `lti add-platform` registers the platform's."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Course, User
from app.models.assignment import AssignmentStatus
from app.models.lti import LtiContext
from app.services.assignments import builder
from app.services.lti import platform_keys, service_client
from tests.conftest import _make_app
from tests.lti.platform import INSTRUCTOR, LEARNER, Platform

BASE_URL = "http://localhost"
TEMPLATES = ("sigmoid-affine", "bce-prediction")


@pytest.fixture
def platform():
    lms = Platform()
    yield lms
    lms.stop()
    platform_keys.forget()
    service_client.forget_tokens()


@pytest.fixture
def app(sqlite_url, tmp_path):
    yield from _make_app(sqlite_url, tmp_path, CHECK_TIMEOUT_SECONDS=15, BASE_URL=BASE_URL,
                         JOBS_EMBEDDED_THREAD=False)


@pytest.fixture
def any_app(any_db_url, tmp_path):
    yield from _make_app(any_db_url, tmp_path, CHECK_TIMEOUT_SECONDS=15, BASE_URL=BASE_URL,
                         JOBS_EMBEDDED_THREAD=False)


def register(app, lms: Platform) -> int:
    runner = app.test_cli_runner()
    config = runner.invoke(args=["lti", "tool-config"])
    assert config.exit_code == 0, config.output
    lms.tool = json.loads(config.output)
    added = runner.invoke(args=[
        "lti", "add-platform", "--issuer", lms.issuer, "--client-id", lms.client_id,
        "--deployment-id", lms.deployment_id, "--auth-url", lms.auth_url,
        "--token-url", lms.token_url, "--jwks-url", lms.jwks_url])
    assert added.exit_code == 0, added.output
    client = app.test_client()
    lms.tool_jwks = lambda: client.get("/lti/jwks").get_json()
    return int(added.output.strip().splitlines()[-1])


class Flow:
    """Drives launches through the tool's endpoints like a browser between LMS and tool."""

    def __init__(self, app, client, lms: Platform):
        self.app, self.client, self.lms = app, client, lms

    def login(self, sub: str, hint: str = "", target: str | None = None):
        params = self.lms.login_params(sub, target or self.lms.tool["launch_url"], hint)
        response = self.client.get("/lti/login?" + urlencode(params))
        assert response.status_code == 302, response.get_data(as_text=True)
        location = response.headers["Location"]
        assert location.startswith(self.lms.auth_url + "?")
        return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}

    def launch(self, sub: str, message: dict | None = None, hint: str = "", **token_options):
        query = self.login(sub, hint)
        fields = self.lms.authorize(query, message or self.lms.message_for_hint(hint),
                                    **token_options)
        return self.client.post("/lti/launch", data=fields), fields

    def follow(self, response):
        assert response.status_code in (302, 303), response.get_data(as_text=True)
        return self.client.get(response.headers["Location"])


def form_action_and_jwt(html: str) -> tuple[str, str]:
    action = re.search(r'<form method="post" action="([^"]+)" id="lti-autopost"', html).group(1)
    token = re.search(r'name="JWT" value="([^"]+)"', html).group(1)
    return action, token


def add_assignment(app, course_id: int, title="Week 1", points=2.0, due_in_days=7):
    now = datetime.now(UTC)
    with app.app_context():
        course = db.session.get(Course, course_id)
        assignment = builder.create_assignment(course, builder.Settings(
            title=title, instructions="", open_at=now - timedelta(days=1),
            due_at=now + timedelta(days=due_in_days), attempts_allowed=3))
        items = [builder.add_item(assignment, t, points, set(TEMPLATES)) for t in TEMPLATES]
        builder.set_status(assignment, AssignmentStatus.PUBLISHED)
        db.session.commit()
        return assignment.id, [i.id for i in items]


def user_by_name(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(User.id).where(User.display_name == name))


@pytest.fixture
def people(platform):
    platform.add_member("teacher-1", "Tess Teacher", INSTRUCTOR)
    platform.add_member("learner-1", "Lena Learner", LEARNER)
    platform.add_member("learner-2", "Leo Learner", LEARNER)
    return platform


def place_assignment(app, client, lms):
    """Instructor: deep linking launch, create the course, choose an assignment."""
    flow = Flow(app, client, lms)
    response, _ = flow.launch("teacher-1", hint="deep-link")
    assert response.status_code == 303
    assert "/lti/launches/" in response.headers["Location"]
    page = flow.follow(response)
    assert "Deep Learning 101" in page.get_data(as_text=True)
    created = client.post(response.headers["Location"], data={})
    assert created.status_code == 303 and created.headers["Location"].endswith("/deep-link")
    with app.app_context():
        course_id = db.session.scalar(select(LtiContext.course_id))
        assert db.session.get(Course, course_id).title == "Deep Learning 101"
    assignment_id, item_ids = add_assignment(app, course_id)
    picker = client.get(created.headers["Location"]).get_data(as_text=True)
    button = re.search(r'data-testid="deep-link-choose" data-assignment-id="(\d+)" '
                       r'data-points="([\d.]+)"', picker)
    assert button.groups() == (str(assignment_id), "4")
    chosen = client.post(created.headers["Location"], data={"assignment_id": assignment_id})
    assert chosen.status_code == 200
    action, token = form_action_and_jwt(chosen.get_data(as_text=True))
    assert action == lms.page_url + "/deep-link-return"
    assert "form-action 'self' " + lms.page_url in chosen.headers["Content-Security-Policy"]
    [link] = lms.accept_deep_link(token)
    return flow, course_id, assignment_id, item_ids, link


def learner_launched(app, client, lms, sub="learner-1"):
    """Register, place an assignment, and launch a learner onto it (logged in on `client`)."""
    register(app, lms)
    flow, course_id, assignment_id, item_ids, link = place_assignment(app, client, lms)
    client.post("/auth/logout")
    response, _ = flow.launch(sub, hint=link.id)
    assert response.status_code == 303, response.get_data(as_text=True)
    student = user_by_name(app, lms.members[sub].name)
    return flow, course_id, assignment_id, item_ids, link, student
