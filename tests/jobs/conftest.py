"""Jobs against a course with submissions; Redis tests read REDIS_TEST_URL and skip without."""

from __future__ import annotations

import pytest
from redis import Redis

from tests.conftest import _make_app, redis_test_url
from tests.instructor.conftest import build_setup


@pytest.fixture
def app(sqlite_url, tmp_path):
    yield from _make_app(sqlite_url, tmp_path, CHECK_TIMEOUT_SECONDS=15,
                         JOBS_EMBEDDED_THREAD=False)


@pytest.fixture
def setup(app, make_user):
    return build_setup(app, make_user)


@pytest.fixture
def redis_url():
    url = redis_test_url("jobs")
    connection = Redis.from_url(url)
    connection.flushdb()
    yield url
    connection.flushdb()


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    """Before the setup's due date, whatever today's date is."""
    from datetime import timedelta

    from app.web.coursework import routes as coursework_routes
    from tests.instructor.conftest import DUE

    monkeypatch.setattr(coursework_routes, "clock", lambda: DUE - timedelta(days=1))
