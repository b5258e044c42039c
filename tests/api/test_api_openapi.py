"""GET /api/v1/openapi.json: a well-formed OpenAPI 3.1 document for both endpoints."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from app.checker.requests import REQUEST_ERROR_CODES
from tests.api.conftest import schema_validator


@pytest.fixture
def served(api):
    response = api.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    return json.loads(response.get_data())


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_document_names_both_endpoints(served):
    assert served["openapi"].startswith("3.1")
    assert served["servers"] == [{"url": "/api/v1"}]
    for path in ("/check", "/preview"):
        responses = served["paths"][path]["post"]["responses"]
        # Issue 16 added 401 (bad API key), 429 (rate limit) and 503 (busy, from the contract).
        assert set(responses) == {"200", "400", "401", "413", "429", "503"}


def test_every_schema_is_valid_and_every_reference_resolves(served):
    schemas = served["components"]["schemas"]
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    for ref in _refs(served):
        assert ref.startswith("#/components/schemas/")
        assert ref.removeprefix("#/components/schemas/") in schemas


def test_request_examples_match_their_schemas(served):
    for path, schema in (("/check", "CheckRequest"), ("/preview", "PreviewRequest")):
        example = served["paths"][path]["post"]["requestBody"]["content"]["application/json"]
        schema_validator(schema).validate(example["example"])


def test_request_schema_requires_exactly_one_expected_side():
    validator = schema_validator("CheckRequest")
    validator.validate({"answer": "x", "expected": "x"})
    for bad in (
        {"answer": "x"},
        {"answer": "x", "expected": "x", "derivative_of": {"function": "x", "wrt": "x"}},
        {"answer": "x", "expected": "x", "extra": 1},
    ):
        with pytest.raises(ValidationError):
            validator.validate(bad)


def test_reply_schemas_are_strict():
    with pytest.raises(ValidationError):
        schema_validator("CheckReply").validate(
            {
                "valid": True,
                "equivalent": True,
                "error": None,
                "answer_latex": "x",
                "expected_latex": "x",
                "elapsed_ms": 1.0,
                "extra": 1,
            }
        )
    with pytest.raises(ValidationError):
        schema_validator("PreviewReply").validate({"valid": True})


def test_every_request_error_code_is_documented(served):
    documented = served["components"]["schemas"]["RequestError"]["properties"]["error"]
    assert set(documented["properties"]["code"]["enum"]) >= REQUEST_ERROR_CODES
