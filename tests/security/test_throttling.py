"""Login throttling that cannot lock people out (issue 16, finding 2)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import LoginAttempt
from tests.conftest import TEST_PASSWORD, base_config

ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
PROXY = "10.0.0.2"


def _client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def _login(client, email: str, password: str, **headers):
    return client.post("/auth/login", data={"email": email, "password": password},
                       headers=headers)


def _let_time_pass(app, seconds: float) -> None:
    """Age every recorded failure, as if `seconds` had passed."""
    with app.app_context():
        for row in db.session.scalars(select(LoginAttempt)):
            row.created_at = row.created_at - timedelta(seconds=seconds)
        db.session.commit()


@pytest.fixture
def alice(make_user):
    make_user("alice@example.org")
    return "alice@example.org"


def test_owner_logs_in_from_another_address_while_an_attacker_hammers(app, alice):
    attacker, owner = _client(app, ATTACKER), _client(app, OWNER)
    statuses = [_login(attacker, alice, f"guess-{n:04d}").status_code for n in range(50)]
    assert statuses[:5] == [401] * 5
    assert set(statuses[5:]) == {429}
    assert _login(owner, alice, TEST_PASSWORD).status_code == 302
    # Even the attacker's address only waits: the right password works there once it may try.
    blocked = _login(attacker, alice, TEST_PASSWORD)
    assert blocked.status_code == 429
    assert int(blocked.headers["Retry-After"]) <= 30


def test_pause_of_a_pair_doubles_and_expires(app, alice):
    attacker = _client(app, ATTACKER)
    for n in range(5):
        assert _login(attacker, alice, f"guess-{n}").status_code == 401
    first = _login(attacker, alice, "guess-x")
    assert first.status_code == 429 and 25 <= int(first.headers["Retry-After"]) <= 30
    assert "Try again in" in first.get_data(as_text=True)
    _let_time_pass(app, 31)
    assert _login(attacker, alice, "guess-y").status_code == 401
    second = _login(attacker, alice, "guess-z")
    assert second.status_code == 429 and 55 <= int(second.headers["Retry-After"]) <= 60
    _let_time_pass(app, 61)
    assert _login(attacker, alice, TEST_PASSWORD).status_code == 302


def test_address_spraying_many_accounts_is_slowed_briefly_not_locked(app, make_user):
    for n in range(3):
        make_user(f"student{n}@example.org")
    classroom = _client(app, ATTACKER)
    # A returning student's browser (it logged in here before) keeps its known-device cookie.
    returning = _client(app, ATTACKER)
    assert _login(returning, "student0@example.org", TEST_PASSWORD).status_code == 302
    returning.post("/auth/logout")
    for n in range(app.config["LOGIN_MAX_FAILURES"] * 4):
        assert _login(classroom, f"nobody{n}@example.org", "guess-guess").status_code == 401
    sprayed = _login(classroom, "nobody-else@example.org", "guess-guess")
    assert sprayed.status_code == 429
    assert int(sprayed.headers["Retry-After"]) <= 30
    newcomer = _client(app, ATTACKER)
    assert _login(newcomer, "student1@example.org", TEST_PASSWORD).status_code == 429
    assert _login(returning, "student0@example.org", TEST_PASSWORD).status_code == 302
    assert _login(_client(app, OWNER), "student2@example.org", TEST_PASSWORD).status_code == 302
    # However long the spraying goes on, the pause of the address stays short.
    for _ in range(10):
        _let_time_pass(app, 200)
        _login(classroom, "nobody-else@example.org", "guess-guess")
    last = _login(classroom, "nobody-else@example.org", "guess-guess")
    assert last.status_code == 429 and int(last.headers["Retry-After"]) <= 120


def test_failures_against_an_empty_users_table_lock_nobody_out(app, make_user):
    """A restore in progress: clients retry logins for accounts that are not back yet."""
    local = _client(app, "127.0.0.1")
    for n in range(40):
        _login(local, f"user{n % 8}@example.org", TEST_PASSWORD)
    make_user("user0@example.org")
    _let_time_pass(app, 121)
    # Two minutes on, every account logs in: the pairs' and the address's pauses are over.
    assert _login(_client(app, "127.0.0.1"), "user0@example.org", TEST_PASSWORD).status_code \
        == 302
    make_user("user9@example.org")
    assert _login(_client(app, "127.0.0.1"), "user9@example.org", TEST_PASSWORD).status_code \
        == 302


def test_forwarded_headers_are_ignored_without_trusted_proxies(app, alice):
    attacker = _client(app, ATTACKER)
    for n in range(8):
        _login(attacker, alice, f"guess-{n}", **{"X-Forwarded-For": f"192.0.2.{n}"})
    with app.app_context():
        addresses = set(db.session.scalars(select(LoginAttempt.remote_addr)))
    assert addresses == {ATTACKER}


def test_trusted_proxy_gives_each_client_its_own_count(tmp_path):
    app = create_app(base_config(f"sqlite:///{tmp_path / 'proxy.sqlite3'}", TRUSTED_PROXIES=1))
    with app.app_context():
        db.create_all()
        from app.services.accounts import users

        users.create_user("alice@example.org", "Alice", TEST_PASSWORD)
        db.session.commit()
    behind_proxy = _client(app, PROXY)
    for n in range(8):
        # A client-supplied hop in front of the proxy's own is not believed.
        _login(behind_proxy, "alice@example.org", f"guess-{n}",
               **{"X-Forwarded-For": f"192.0.2.{n}, {ATTACKER}"})
    assert _login(behind_proxy, "alice@example.org", TEST_PASSWORD,
                  **{"X-Forwarded-For": ATTACKER}).status_code == 429
    assert _login(behind_proxy, "alice@example.org", TEST_PASSWORD,
                  **{"X-Forwarded-For": OWNER}).status_code == 302
    with app.app_context():
        assert set(db.session.scalars(select(LoginAttempt.remote_addr))) == {ATTACKER}
        db.session.remove()
        db.drop_all()
        db.engine.dispose()
