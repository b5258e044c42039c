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
