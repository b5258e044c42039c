"""Hard limits seen from the service and the API: time-outs, memory, a stuck worker."""

from __future__ import annotations

import threading
import time

import pytest

from app.checker.client import answer_problem
from app.checker.pool import CheckTimeout, PoolClosed, WorkerCrashed, WorkerMemoryError
from app.extensions import checker_of
from app.web.api.replies import check_reply, preview_reply
from tests.api.conftest import SLACK_SECONDS, schema_validator
from tests.checker.holding import wait_for

# 119 sigmoid terms: reading, rendering and comparing them takes a warm worker 0.1 s or more,
# ten times the limit the time-out tests give it.
LONG_ANSWER = "+".join(f"σ({k}x+{k})" for k in range(1, 120))
TOO_SHORT = 0.01


def spin_forever():
    while True:
        pass


def double(value):
    return 2 * value


@pytest.fixture
def checker(api_app):
    return checker_of(api_app)


@pytest.fixture
def pool(checker):
    return checker.pool


def test_pool_follows_the_app_settings(api_app, checker, pool):
    assert pool.workers == api_app.config["CHECK_WORKERS"]
    assert pool.timeout == api_app.config["CHECK_TIMEOUT_SECONDS"]
    assert pool.memory_mb == api_app.config["CHECK_MEMORY_MB"]
    assert checker.pool is pool


def test_run_limited_runs_engine_code_and_stops_runaways(checker):
    assert checker.run(double, 21) == 42
    start = time.monotonic()
    with pytest.raises(CheckTimeout):
        checker.run(spin_forever, timeout=0.3)
    assert time.monotonic() - start < 0.3 + SLACK_SECONDS
    assert checker.run(double, 1) == 2


def test_check_that_runs_out_of_time_has_no_verdict(checker):
    payload = {"answer": LONG_ANSWER, "expected": LONG_ANSWER}
    status, body, _headers = check_reply(checker, payload, timeout=TOO_SHORT)
    assert status == 200
    schema_validator("CheckReply").validate(body)
    assert body["valid"] is True
    assert body["equivalent"] is None
    assert body["error"]["code"] == "timeout"
    assert "limit" in body["error"]["message"]
    assert body["answer_latex"] is body["expected_latex"] is None
    assert body["elapsed_ms"] < (TOO_SHORT + SLACK_SECONDS) * 1000


def test_preview_that_runs_out_of_time_is_not_shown_as_read(checker):
    status, body, _headers = preview_reply(checker, {"answer": LONG_ANSWER}, timeout=TOO_SHORT)
    assert status == 200
    schema_validator("PreviewReply").validate(body)
    assert body["valid"] is False
    assert body["error"]["code"] == "timeout"
    assert body["canonical"] is None


@pytest.mark.parametrize(
    ("exc", "code"),
    [
        (CheckTimeout(2), "timeout"),
        (CheckTimeout(30, wall=True), "timeout"),
        (WorkerMemoryError(1024), "too_large"),
        (WorkerCrashed(-11), "internal"),
        (PoolClosed("closed"), "internal"),
    ],
)
def test_every_pool_failure_has_a_student_facing_explanation(exc, code):
    problem = answer_problem(exc)
    assert problem.code == code
    assert problem.message.endswith(".")
    assert problem.position is None


def test_requests_are_served_while_a_worker_is_stuck(api, pool):
    # Causal rather than a wall-clock bound: every request must come back while the stuck
    # task still holds its worker.
    free = pool.free
    stuck = threading.Thread(
        target=lambda: pytest.raises(CheckTimeout, pool.run, spin_forever, timeout=2)
    )
    stuck.start()
    try:
        wait_for(lambda: pool.free == free - 1)
        for _ in range(5):
            response = api.post("/api/v1/preview", json={"answer": "2x", "variables": ["x"]})
            assert response.status_code == 200
            assert response.get_json()["canonical"] == "2*x"
        still_stuck = stuck.is_alive()
    finally:
        stuck.join()
    assert still_stuck, "the requests waited for the stuck worker instead of using the free one"


def test_api_is_exempt_from_csrf(api_app):
    assert api_app.config["WTF_CSRF_ENABLED"] is True
    response = api_app.test_client().post("/api/v1/preview", json={"answer": "x"})
    assert response.status_code == 200
