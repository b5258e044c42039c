"""The API says what it accepts and answers (issue 16, finding 7), without a schemathesis run."""

from __future__ import annotations

import pytest

from tests.api.conftest import schema_validator


@pytest.mark.parametrize("path", ["/api/v1/check", "/api/v1/preview", "/api/v1/openapi.json"])
def test_405_carries_allow(api, path):
    response = api.put(path, json={})
    assert response.status_code == 405
    assert response.headers.get("Allow")
    assert response.get_json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(("payload", "code", "field"), [
    ({"answer": "x", "derivative_of": {"function": "", "wrt": "x"}}, "invalid_function",
     "derivative_of.function"),
    ({"answer": "x", "derivative_of": {"function": "  \t", "wrt": "x"}}, "invalid_function",
     "derivative_of.function"),
    ({"answer": "x", "expected": " "}, "invalid_expected", '"expected"'),
    ({"answer": "x", "expected": "x" * 2001}, "invalid_expected", '"expected"'),
])
def test_empty_or_long_expressions_are_refused_naming_the_field(api, payload, code, field):
    response = api.post("/api/v1/check", json=payload)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code
    assert field in error["message"]
    assert "answer" not in error["message"]


def test_schema_refuses_what_the_api_refuses():
    validator = schema_validator("CheckRequest")
    for bad in ({"answer": "x", "derivative_of": {"function": "", "wrt": "x"}},
                {"answer": "x", "expected": "   "},
                {"answer": "x", "expected": "x\x00"},
                {"answer": "x", "derivative_of": {"function": "x", "wrt": "sigma"}}):
        assert not validator.is_valid(bad), bad
    # null is "left out", as the API reads it.
    assert validator.is_valid({"answer": "x", "expected": "x", "derivative_of": None,
                               "variables": None, "domain": None, "tolerance": None})


def test_document_lists_every_status_and_the_optional_key(api):
    document = api.get("/api/v1/openapi.json").get_json()
    for path in ("/check", "/preview"):
        operation = document["paths"][path]["post"]
        for status in ("429", "503"):
            assert "Retry-After" in operation["responses"][status]["headers"]
        assert {} in operation["security"]
    assert document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"
    codes = document["components"]["schemas"]["RequestError"]["properties"]["error"][
        "properties"]["code"]["enum"]
    assert {"rate_limited", "busy", "unauthorized"} <= set(codes)
