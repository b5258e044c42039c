"""An app for the JSON API tests: one per test session, so the worker pool starts once.

CSRF protection is left on, as in production, to show the API is exempt from it.
"""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from app import create_app
from app.extensions import checker_of
from app.web.api.openapi import document
from app.web.api.replies import preview_reply

API_CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "api-test-secret-key-not-for-production",
    "WTF_CSRF_ENABLED": True,
    "CHECK_WORKERS": 2,
    "CHECK_TIMEOUT_SECONDS": 2.0,
    # These tests send far more requests per second than the API allows a client; the rate
    # limit has its own tests (tests/security/test_api_rate_limit.py).
    "RATELIMIT_ENABLED": False,
}
# Time a reply may take beyond the check's own limit on a busy 2-core CI machine.
SLACK_SECONDS = 1.5


@pytest.fixture(scope="session")
def api_app(tmp_path_factory):
    database = tmp_path_factory.mktemp("api") / "unused.sqlite3"
    app = create_app({**API_CONFIG, "DATABASE_URL": f"sqlite:///{database}"})
    # Start both lanes now (fork server, workers, warm-up), so that the time limits the tests
    # assert on measure checks and not the one-off cold start: the long answers of the
    # time-out and hostile-answer tests go to the slow lane.
    for answer in ("x", "x" + "*x" * 300):
        assert checker_of(app).is_heavy(answer) == (answer != "x")
        status, _body, _headers = preview_reply(checker_of(app), {"answer": answer}, timeout=60)
        assert status == 200
    return app


@pytest.fixture
def api(api_app):
    return api_app.test_client()


def schema_validator(name: str) -> Draft202012Validator:
    """Validates a value against one schema of the served OpenAPI document."""
    root = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": f"#/components/schemas/{name}",
        "components": document()["components"],
    }
    return Draft202012Validator(root)
