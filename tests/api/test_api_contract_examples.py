"""Every public example of the contract (section 4), through the HTTP API."""

from __future__ import annotations

import pytest

from tests.api.conftest import schema_validator

CROSS_ENTROPY = "-(t log(yhat) + (1-t) log(1-yhat))"
CROSS_ENTROPY_OF_LOGIT = "-(t log(σ(z)) + (1-t) log(1-σ(z)))"


def d(function, wrt):
    return {"derivative_of": {"function": function, "wrt": wrt}}


# (expected side, answer, extra request fields, verdict); a verdict that is a string is the
# error code of an invalid answer.
EXAMPLES = [
    (d("sigma(x)", "x"), "σ(x)(1-σ(x))", {"variables": ["x"]}, True),
    (d("sigma(x)", "x"), "e^-x/(1+e^-x)^2", {"variables": ["x"]}, True),
    (d("sigma(x)", "x"), "σ(x)(1+σ(x))", {"variables": ["x"]}, False),
    (d("sigma(2x-1)", "x"), "2σ(2x-1)(1-σ(2x-1))", {"variables": ["x"]}, True),
    (d("sigma(2x-1)", "x"), "σ(2x-1)(1-σ(2x-1))", {"variables": ["x"]}, False),
    (
        d(CROSS_ENTROPY, "yhat"),
        "(yhat-t)/(yhat(1-yhat))",
        {"variables": ["t", "yhat"], "domain": {"yhat": [0, 1]}},
        True,
    ),
    (
        d(CROSS_ENTROPY, "yhat"),
        "-t/yhat - (1-t)/(1-yhat)",
        {"variables": ["t", "yhat"], "domain": {"yhat": [0, 1]}},
        False,
    ),
    (d(CROSS_ENTROPY_OF_LOGIT, "z"), "σ(z) - t", {"variables": ["t", "z"]}, True),
    ({"expected": "x^2 - 1"}, "(x-1)(x+1)", {"variables": ["x"]}, True),
    ({"expected": "1/2"}, "0.5", {}, True),
    ({"expected": "1/3"}, "0.333", {}, False),
    ({"expected": "1/3"}, "0.333", {"tolerance": {"relative": 0.01}}, True),
    ({"expected": "sqrt(x^2)"}, "x", {"variables": ["x"]}, False),
    ({"expected": "x + 1"}, "x + 1 + y", {"variables": ["x"]}, "unknown_variable"),
    ({"expected": "x"}, "__import__('os')", {"variables": ["x"]}, "invalid"),
]


def _check(api, payload):
    response = api.post("/api/v1/check", json=payload)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    schema_validator("CheckReply").validate(body)
    return body


@pytest.mark.parametrize(
    ("expected_side", "answer", "extra", "verdict"),
    EXAMPLES,
    ids=[f"{i}-{row[1]}" for i, row in enumerate(EXAMPLES)],
)
def test_contract_example(api, expected_side, answer, extra, verdict):
    body = _check(api, {"answer": answer, **expected_side, **extra})
    assert body["expected_latex"]
    assert body["elapsed_ms"] > 0
    if isinstance(verdict, bool):
        assert body["error"] is None
        assert body["valid"] is True
        assert body["equivalent"] is verdict
        assert body["answer_latex"]
        return
    assert body["valid"] is False
    assert body["equivalent"] is None
    assert body["answer_latex"] is None
    if verdict != "invalid":
        assert body["error"]["code"] == verdict
    assert body["error"]["message"]


def test_reply_of_section_3_example(api):
    body = _check(
        api,
        {
            "answer": "σ(3x+2)(1-σ(3x+2))",
            "derivative_of": {"function": "sigma(3*x+2)", "wrt": "x"},
            "variables": ["x"],
            "domain": {"x": [-10, 10]},
            "tolerance": {"relative": 0.001, "absolute": 0},
        },
    )
    assert body["valid"] is True
    assert body["equivalent"] is False
    assert body["error"] is None
    assert body["answer_latex"] == (
        r"\sigma\left(3 x + 2\right) \left(1 - \sigma\left(3 x + 2\right)\right)"
    )
    assert body["expected_latex"] == (
        r"3 \sigma\left(3 x + 2\right) \left(1 - \sigma\left(3 x + 2\right)\right)"
    )


def test_without_variables_the_expected_expression_decides(api):
    allowed = _check(api, {"answer": "2x", "expected": "x + x"})
    assert allowed["equivalent"] is True
    refused = _check(api, {"answer": "2y", "expected": "x + x"})
    assert refused["error"]["code"] == "unknown_variable"
    # With derivative_of, the variables of the function and wrt are allowed.
    wrt_only = _check(api, {"answer": "0", **d("5", "x")})
    assert wrt_only["equivalent"] is True


def test_domain_may_only_name_variables_of_the_expected_expression(api):
    response = api.post(
        "/api/v1/check", json={"answer": "1/2", "expected": "0.5", "domain": {"x": [0, 1]}}
    )
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_domain"


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"answer": "x", "expected": "x +"}, "invalid_expected"),
        ({"answer": "x", "expected": "y", "variables": ["x"]}, "invalid_expected"),
        ({"answer": "x", "expected": ""}, "invalid_expected"),
        ({"answer": "x", **d("sigma(", "x")}, "invalid_function"),
        ({"answer": "x", **d("y", "x"), "variables": ["x"]}, "invalid_function"),
    ],
)
def test_invalid_expected_side_is_a_400(api, payload, code):
    response = api.post("/api/v1/check", json=payload)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == code
    assert "invalid" in error["message"]
