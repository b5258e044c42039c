"""CSRF tokens (app/web/csrf_tokens.py): good for as long as the session is, signed once per
session, refused in any other session; a time limit an operator sets still applies."""

from __future__ import annotations

import re

import pytest
from itsdangerous import TimestampSigner

from app import create_app
from app.extensions import db
from tests.conftest import base_config

_TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
HOURS = 3600


@pytest.fixture
def clock(monkeypatch):
    """itsdangerous's signing clock, moved by hand. The session cookie is signed with it too:
    the tests move it by hours, well inside the cookie's lifetime (168 h); the session's
    idle check reads time.time(), which they leave alone."""
    now = {"t": 1_800_000_000}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: now["t"])
    return now


def _app(tmp_path, **extra):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'csrf.db'}", WTF_CSRF_ENABLED=True,
                                 **extra))
    with app.app_context():
        db.create_all()
    return app


def _token(client) -> str:
    return _TOKEN.search(client.get("/auth/login").get_data(as_text=True)).group(1)


def _log_in(client, token: str) -> int:
    return client.post("/auth/login", data={"email": "nobody@example.org",
                                            "password": "not-the-password",
                                            "csrf_token": token}).status_code


def test_a_form_left_open_for_hours_is_still_accepted(tmp_path, clock):
    client = _app(tmp_path).test_client()
    token = _token(client)
    clock["t"] += 5 * HOURS
    assert _log_in(client, token) == 401  # read and refused for its password, not as expired


def _header_tokens(client) -> set[str]:
    """The tokens of the header's own forms (the language switcher's, the log-out's)."""
    page = client.get("/").get_data(as_text=True)
    return set(re.findall(r'name="csrf_token" value="([^"]+)"', page))


def test_a_sessions_token_is_signed_once_and_every_page_carries_it(tmp_path, clock):
    client = _app(tmp_path).test_client()
    (token,) = _header_tokens(client)
    clock["t"] += 10
    assert _header_tokens(client) == {token}  # signed ten seconds ago, not afresh
    assert _log_in(client, token) == 401
    # A page with a Flask-WTF form of its own: one token on it, the form's and the header's.
    page = client.get("/auth/login").get_data(as_text=True)
    assert len(set(_TOKEN.findall(page)) | set(re.findall(
        r'name="csrf_token" value="([^"]+)"', page))) == 1


def test_a_token_is_refused_in_another_session(tmp_path, clock):
    app = _app(tmp_path)
    first, second = app.test_client(), app.test_client()
    token = _token(first)
    _token(second)
    response = second.post("/auth/login", data={"email": "nobody@example.org",
                                                "password": "x", "csrf_token": token})
    assert response.status_code == 400
    assert "form expired" in response.get_data(as_text=True)
    assert _log_in(first, token) == 401


def test_a_time_limit_set_by_the_operator_still_applies(tmp_path, clock):
    client = _app(tmp_path, WTF_CSRF_TIME_LIMIT=HOURS).test_client()
    token = _token(client)
    clock["t"] += 10
    assert _token(client) != token  # signed when sent, as Flask-WTF does
    clock["t"] += 2 * HOURS
    assert _log_in(client, token) == 400


def test_logging_in_and_out_each_start_a_session_with_a_new_token(tmp_path, clock):
    from app.services.accounts import users
    from tests.conftest import TEST_PASSWORD

    app = _app(tmp_path)
    with app.app_context():
        users.create_user("csrf@example.org", "csrf", TEST_PASSWORD)
        db.session.commit()
    client = app.test_client()
    (before,) = _header_tokens(client)
    response = client.post("/auth/login", data={"email": "csrf@example.org",
                                                "password": TEST_PASSWORD,
                                                "csrf_token": before})
    assert response.status_code == 302
    (inside,) = _header_tokens(client)
    assert inside != before
    assert client.post("/auth/logout", data={"csrf_token": before}).status_code == 400
    assert client.post("/auth/logout", data={"csrf_token": inside}).status_code == 302
    (after,) = _header_tokens(client)
    assert after not in (before, inside)
    assert _log_in(client, inside) == 400
