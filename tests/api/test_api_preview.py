"""POST /api/v1/preview: how the engine reads an answer."""

from __future__ import annotations

import pytest

from tests.api.conftest import schema_validator


def _preview(api, **payload):
    response = api.post("/api/v1/preview", json=payload)
    assert response.status_code == 200, response.get_data(as_text=True)
    body = response.get_json()
    schema_validator("PreviewReply").validate(body)
    return body


def test_preview_shows_the_reading_in_three_forms(api):
    body = _preview(api, answer="σ(x)(1-σ(x))", variables=["x"])
    assert body["valid"] is True
    assert body["error"] is None
    assert body["canonical"] == "sigma(x)*(1 - sigma(x))"
    assert body["answer_latex"] == r"\sigma\left(x\right) \left(1 - \sigma\left(x\right)\right)"
    assert body["answer_mathml"].startswith('<math ')
    assert 'xmlns="http://www.w3.org/1998/Math/MathML"' in body["answer_mathml"].split(">")[0]


def test_preview_splits_names_made_of_declared_variables(api):
    assert _preview(api, answer="wx", variables=["w", "x"])["canonical"] == "w*x"


def test_preview_without_variables_reads_any_name_as_a_variable(api):
    body = _preview(api, answer="2 rate + yhat")
    assert body["valid"] is True
    assert body["canonical"] in {"2*rate + yhat", "yhat + 2*rate"}


@pytest.mark.parametrize(
    ("answer", "variables", "code"),
    [
        ("x +", ["x"], "syntax"),
        ("y", ["x"], "unknown_variable"),
        ("foo(x)", ["x"], "unknown_function"),
        ("", None, "syntax"),
    ],
)
def test_preview_reports_what_is_wrong(api, answer, variables, code):
    payload = (
        {"answer": answer} if variables is None else {"answer": answer, "variables": variables}
    )
    body = _preview(api, **payload)
    assert body["valid"] is False
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["position"], int)
    assert body["answer_latex"] is body["answer_mathml"] is body["canonical"] is None


def test_preview_keeps_the_students_form_beside_the_canonical_reading(api):
    body = _preview(api, answer="e^-s/(1+e^-s)^2", variables=["s"])
    # The contract's fields: the engine's canonical reading, the same for every spelling.
    assert body["canonical"] == _preview(api, answer="exp(-s)/(1+exp(-s))^2",
                                         variables=["s"])["canonical"]
    # The student's own form, every implicit reading explicit.
    assert body["as_typed"]["plain"] == "e^(-s)/(1 + e^(-s))^2"
    assert body["as_typed"]["latex"] == r"\frac{{e}^{- s}}{{\left(1 + {e}^{- s}\right)}^{2}}"
    assert body["as_typed"]["mathml"].startswith('<math xmlns="http://www.w3.org/1998/Math/MathML"')
    assert 'aria-label="the fraction e to the minus s power' in body["as_typed"]["mathml"]
    assert body["hints"] == []
    decimal = _preview(api, answer="0.1966")
    assert decimal["canonical"] == "983/5000" and decimal["as_typed"]["plain"] == "0.1966"


def test_preview_hints_at_a_power_that_takes_one_factor(api):
    body = _preview(api, answer="2e^-2x", variables=["x"])
    assert body["valid"] is True
    assert body["as_typed"]["plain"] == "2*e^(-2)*x"
    [hint] = body["hints"]
    assert hint["code"] == "exponent" and hint["position"] == 2
    assert "Did you mean e^(-2x)?" in hint["message"]


def test_preview_says_prime_notation_is_not_accepted(api):
    body = _preview(api, answer="5σ'(5x-3)", variables=["x"])
    assert body["valid"] is False
    assert body["error"]["code"] == "syntax" and body["error"]["position"] == 2
    assert "prime notation" in body["error"]["message"]
    assert body["as_typed"] is None and body["hints"] == []


def test_preview_of_an_overlong_answer_says_so_without_cutting(api):
    body = _preview(api, answer="x+" * 1050 + "x", variables=["x"])
    assert body["error"]["code"] == "too_long" and body["error"]["position"] == 2000
    assert "2,101 characters" in body["error"]["message"]
