"""Sessions the server can end (issue 16, finding 1)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models import Role, User
from app.services.accounts import sessions
from app.web.auth import session_guard
from tests.conftest import TEST_PASSWORD

NEW_PASSWORD = "a-fresh-long-passphrase"


def _log_in(app, email, password=TEST_PASSWORD, **environ):
    client = app.test_client()
    if environ:
        client.environ_base.update(environ)
    response = client.post("/auth/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str, user_agent="curl/8.0"):
    thief = app.test_client()
    thief.environ_base["HTTP_USER_AGENT"] = user_agent
    thief.set_cookie("session", cookie)
    return thief.get("/courses/")


def _works(response) -> bool:
    return response.status_code == 200


@pytest.fixture
def alice(make_user):
    make_user("alice@example.org")
    return "alice@example.org"


def test_cookie_replayed_after_logout_is_refused(app, alice):
    client = _log_in(app, alice)
    captured = _cookie(client)
    assert _works(_replay(app, captured))
    client.post("/auth/logout")
    for agent in ("curl/8.0", "Mozilla/5.0 (X11; Linux x86_64)"):
        replay = _replay(app, captured, agent)
        assert replay.status_code == 302
        assert "/auth/login" in replay.headers["Location"]


def test_logout_ends_only_that_session(app, alice):
    laptop, phone = _log_in(app, alice), _log_in(app, alice)
    laptop.post("/auth/logout")
    assert _works(phone.get("/courses/"))


def test_password_change_elsewhere_ends_the_old_cookie(app, alice):
    phone = _log_in(app, alice)
    captured = _cookie(phone)
    laptop = _log_in(app, alice)
    changed = laptop.post("/auth/password", data={
        "current_password": TEST_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert changed.status_code == 302
    assert not _works(_replay(app, captured))
    assert phone.get("/courses/").status_code == 302
    assert _works(laptop.get("/courses/"))  # the session that changed it goes on


def test_log_out_other_sessions(app, alice):
    phone, laptop = _log_in(app, alice), _log_in(app, alice)
    page = laptop.get("/auth/account").get_data(as_text=True)
    assert 'data-testid="logout-others"' in page
    assert laptop.post("/auth/sessions/logout-others").status_code == 302
    assert phone.get("/courses/").status_code == 302
    assert _works(laptop.get("/courses/"))
    # A fresh login afterwards works as usual.
    assert _works(_log_in(app, alice).get("/courses/"))


def test_admin_deactivation_ends_sessions_and_blocks_login(app, make_user, alice):
    make_user("root@example.org", role=Role.ADMIN)
    student = _log_in(app, alice)
    admin = _log_in(app, "root@example.org")
    with app.app_context():
        alice_id = db.session.scalar(select(User.id).where(User.email == alice))
    response = admin.post(f"/admin/users/{alice_id}/active", data={"active": "0"})
    assert response.status_code == 302
    after = student.get("/courses/", follow_redirects=True)
    assert "deactivated" in after.get_data(as_text=True)
    refused = app.test_client().post("/auth/login", data={"email": alice,
                                                          "password": TEST_PASSWORD})
    assert refused.status_code == 403
    assert "deactivated" in refused.get_data(as_text=True)
    admin.post(f"/admin/users/{alice_id}/active", data={"active": "1"})
    assert _works(_log_in(app, alice).get("/courses/"))


def test_admin_cannot_deactivate_themselves(app, make_user):
    admin_id = make_user("root@example.org", role=Role.ADMIN)
    admin = _log_in(app, "root@example.org")
    admin.post(f"/admin/users/{admin_id}/active", data={"active": "0"})
    assert _works(admin.get("/courses/"))


class _Clock:
    def __init__(self, start: float):
        self.now = start

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    import time

    fake = _Clock(time.time())
    monkeypatch.setattr(session_guard, "time", fake)
    return fake


def test_idle_timeout(app, alice, clock):
    app.config.update(SESSION_IDLE_MINUTES=30)
    client = _log_in(app, alice)
    clock.now += 29 * 60
    assert _works(client.get("/courses/"))
    clock.now += 31 * 60
    ended = client.get("/courses/", follow_redirects=True)
    assert "inactivity" in ended.get_data(as_text=True)


def test_lifetime_ends_even_a_busy_session(app, alice, clock):
    app.config.update(SESSION_IDLE_MINUTES=30, SESSION_LIFETIME_HOURS=2)
    client = _log_in(app, alice)
    for _ in range(5):  # used every 20 minutes for 100 minutes: never idle
        clock.now += 20 * 60
        assert _works(client.get("/courses/"))
    clock.now += 20 * 60 + 1
    ended = client.get("/courses/", follow_redirects=True)
    assert "expired" in ended.get_data(as_text=True)


def test_session_check_costs_no_query_beyond_loading_the_user(app, alice):
    client = _log_in(app, alice)
    client.get("/courses/")
    statements: list[str] = []
    with app.app_context():
        engine = db.engine

    def _record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", _record)
    try:
        assert _works(client.get("/courses/"))
    finally:
        event.remove(engine, "before_cursor_execute", _record)
    user_reads = [s for s in statements if re.search(r"\bFROM users\b", s)]
    assert len(user_reads) == 1, statements
    assert not any(s.lstrip().upper().startswith(("UPDATE", "INSERT")) for s in statements)


def test_revoked_ids_stay_bounded(app, alice):
    for _ in range(sessions.MAX_REVOKED + 5):
        _log_in(app, alice).post("/auth/logout")
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == alice))
        assert len(user.revoked_sessions.split()) <= sessions.MAX_REVOKED


def test_the_cookie_is_sent_again_only_when_the_session_changes(app, alice, clock):
    client = _log_in(app, alice)
    client.get("/courses/")
    quiet = client.get("/courses/")
    assert _works(quiet) and "Set-Cookie" not in quiet.headers
    # Seen again after a while: the session notes it, and the browser gets the new cookie.
    clock.now += sessions.TOUCH_SECONDS + 1
    touched = client.get("/courses/")
    assert "session=" in touched.headers.get("Set-Cookie", "")
    assert "Set-Cookie" not in client.get("/courses/").headers
