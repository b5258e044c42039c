import re

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import LoginAttempt, Role, User
from tests.conftest import TEST_PASSWORD, base_config


def test_register_login_logout_flow(client, app):
    page = client.get("/auth/register")
    assert page.status_code == 200
    response = client.post("/auth/register", data={
        "display_name": "Sam", "email": "Sam@Example.org",
        "password": "s3cret-pass", "confirm": "s3cret-pass"})
    assert response.status_code == 302
    home = client.get("/")
    assert "Sam" in home.get_data(as_text=True)
    with app.app_context():
        user = db.session.scalar(select(User))
        assert user.email == "sam@example.org"
        assert user.role is Role.STUDENT
        assert user.password_hash.startswith(("scrypt:", "pbkdf2:"))
        assert "s3cret-pass" not in user.password_hash
    client.post("/auth/logout")
    assert "Log in" in client.get("/").get_data(as_text=True)
    assert client.post("/auth/login", data={"email": "SAM@example.org",
                                            "password": "s3cret-pass"}).status_code == 302


@pytest.mark.parametrize("data", [
    {},
    {"display_name": "x", "email": "not-an-email", "password": "longenough", "confirm": "longenough"},
    {"display_name": "x", "email": "a@b.org", "password": "short", "confirm": "short"},
    {"display_name": "x", "email": "a@b.org", "password": "longenough", "confirm": "different1"},
    {"display_name": "x" * 101, "email": "a@b.org", "password": "longenough", "confirm": "longenough"},
])
def test_register_rejects_bad_input_with_400(client, data):
    response = client.post("/auth/register", data=data)
    assert response.status_code == 400
    assert 'class="errors"' in response.get_data(as_text=True)


def test_duplicate_email_is_refused_without_500(client, make_user):
    make_user("taken@example.org")
    response = client.post("/auth/register", data={
        "display_name": "Other", "email": "TAKEN@example.org",
        "password": "longenough", "confirm": "longenough"})
    assert response.status_code == 400
    assert "cannot be registered" in response.get_data(as_text=True)


def test_wrong_password_and_unknown_email_look_the_same(client, make_user):
    make_user("real@example.org")
    wrong = client.post("/auth/login", data={"email": "real@example.org", "password": "nope-nope"})
    unknown = client.post("/auth/login", data={"email": "ghost@example.org", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(wrong) == strip(unknown)
    assert "Wrong email or password." in strip(wrong)


def test_repeated_failures_are_throttled(client, app, make_user):
    make_user("victim@example.org")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        assert client.post("/auth/login", data={"email": "victim@example.org",
                                                "password": "guess-guess"}).status_code == 401
    blocked = client.post("/auth/login", data={"email": "victim@example.org",
                                               "password": TEST_PASSWORD})
    assert blocked.status_code == 429
    assert "Too many failed login attempts" in blocked.get_data(as_text=True)
    # The same pause applies to an address without an account: no hint that one exists.
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        client.post("/auth/login", data={"email": "nobody@example.org", "password": "guess-guess"})
    assert client.post("/auth/login", data={"email": "nobody@example.org",
                                            "password": "guess-guess"}).status_code == 429


def test_success_clears_failures(client, app, make_user):
    make_user("ok@example.org")
    client.post("/auth/login", data={"email": "ok@example.org", "password": "wrong-wrong"})
    client.post("/auth/login", data={"email": "ok@example.org", "password": TEST_PASSWORD})
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_change_password(client, make_user, login):
    make_user("p@example.org")
    login("p@example.org")
    bad = client.post("/auth/password", data={"current_password": "wrong-one",
                                              "new_password": "new-password", "confirm": "new-password"})
    assert bad.status_code == 400
    assert "current password is not right" in bad.get_data(as_text=True)
    ok = client.post("/auth/password", data={"current_password": TEST_PASSWORD,
                                             "new_password": "new-password", "confirm": "new-password"})
    assert ok.status_code == 302
    client.post("/auth/logout")
    login("p@example.org", "new-password")


def test_open_redirect_is_ignored(client, make_user):
    make_user("r@example.org")
    response = client.post("/auth/login?next=//evil.example/x",
                           data={"email": "r@example.org", "password": TEST_PASSWORD})
    assert response.headers["Location"] == "/"


def test_csrf_is_enforced(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'c.db'}", WTF_CSRF_ENABLED=True))
    with app.app_context():
        db.create_all()
    client = app.test_client()
    response = client.post("/auth/login", data={"email": "a@b.org", "password": "whatever1"})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"email": "a@b.org", "password": "whatever1",
                                                "csrf_token": token})
    assert response.status_code == 401


def test_session_cookie_flags(client, make_user):
    make_user("c@example.org")
    response = client.post("/auth/login", data={"email": "c@example.org", "password": TEST_PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookie_when_configured(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 's.db'}", SESSION_COOKIE_SECURE="true"))
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_admin_creates_instructor_and_others_are_forbidden(client, app, make_user, login):
    make_user("admin@example.org", role=Role.ADMIN)
    make_user("student@example.org")
    assert client.get("/admin/users").status_code == 302  # anonymous → login
    login("student@example.org")
    assert client.get("/admin/users").status_code == 403
    client.post("/auth/logout")
    login("admin@example.org")
    response = client.post("/admin/users", data={
        "display_name": "Prof", "email": "prof@example.org", "role": "instructor",
        "password": "prof-password"})
    assert response.status_code == 302
    with app.app_context():
        prof = db.session.scalar(select(User).where(User.email == "prof@example.org"))
        assert prof.role is Role.INSTRUCTOR
    dup = client.post("/admin/users", data={
        "display_name": "Prof", "email": "prof@example.org", "role": "instructor",
        "password": "prof-password"})
    assert dup.status_code == 400
    bad_role = client.post("/admin/users", data={
        "display_name": "X", "email": "x@example.org", "role": "emperor", "password": "longenough"})
    assert bad_role.status_code == 400
