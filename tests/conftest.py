"""Shared fixtures: `app`, `client`, `runner` on SQLite; `any_db_app` also on PostgreSQL.

PostgreSQL tests read `POSTGRES_TEST_URL` (e.g. postgresql://postgres@127.0.0.1/test)
and skip cleanly without it. Each test that asks for PostgreSQL gets a database of its own,
created from that URL, so parallel workers never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from app import create_app
from app.checker.client import CheckerSettings, start_pool
from app.checker.pool import WorkerPool
from app.extensions import db

PG_ENV = "POSTGRES_TEST_URL"
REDIS_ENV = "REDIS_TEST_URL"
# Each group of Redis tests uses a database number of its own above REDIS_TEST_URL's, so one
# group flushing its database (the job tests do) never touches another's; the job tests take
# one per pytest-xdist worker, since two of them may run at once.
REDIS_OFFSETS = {"rate_limit": 0, "compose_worker": 1, "jobs": 2}
TEST_SECRET = "test-secret-key-not-for-production"
# Not on the common-password list and at least 10 characters (the password rules); it replaced
# "password123" when those rules came in.
TEST_PASSWORD = "correct-horse-42"


def base_config(database_url: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": TEST_SECRET,
        "DATABASE_URL": database_url,
        "WTF_CSRF_ENABLED": False,
        "CHECK_WORKERS": 1,
        # The suite fires requests far faster than any client would; the tests of the API
        # rate limit switch it back on (tests/security/test_api_rate_limit.py).
        "RATELIMIT_ENABLED": False,
        **extra,
    }


def redis_test_url(group: str) -> str:
    """A Redis URL for one group of tests, or a skip when REDIS_TEST_URL is unset."""
    url = os.environ.get(REDIS_ENV)
    if not url:
        pytest.skip(f"{REDIS_ENV} is not set")
    base, _, number = url.rpartition("/")
    offset = REDIS_OFFSETS[group]
    if group == "jobs":
        worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        offset += int(worker.removeprefix("gw") or 0)
    return f"{base}/{int(number or 0) + offset}"


def _pg_admin_url() -> str | None:
    return os.environ.get(PG_ENV) or None


@contextmanager
def fresh_postgres_database(prefix: str = "gw_test") -> Iterator[str]:
    """A new, empty database on the server of PG_ENV (skips the test when it is unset),
    dropped afterwards; yields its URL."""
    admin_url = _pg_admin_url()
    if not admin_url:
        pytest.skip(f"{PG_ENV} is not set")
    admin = make_url(admin_url).set(drivername="postgresql+psycopg")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test (dropped afterwards)."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'test.sqlite3'}"


_shared_pool: WorkerPool | None = None


def shared_checker_pool() -> WorkerPool:
    """One checker pool for every app this test process builds (time limits are per call),
    so a test pays for starting workers once, not once per app."""
    global _shared_pool
    if _shared_pool is None or not _shared_pool.usable_here:
        _shared_pool = start_pool(CheckerSettings(workers=1))
    return _shared_pool


def _make_app(database_url: str, tmp_path, **extra):
    app = create_app(base_config(database_url, **extra), checker_pool=shared_checker_pool())
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def app(sqlite_url, tmp_path):
    yield from _make_app(sqlite_url, tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_db_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'any.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def any_db_app(any_db_url, tmp_path):
    """The app on SQLite, and again on PostgreSQL when it is available."""
    yield from _make_app(any_db_url, tmp_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create a user and commit: `make_user("a@x.org", role=Role.INSTRUCTOR)`."""
    from app.models import Role
    from app.services.accounts import users

    def _make(email: str, password: str = TEST_PASSWORD, name: str | None = None,
              role: Role = Role.STUDENT):
        with app.app_context():
            user = users.create_user(email, name or email.split("@")[0], password, role)
            db.session.commit()
            return user.id

    return _make


@pytest.fixture
def login(client):
    """Log the test client in: `login("a@x.org")`."""

    def _login(email: str, password: str = TEST_PASSWORD):
        response = client.post("/auth/login", data={"email": email, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)
        return response

    return _login
