"""The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json.

Built from the same constants the service validates with (field names, limits, error codes),
so the document cannot drift from what the endpoints accept.
"""

from __future__ import annotations

from functools import lru_cache

from app.cas.errors import CODES as ENGINE_CODES
from app.cas.symbols import MAX_DEPTH, MAX_LENGTH
from app.checker.requests import MAX_VARIABLES, REQUEST_ERROR_CODES
from app.checker.results import INTERNAL, UNDECIDED
from app.web.api.body import MAX_BODY_BYTES

ANSWER_ERROR_CODES = sorted({*ENGINE_CODES, UNDECIDED, INTERNAL})


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema: dict, description: str, example: dict | None = None) -> dict:
    content: dict = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"description": description, "content": {"application/json": content}}


def _nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


NAME = {
    "type": "string",
    "pattern": r"^([A-Za-z_]|ŷ)([A-Za-z0-9_]|ŷ)*$",
    "maxLength": 50,
    "description": "A variable name: ASCII letters, digits and _, not starting with a digit "
    "(ŷ is read as yhat). Function and constant names (sigma, exp, e, pi, ...) are not "
    "allowed.",
}

SCHEMAS = {
    "VariableName": NAME,
    "Variables": {
        "type": "array",
        "items": _ref("VariableName"),
        "maxItems": MAX_VARIABLES,
        "description": "The variables the answer may use. Any other identifier makes the "
        "answer invalid (unknown_variable).",
    },
    "CheckRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["answer"],
        "oneOf": [{"required": ["expected"]}, {"required": ["derivative_of"]}],
        "properties": {
            "answer": {
                "type": "string",
                "description": f"What the student typed. Over {MAX_LENGTH} characters or nested "
                f"deeper than {MAX_DEPTH} levels is refused (too_long, too_deep).",
            },
            "expected": {"type": "string", "description": "The expected expression."},
            "derivative_of": {
                "type": "object",
                "additionalProperties": False,
                "required": ["function", "wrt"],
                "properties": {
                    "function": {"type": "string"},
                    "wrt": _ref("VariableName"),
                },
                "description": "The expected expression is d(function)/d(wrt).",
            },
            "variables": _ref("Variables"),
            "domain": {
                "type": "object",
                "propertyNames": _ref("VariableName"),
                "additionalProperties": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 2,
                    "maxItems": 2,
                    "description": "[lo, hi], finite, lo < hi: the open interval lo < x < hi.",
                },
                "description": "Narrows variables (of the request or of the expected "
                "expression) to open intervals.",
            },
            "tolerance": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "relative": {"type": "number", "minimum": 0, "default": 0},
                    "absolute": {"type": "number", "minimum": 0, "default": 0},
                },
                "description": "Compare approximately: |a - e| <= max(absolute, relative * |e|). "
                "Without it decimals are exact (0.33 is not 1/3).",
            },
        },
    },
    "PreviewRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["answer"],
        "properties": {
            "answer": {"type": "string"},
            "variables": {
                **_ref("Variables"),
                "description": "Optional; without it any identifier is read as a variable.",
            },
        },
    },
    "AnswerError": {
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "message", "position"],
        "properties": {
            "code": {"type": "string", "enum": ANSWER_ERROR_CODES},
            "message": {"type": "string", "description": "What is wrong, for the student."},
            "position": {
                "type": ["integer", "null"],
                "minimum": 0,
                "description": "0-based character position in the answer, when there is one.",
            },
        },
        "description": "Why there is no verdict. timeout: the check ran past its time limit "
        "(or no worker was free in time); too_large: a number or the check's memory use was too "
        f"large; {UNDECIDED}: the engine could not settle equivalence; {INTERNAL}: the checker "
        "failed (logged).",
    },
    "CheckReply": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "valid",
            "equivalent",
            "error",
            "answer_latex",
            "expected_latex",
            "elapsed_ms",
        ],
        "properties": {
            "valid": {
                "type": "boolean",
                "description": "False when the answer cannot be read; then equivalent is null.",
            },
            "equivalent": {"type": ["boolean", "null"]},
            "error": _nullable(_ref("AnswerError")),
            "answer_latex": {"type": ["string", "null"]},
            "expected_latex": {"type": ["string", "null"]},
            "elapsed_ms": {"type": "number", "minimum": 0},
        },
    },
    "PreviewReply": {
        "type": "object",
        "additionalProperties": False,
        "required": ["valid", "error", "answer_latex", "answer_mathml", "canonical"],
        "properties": {
            "valid": {"type": "boolean"},
            "error": _nullable(_ref("AnswerError")),
            "answer_latex": {"type": ["string", "null"]},
            "answer_mathml": {"type": ["string", "null"]},
            "canonical": {
                "type": ["string", "null"],
                "description": "The answer as the engine read it, in plain syntax.",
            },
        },
    },
    "RequestError": {
        "type": "object",
        "additionalProperties": False,
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "message"],
                "properties": {
                    "code": {
                        "type": "string",
                        "enum": sorted(
                            {
                                *REQUEST_ERROR_CODES,
                                "payload_too_large",
                                "method_not_allowed",
                                "not_found",
                            }
                        ),
                    },
                    "message": {"type": "string"},
                },
            }
        },
    },
}

REQUEST_ERROR_DESCRIPTION = (
    "The request is malformed: not a JSON object (bad_request), unknown or missing fields "
    "(bad_request), or an invalid expected expression, function, wrt, variables, domain or "
    "tolerance (invalid_expected, invalid_function, invalid_wrt, invalid_variables, "
    "invalid_domain, invalid_tolerance)."
)


def _operation(summary: str, description: str, request: str, reply: str, example) -> dict:
    return {
        "summary": summary,
        "description": description,
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _ref(request), "example": example}},
        },
        "responses": {
            "200": _json(_ref(reply), "The request was well formed, whatever the student typed."),
            "400": _json(_ref("RequestError"), REQUEST_ERROR_DESCRIPTION),
            "413": _json(
                _ref("RequestError"),
                f"The body is over {MAX_BODY_BYTES // 1024} KiB (payload_too_large).",
            ),
        },
    }


@lru_cache(maxsize=1)
def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "GradWork answer checker",
            "version": "1.0.0",
            "description": "Checks students' answers (derivatives of the sigmoid, "
            "cross-entropy, ...) against an expected expression. Answers run in isolated "
            "workers with a hard time limit; no input yields a 500.",
        },
        "servers": [{"url": "/api/v1"}],
        "paths": {
            "/check": {
                "post": _operation(
                    "Check an answer",
                    "Is the answer equivalent to the expected expression (or to the derivative "
                    "of a function) on the domain?",
                    "CheckRequest",
                    "CheckReply",
                    {
                        "answer": "σ(x)(1-σ(x))",
                        "derivative_of": {"function": "sigma(x)", "wrt": "x"},
                        "variables": ["x"],
                    },
                )
            },
            "/preview": {
                "post": _operation(
                    "Preview an answer",
                    "How the engine reads an answer: LaTeX, MathML and canonical plain text.",
                    "PreviewRequest",
                    "PreviewReply",
                    {"answer": "2x e^-x", "variables": ["x"]},
                )
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": {"200": {"description": "The OpenAPI 3.1 document."}},
                }
            },
        },
        "components": {"schemas": SCHEMAS},
    }
