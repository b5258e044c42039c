"""Hostile answers: each gets a clear error within the time limit, nothing is evaluated."""

from __future__ import annotations

import time

import pytest

from app.cas.symbols import MAX_LENGTH
from app.extensions import checker_of
from app.web.api.replies import check_reply
from tests.api.conftest import API_CONFIG, SLACK_SECONDS, schema_validator

LIMIT = API_CONFIG["CHECK_TIMEOUT_SECONDS"] + SLACK_SECONDS

HOSTILE = [
    ("9^9^9^9", {"too_large"}),
    ("2^2^2^2^2^2", {"too_large"}),
    ("(" * 10_000 + "x" + ")" * 10_000, {"too_long", "too_deep"}),
    ("(" * 150 + "x" + ")" * 150, {"too_deep"}),
    ("e^" * 150 + "x", {"too_deep"}),
    ("__import__('os').system('id')", {"unknown_function", "unknown_variable", "syntax"}),
    ("x.__class__", {"syntax"}),
    ("[x for x in ()]", {"syntax"}),
    ("diff(x, x)", {"unknown_function", "syntax"}),
    ("Derivative(x, x)", {"unknown_function", "unknown_variable", "syntax"}),
    ("lambda: 0", {"syntax", "unknown_variable"}),
    ("'x'", {"syntax"}),
    ("x = 1", {"syntax"}),
    ("x\x00+1", {"syntax"}),
    ("\x07", {"syntax"}),
    ("x\u202e+1", {"syntax"}),
    ("", {"syntax"}),
    ("   \t ", {"syntax"}),
    ("x" + "+x" * 1500, {"too_long"}),
]


def _check(api, answer):
    start = time.monotonic()
    response = api.post(
        "/api/v1/check", json={"answer": answer, "expected": "x", "variables": ["x"]}
    )
    elapsed = time.monotonic() - start
    assert response.status_code == 200
    body = response.get_json()
    schema_validator("CheckReply").validate(body)
    return body, elapsed


@pytest.mark.parametrize(
    ("answer", "codes"),
    HOSTILE,
    ids=[f"{i}-{answer[:20]!r}" for i, (answer, _) in enumerate(HOSTILE)],
)
def test_hostile_answer_gets_a_clear_error_in_time(api, answer, codes):
    body, elapsed = _check(api, answer)
    assert elapsed < LIMIT
    assert body["valid"] is False
    assert body["equivalent"] is None
    assert body["error"]["code"] in codes
    assert body["error"]["message"]
    assert body["answer_latex"] is None


def test_python_in_the_answer_is_never_run(api, tmp_path):
    marker = tmp_path / "pwned"
    for answer in (
        f"__import__('os').system('touch {marker}')",
        f"exec(\"open('{marker}', 'w')\")",
        f"eval(\"open('{marker}', 'w')\")",
        f"open('{marker}', 'w')",
    ):
        body, _ = _check(api, answer)
        assert body["valid"] is False
    assert not marker.exists()


def test_megabyte_answer_is_413_over_http_and_too_long_in_the_service(api, api_app):
    answer = "x+" * 500_000 + "x"
    response = api.post("/api/v1/check", json={"answer": answer, "expected": "x"})
    assert response.status_code == 413
    status, body, _headers = check_reply(checker_of(api_app), {"answer": answer, "expected": "x"})
    assert status == 200
    assert body["valid"] is False
    assert body["error"]["code"] == "too_long"
    assert body["error"]["position"] == MAX_LENGTH


def test_hostile_expected_expression_is_a_400(api):
    response = api.post("/api/v1/check", json={"answer": "x", "expected": "9^9^9^9"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_expected"
    assert "too large" in error["message"]
    response = api.post(
        "/api/v1/check",
        json={"answer": "x", "derivative_of": {"function": "__import__('os')", "wrt": "x"}},
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_function"


def test_preview_of_hostile_answers_is_clear_and_quick(api):
    for answer, codes in HOSTILE:
        start = time.monotonic()
        response = api.post("/api/v1/preview", json={"answer": answer, "variables": ["x"]})
        assert time.monotonic() - start < LIMIT
        assert response.status_code == 200
        body = response.get_json()
        assert body["valid"] is False
        assert body["error"]["code"] in codes, answer[:30]
