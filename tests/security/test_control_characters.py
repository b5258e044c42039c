"""NUL and other control characters in every text field give a 400 naming the field, on
SQLite and on PostgreSQL, whose text columns cannot hold NUL (issue 16, finding 3).

Every case names the form it belongs to; `test_every_form_field_is_covered` fails when a
form gains a field that is not in the table below.
"""

from __future__ import annotations

import importlib
import io
import pkgutil
import uuid
from dataclasses import dataclass, field

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from wtforms import BooleanField, SubmitField
from wtforms.csrf.core import CSRFTokenField

import app.web as web_package
from tests.conftest import PG_ENV, TEST_PASSWORD, base_config
from tests.instructor.conftest import TEMPLATES, build_setup

NUL = "ab\x00cd"


@dataclass(frozen=True)
class Case:
    form: str           # FlaskForm class name, or "raw" for fields read from request.form
    role: str           # anonymous, student, instructor, admin
    url: str            # may use {course}, {assignment}, {item}, {user}, {key}
    field: str
    data: dict = field(default_factory=dict)
    method: str = "POST"


SETTINGS = {"title": "Week 2", "instructions": "", "open_at": "2026-02-01T09:00",
            "due_at": "2026-02-08T09:00", "late_penalty_per_day": "0", "late_penalty_cap": "0",
            "attempts_allowed": "", "wrong_attempt_penalty": "0", "solution_reveal": "after_due",
            "form_credit": "0"}
A = "/courses/{course}/assignments"
PLATFORM = {"issuer": "https://lms.example.edu", "client_id": "c1", "deployment_id": "d1",
            "auth_url": "https://lms.example.edu/auth", "token_url": "https://lms.example.edu/token",
            "jwks_url": "https://lms.example.edu/jwks"}

CASES = [
    *[Case("LoginForm", "anonymous", "/auth/login", f,
           {"email": "ann@example.org", "password": "x"}) for f in ("email", "password")],
    *[Case("RegisterForm", "anonymous", "/auth/register", f,
           {"display_name": "Zoe", "email": "zoe@example.org", "password": "a-long-passphrase",
            "confirm": "a-long-passphrase"}) for f in ("display_name", "email", "password",
                                                        "confirm")],
    Case("ForgotPasswordForm", "anonymous", "/auth/forgot", "email"),
    *[Case("ResetPasswordForm", "anonymous", "/auth/reset/some-token", f)
      for f in ("new_password", "confirm")],
    *[Case("ChangePasswordForm", "student", "/auth/password", f,
           {"current_password": TEST_PASSWORD, "new_password": "another-long-one",
            "confirm": "another-long-one"})
      for f in ("current_password", "new_password", "confirm")],
    Case("ApiKeyForm", "instructor", "/auth/api-keys", "name"),
    Case("AnswerInputForm", "student", "/auth/account/answer-input", "mode", {"mode": "editor"}),
    Case("LanguageForm", "student", "/auth/account/language", "language", {"language": "en"}),
    *[Case("CreateUserForm", "admin", "/admin/users", f,
           {"display_name": "Prof", "email": "prof@example.org", "role": "instructor",
            "password": "a-long-passphrase"})
      for f in ("display_name", "email", "role", "password")],
    Case("raw", "admin", "/admin/users/{user}/active", "active"),
    *[Case("CourseForm", "instructor", "/courses/new", f, {"title": "AI", "timezone": "UTC"})
      for f in ("title", "timezone")],
    Case("JoinForm", "student", "/courses/join", "code"),
    Case("StudentForm", "instructor", "/courses/{course}/students", "email"),
    Case("InstructorForm", "instructor", "/courses/{course}/instructors", "instructor-email"),
    Case("RosterForm", "instructor", "/courses/{course}/roster", "roster"),
    *[Case("SettingsForm", "instructor", f"{A}/new", f, SETTINGS)
      for f in SETTINGS],
    *[Case("SettingsForm", "instructor", f"{A}/{{assignment}}", f, SETTINGS)
      for f in ("title", "instructions")],
    *[Case("ItemForm", "instructor", f"{A}/{{assignment}}/items", f,
           {"template_id": TEMPLATES[0], "points": "1"}) for f in ("template_id", "points")],
    Case("PointsForm", "instructor", f"{A}/{{assignment}}/items/{{item}}/points", "points"),
    Case("raw", "instructor", f"{A}/{{assignment}}/items/{{item}}/move", "direction"),
    Case("raw", "instructor", f"{A}/{{assignment}}/status", "status"),
    Case("raw", "student", "/practice/sigmoid-affine/1", "answer"),
    Case("raw", "student", "/courses/{course}/work/{assignment}/items/{item}", "answer"),
    *[Case("PlatformForm", "admin", "/lti/admin/platforms", f, PLATFORM)
      for f in PLATFORM],
    # Query parameters are checked the same way.
    Case("query", "anonymous", "/auth/login", "next", method="GET"),
    Case("query", "instructor", f"{A}/preview", "template", method="GET"),
    Case("query", "student", "/practice/sigmoid-affine/1/plot.svg", "answer", method="GET"),
]

JSON_CASES = [
    ("/api/v1/check", {"answer": "x", "expected": NUL}, "expected"),
    ("/api/v1/check", {"answer": "x", "derivative_of": {"function": NUL, "wrt": "x"}},
     "derivative_of.function"),
    ("/api/v1/check", {"answer": "x", "derivative_of": {"function": "x", "wrt": NUL}},
     "derivative_of.wrt"),
    ("/api/v1/check", {"answer": "x", "expected": "x", "variables": ["x", NUL]}, "variables[1]"),
    ("/api/v1/check", {"answer": "x", "expected": "x", "domain": {NUL: [0, 1]}}, "domain."),
    ("/api/v1/check", {"answer": "x", "expected": "x", NUL: 1}, "ab\\x00cd"),
    ("/api/v1/preview", {"answer": "x", "variables": [NUL]}, "variables[0]"),
]


def _create_pg_database() -> tuple[str, object]:
    admin = make_url(__import__("os").environ[PG_ENV]).set(drivername="postgresql+psycopg")
    name = f"gw_nul_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return admin.set(database=name).render_as_string(hide_password=False), (engine, name)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def world(request, tmp_path_factory):
    """One app per backend with a course, an assignment and accounts of every role."""
    import os

    from app import create_app
    from app.extensions import db
    from app.models import Role
    from app.services.accounts import api_keys, users

    cleanup = None
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('nul') / 'nul.sqlite3'}"
    else:
        if not os.environ.get(PG_ENV):
            pytest.skip(f"{PG_ENV} is not set")
        url, cleanup = _create_pg_database()
    app = create_app(base_config(url, CHECK_TIMEOUT_SECONDS=15))
    with app.app_context():
        db.create_all()

    def make_user(email, password=TEST_PASSWORD, name=None, role=Role.STUDENT):
        with app.app_context():
            user = users.create_user(email, name or email.split("@")[0], password, role)
            db.session.commit()
            return user.id

    setup = build_setup(app, make_user)
    admin_id = make_user("root@example.org", role=Role.ADMIN)
    with app.app_context():
        from app.models import User

        api_keys.create(db.session.get(User, setup.instructor_id), "tool")
        db.session.commit()
    ids = {"course": setup.course_id, "assignment": setup.assignment_id,
           "item": setup.item_ids[0], "user": setup.student_ids[1], "key": 1}
    logins = {"student": "ann@example.org", "instructor": "teach@example.org",
              "admin": "root@example.org"}
    yield app, ids, logins, admin_id
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    if cleanup is not None:
        engine, name = cleanup
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


def _client(world, role):
    app, _ids, logins, _admin = world
    client = app.test_client()
    if role != "anonymous":
        response = client.post("/auth/login", data={"email": logins[role],
                                                    "password": TEST_PASSWORD})
        assert response.status_code == 302
    return client


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.form}.{c.field}@{c.url}")
def test_control_character_in_a_form_field_is_a_400_naming_it(world, case):
    app, ids, _logins, _admin = world
    client = _client(world, case.role)
    url = case.url.format(**ids)
    if case.method == "GET":
        response = client.get(url, query_string={case.field: NUL})
    elif case.field == "roster":
        response = client.post(url, data={"roster": (io.BytesIO(b"ann@example.org\n"), NUL)},
                               content_type="multipart/form-data")
    else:
        response = client.post(url, data={**case.data, case.field: NUL})
    page = response.get_data(as_text=True)
    assert response.status_code == 400, page[:500]
    assert f"The field &#34;{case.field}&#34;" in page or f'The field "{case.field}"' in page
    assert "U+0000" in page


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\x85"])
def test_other_control_characters_too(world, char):
    client = _client(world, "anonymous")
    response = client.post("/auth/register", data={
        "display_name": f"Zo{char}e", "email": "zoe@example.org",
        "password": "a-long-passphrase", "confirm": "a-long-passphrase"})
    assert response.status_code == 400
    assert f"U+{ord(char):04X}" in response.get_data(as_text=True)


def test_tabs_and_newlines_stay_allowed(world):
    client = _client(world, "instructor")
    app, ids, _logins, _admin = world
    response = client.post(f"/courses/{ids['course']}/assignments/new",
                           data={**SETTINGS, "instructions": "Line one\r\n\tLine two"})
    assert response.status_code == 302


@pytest.mark.parametrize(("path", "body", "field_name"), JSON_CASES,
                         ids=[c[2] for c in JSON_CASES])
def test_control_character_in_a_json_string_is_a_400_naming_it(world, path, body, field_name):
    app, *_ = world
    response = app.test_client().post(path, json=body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "bad_request"
    assert f'"{field_name}' in error["message"] and "U+0000" in error["message"]


def test_the_answer_itself_gets_the_contracts_200(world):
    """The contract answers whatever the student typed with 200; the engine names the
    character and its position."""
    app, *_ = world
    response = app.test_client().post("/api/v1/check", json={"answer": "x\x00+1",
                                                            "expected": "x + 1"})
    assert response.status_code == 200
    assert response.get_json()["error"]["code"] == "syntax"


def _form_classes():
    for info in pkgutil.walk_packages(web_package.__path__, "app.web."):
        module = importlib.import_module(info.name)
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, FlaskForm) and value is not FlaskForm \
                    and value.__module__ == module.__name__:
                yield value


def test_every_form_field_is_covered():
    covered = {(c.form, c.field.removeprefix("instructor-")) for c in CASES}
    missing = []
    for form_class in _form_classes():
        for name, unbound in vars(form_class).items():
            kind = getattr(unbound, "field_class", None)
            if kind is None or issubclass(kind, SubmitField | BooleanField | CSRFTokenField):
                continue
            if (form_class.__name__, name) not in covered:
                missing.append(f"{form_class.__name__}.{name}")
    assert missing == []


def test_the_refused_characters_are_exactly_unicodes_controls_and_surrogates():
    import unicodedata

    from app.web.hygiene import ALLOWED_CONTROLS, refused_char

    for code in range(0x110000):
        char = chr(code)
        refused = char not in ALLOWED_CONTROLS and unicodedata.category(char) in ("Cc", "Cs")
        assert (refused_char(char) is not None) is refused, hex(code)
    assert refused_char("σ(x)\t\n" + "\x85" + "\x00") == (6, "\x85")
    assert refused_char("σ(x)·(1-σ(x))\r\n") is None
