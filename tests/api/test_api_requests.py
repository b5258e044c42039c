"""Request validation: every malformed request is a 400 with a clear code, never a 500."""

from __future__ import annotations

import io
import json

import pytest
from werkzeug.test import EnvironBuilder, run_wsgi_app

from app.checker.requests import (
    CheckRequestError,
    CheckSpec,
    parse_check_request,
    parse_preview_request,
)
from tests.api.conftest import schema_validator

SIGMA = {"function": "sigma(x)", "wrt": "x"}


@pytest.mark.parametrize(
    ("payload", "code", "words"),
    [
        ([], "bad_request", "JSON object"),
        ("x", "bad_request", "JSON object"),
        (None, "bad_request", "JSON object"),
        ({}, "bad_request", '"answer"'),
        ({"expected": "x"}, "bad_request", '"answer"'),
        ({"answer": 3, "expected": "x"}, "bad_request", "string"),
        ({"answer": None, "expected": "x"}, "bad_request", "string"),
        ({"answer": "x"}, "bad_request", "exactly one"),
        ({"answer": "x", "expected": "x", "derivative_of": SIGMA}, "bad_request", "exactly one"),
        ({"answer": "x", "expected": "x", "tolerence": {}}, "bad_request", '"tolerence"'),
        ({"answer": "x", "expected": 1}, "invalid_expected", "string"),
        ({"answer": "x", "derivative_of": "sigma(x)"}, "bad_request", "JSON object"),
        (
            {"answer": "x", "derivative_of": {"function": "x", "wrt": "x", "n": 2}},
            "bad_request",
            '"n"',
        ),
        ({"answer": "x", "derivative_of": {"wrt": "x"}}, "invalid_function", "string"),
        (
            {"answer": "x", "derivative_of": {"function": ["x"], "wrt": "x"}},
            "invalid_function",
            "string",
        ),
        ({"answer": "x", "derivative_of": {"function": "x"}}, "invalid_wrt", "required"),
        ({"answer": "x", "derivative_of": {"function": "x", "wrt": 1}}, "invalid_wrt", "string"),
        ({"answer": "x", "derivative_of": {"function": "x", "wrt": "2x"}}, "invalid_wrt", "2x"),
        (
            {"answer": "x", "derivative_of": {"function": "x", "wrt": "e"}},
            "invalid_wrt",
            "constant",
        ),
        (
            {"answer": "x", "derivative_of": {"function": "x", "wrt": "y"}, "variables": ["x"]},
            "invalid_wrt",
            '"variables"',
        ),
        ({"answer": "x", "expected": "x", "variables": "x"}, "invalid_variables", "list"),
        ({"answer": "x", "expected": "x", "variables": [1]}, "invalid_variables", "string"),
        ({"answer": "x", "expected": "x", "variables": ["x y"]}, "invalid_variables", "x y"),
        ({"answer": "x", "expected": "x", "variables": ["sigma"]}, "invalid_variables", "function"),
        ({"answer": "x", "expected": "x", "variables": ["pi"]}, "invalid_variables", "constant"),
        ({"answer": "x", "expected": "x", "variables": ["v"] * 51}, "invalid_variables", "at most"),
        ({"answer": "x", "expected": "x", "domain": [0, 1]}, "invalid_domain", "JSON object"),
        ({"answer": "x", "expected": "x", "domain": {"x": [1, 0]}}, "invalid_domain", "lo < hi"),
        ({"answer": "x", "expected": "x", "domain": {"x": [0, 0]}}, "invalid_domain", "lo < hi"),
        ({"answer": "x", "expected": "x", "domain": {"x": [0]}}, "invalid_domain", "[lo, hi]"),
        (
            {"answer": "x", "expected": "x", "domain": {"x": [0, 1, 2]}},
            "invalid_domain",
            "[lo, hi]",
        ),
        ({"answer": "x", "expected": "x", "domain": {"x": ["0", 1]}}, "invalid_domain", "finite"),
        ({"answer": "x", "expected": "x", "domain": {"x": [False, 1]}}, "invalid_domain", "finite"),
        (
            {"answer": "x", "expected": "x", "domain": {"x": [0, float("inf")]}},
            "invalid_domain",
            "finite",
        ),
        (
            {"answer": "x", "expected": "x", "domain": {"x": [0, 10**400]}},
            "invalid_domain",
            "finite",
        ),
        (
            {"answer": "x", "expected": "x", "domain": {"x": {"lo": 0}}},
            "invalid_domain",
            "[lo, hi]",
        ),
        ({"answer": "x", "expected": "x", "domain": {"1x": [0, 1]}}, "invalid_domain", "1x"),
        (
            {"answer": "x", "expected": "x", "variables": ["x"], "domain": {"y": [0, 1]}},
            "invalid_domain",
            '"y"',
        ),
        ({"answer": "x", "expected": "x", "tolerance": 0.1}, "invalid_tolerance", "JSON object"),
        (
            {"answer": "x", "expected": "x", "tolerance": {"relative": -1}},
            "invalid_tolerance",
            "at least 0",
        ),
        (
            {"answer": "x", "expected": "x", "tolerance": {"absolute": "1"}},
            "invalid_tolerance",
            "absolute",
        ),
        (
            {"answer": "x", "expected": "x", "tolerance": {"absolute": float("nan")}},
            "invalid_tolerance",
            "finite",
        ),
        ({"answer": "x", "expected": "x", "tolerance": {"rel": 0.1}}, "invalid_tolerance", '"rel"'),
    ],
)
def test_malformed_check_requests_are_refused(payload, code, words):
    with pytest.raises(CheckRequestError) as info:
        parse_check_request(payload)
    assert info.value.code == code
    assert words in info.value.message
    schema_validator("RequestError").validate(info.value.to_dict())


def test_well_formed_check_request_is_normalised():
    spec = parse_check_request(
        {
            "answer": "ŷ - t",
            "derivative_of": {"function": "yhat^2/2 - t*yhat", "wrt": "ŷ"},
            "variables": ["t", "ŷ", "t"],
            "domain": {"ŷ": [0, 1.5]},
            "tolerance": {"relative": 0.01},
        }
    )
    assert spec == CheckSpec(
        answer="ŷ - t",
        function="yhat^2/2 - t*yhat",
        wrt="yhat",
        variables=("t", "yhat"),
        domain=(("yhat", 0.0, 1.5),),
        tolerance=(0.01, 0.0),
    )


def test_null_optional_fields_count_as_absent():
    spec = parse_check_request(
        {
            "answer": "x",
            "expected": "x",
            "derivative_of": None,
            "variables": None,
            "domain": None,
            "tolerance": None,
        }
    )
    assert spec == CheckSpec(answer="x", expected="x")


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({}, "bad_request"),
        ({"answer": ["x"]}, "bad_request"),
        ({"answer": "x", "expected": "x"}, "bad_request"),
        ({"answer": "x", "variables": ["x", "σ"]}, "invalid_variables"),
    ],
)
def test_malformed_preview_requests_are_refused(payload, code):
    with pytest.raises(CheckRequestError) as info:
        parse_preview_request(payload)
    assert info.value.code == code


def test_preview_request_is_normalised():
    assert parse_preview_request({"answer": "2x", "variables": ["x"]}) == ("2x", ("x",))
    assert parse_preview_request({"answer": "2x"}) == ("2x", None)


# -- over HTTP ------------------------------------------------------------------------------


def _error(response):
    body = response.get_json()
    schema_validator("RequestError").validate(body)
    return body["error"]


@pytest.mark.parametrize("path", ["/api/v1/check", "/api/v1/preview"])
def test_malformed_json_is_400(api, path):
    for data in [
        "{",
        "",
        "[1,",
        '{"answer": NaN}',
        '{"answer": "x", "expected": Infinity}',
        "[" * 100_00 + "]" * 100_00,
        '{"answer": ' + "1" * 5000 + "}",
    ]:
        response = api.post(path, data=data, content_type="application/json")
        assert response.status_code == 400, data[:40]
        error = _error(response)
        assert error["code"] == "bad_request"
        assert "JSON" in error["message"]


def test_body_that_is_not_utf8_is_400(api):
    response = api.post(
        "/api/v1/check", data=b'{"answer": "\xff"}', content_type="application/json"
    )
    assert response.status_code == 400
    assert "UTF-8" in _error(response)["message"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_body_that_is_not_declared_json_is_400(api, content_type):
    response = api.post(
        "/api/v1/check", data='{"answer": "x", "expected": "x"}', content_type=content_type
    )
    assert response.status_code == 400
    assert "Content-Type: application/json" in _error(response)["message"]


def test_request_error_reaches_http_as_400(api):
    response = api.post(
        "/api/v1/check", json={"answer": "x", "expected": "x", "domain": {"x": [2, 1]}}
    )
    assert response.status_code == 400
    assert _error(response)["code"] == "invalid_domain"


def test_body_over_64_kib_is_413(api):
    body = '{"answer": "' + "x+" * 600_000 + 'x", "expected": "x"}'
    response = api.post("/api/v1/check", data=body, content_type="application/json")
    assert response.status_code == 413
    error = _error(response)
    assert error == {
        "code": "payload_too_large",
        "message": "The request body is larger than 64 KiB.",
    }


class _CountingStream(io.RawIOBase):
    """An endless body, as a client sending chunks without a Content-Length would."""

    def __init__(self):
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        buffer[:] = b" " * len(buffer)
        self.bytes_read += len(buffer)
        return len(buffer)


def test_chunked_body_over_64_kib_is_413_without_reading_it_all(api_app):
    environ = EnvironBuilder(
        path="/api/v1/check", method="POST", content_type="application/json"
    ).get_environ()
    environ.pop("CONTENT_LENGTH", None)
    stream = _CountingStream()
    environ.update(
        {
            "wsgi.input": io.BufferedReader(stream),
            "wsgi.input_terminated": True,  # what servers set for a chunked body
            "HTTP_TRANSFER_ENCODING": "chunked",
        }
    )
    app_iter, status, _headers = run_wsgi_app(api_app, environ)
    body = json.loads(b"".join(app_iter))
    assert status.startswith("413")
    assert body["error"]["code"] == "payload_too_large"
    assert stream.bytes_read < 2 * 64 * 1024


def test_body_of_exactly_64_kib_is_read(api):
    body = '{"answer": "2x"}'
    body += " " * (64 * 1024 - len(body))
    response = api.post("/api/v1/preview", data=body, content_type="application/json")
    assert response.status_code == 200
    assert response.get_json()["canonical"] == "2*x"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/check", 405),
        ("PUT", "/api/v1/preview", 405),
        ("GET", "/api/v1/nothing", 404),
    ],
)
def test_other_methods_and_paths_get_json_errors(api, method, path, status):
    response = api.open(path, method=method)
    assert response.status_code == status
    assert set(_error(response)) == {"code", "message"}
