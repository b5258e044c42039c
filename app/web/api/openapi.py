"""The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json.

Built from the same constants the service validates with (field names, limits, error codes),
so the document cannot drift from what the endpoints accept.
"""

from __future__ import annotations

from functools import lru_cache

from app.cas.errors import CODES as ENGINE_CODES
from app.cas.symbols import MAX_DEPTH, MAX_LENGTH, RESERVED_NAMES
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


def _optional(schema: dict, description: str) -> dict:
    """An optional field: null counts as absent."""
    return {"anyOf": [schema, {"type": "null"}], "description": f"{description} Optional; "
            "null is the same as leaving it out."}


# Expressions of the request (not the answer): the API refuses (400) an empty one and any
# string holding a control character other than tab and newlines.
EXPRESSION = {
    "type": "string",
    "minLength": 1,
    "maxLength": MAX_LENGTH,
    # Something other than spaces, and no control characters (tab and newlines are spaces).
    "pattern": r"^[\t\n\r ]*[^\u0000-\u0020\u007F-\u009F][^\u0000-\u0008\u000B\u000C"
    r"\u000E-\u001F\u007F-\u009F]*$",
}

NAME = {
    "type": "string",
    "pattern": r"^([A-Za-z_]|ŷ)([A-Za-z0-9_]|ŷ)*$",
    "maxLength": 50,
    "not": {"enum": sorted(RESERVED_NAMES)},
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
        # Exactly one of the two, null counting as absent.
        "oneOf": [
            {"required": ["expected"], "properties": {"expected": {"type": "string"}}},
            {"required": ["derivative_of"], "properties": {"derivative_of": {"type": "object"}}},
        ],
        "properties": {
            "answer": {
                "type": "string",
                "description": f"What the student typed. Over {MAX_LENGTH} characters or nested "
                f"deeper than {MAX_DEPTH} levels is refused (too_long, too_deep).",
            },
            "expected": _optional(
                EXPRESSION, f"The expected expression (not empty; at most {MAX_LENGTH} characters)."
            ),
            "derivative_of": _optional(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["function", "wrt"],
                    "properties": {
                        "function": {
                            **EXPRESSION,
                            "description": "The function to differentiate (not empty).",
                        },
                        "wrt": _ref("VariableName"),
                    },
                },
                "The expected expression is d(function)/d(wrt).",
            ),
            "variables": _optional(_ref("Variables"), "The variables the answer may use."),
            "domain": _optional(
                {
                    "type": "object",
                    "propertyNames": _ref("VariableName"),
                    "additionalProperties": {
                        "type": "array",
                        "items": {"type": "number"},
                        "minItems": 2,
                        "maxItems": 2,
                        "description": "[lo, hi], finite, lo < hi: the open interval lo < x < hi.",
                    },
                },
                "Narrows variables (of the request or of the expected expression) to open "
                "intervals.",
            ),
            "tolerance": _optional(
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "relative": {"type": "number", "minimum": 0, "default": 0},
                        "absolute": {"type": "number", "minimum": 0, "default": 0},
                    },
                },
                "Compare approximately: |a - e| <= max(absolute, relative * |e|). Without it "
                "decimals are exact (0.33 is not 1/3).",
            ),
        },
    },
    "PreviewRequest": {
        "type": "object",
        "additionalProperties": False,
        "required": ["answer"],
        "properties": {
            "answer": {"type": "string"},
            "variables": _optional(
                _ref("Variables"), "Without it any identifier is read as a variable."
            ),
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
        "required": ["valid", "error", "answer_latex", "answer_mathml", "canonical",
                     "as_typed", "hints"],
        "properties": {
            "valid": {"type": "boolean"},
            "error": _nullable(_ref("AnswerError")),
            "answer_latex": {
                "type": ["string", "null"],
                "description": "The expression the engine built, in LaTeX (canonical form).",
            },
            "answer_mathml": {
                "type": ["string", "null"],
                "description": "The same, as a presentation MathML <math> element.",
            },
            "canonical": {
                "type": ["string", "null"],
                "description": "The answer as the engine read it, in plain syntax: the "
                "engine's canonical form (0.5 is 1/2, e^-s/(1+e^-s)^2 is "
                "exp(-s)/(1 + exp(-s))^2), the same for every way of typing the same "
                "expression.",
            },
            "as_typed": _nullable(_ref("TypedReading")),
            "hints": {
                "type": "array",
                "items": _ref("Hint"),
                "description": "Readings the student may not have meant (e^-2x is e^(-2)·x). "
                "Empty when there is nothing to say or the answer is invalid.",
            },
        },
    },
    "TypedReading": {
        "type": "object",
        "additionalProperties": False,
        "required": ["plain", "latex", "mathml"],
        "description": "The answer in the student's own form (their structure, decimals and "
        "function names), with every implicit reading explicit: implicit products as ·, "
        "divisions as fractions, exponents as superscripts. What GradWork's pages show as "
        "\"we read your answer as\". plain parses back to the same expression.",
        "properties": {
            "plain": {"type": "string", "examples": ["e^(-s)/(1 + e^(-s))^2", "1/(2*x)"]},
            "latex": {"type": "string"},
            "mathml": {"type": "string"},
        },
    },
    "Hint": {
        "type": "object",
        "additionalProperties": False,
        "required": ["code", "message", "position"],
        "properties": {
            "code": {"type": "string", "enum": ["exponent"]},
            "message": {"type": "string"},
            "position": {"type": ["integer", "null"], "minimum": 0},
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
                                "unauthorized",
                                "rate_limited",
                                "busy",
                            }
                        ),
                    },
                    "message": {"type": "string"},
                },
            }
        },
    },
}

# A key is optional: it only raises the rate limit.
SECURITY = [{}, {"apiKey": []}]
SECURITY_SCHEMES = {
    "apiKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "An instructor's API key (created under Account → API keys), for a "
        "higher rate limit. Optional.",
    }
}

REQUEST_ERROR_DESCRIPTION = (
    "The request is malformed: not a JSON object (bad_request), unknown or missing fields "
    "(bad_request), a control character in a string other than the answer (bad_request; "
    "the message names the field), or an invalid expected expression, function, wrt, variables, domain or "
    "tolerance (invalid_expected, invalid_function, invalid_wrt, invalid_variables, "
    "invalid_domain, invalid_tolerance)."
)


RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before retrying.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
}


def _with_headers(response: dict, headers: dict) -> dict:
    return {**response, "headers": headers}


def _error_responses() -> dict:
    """The replies every operation may give besides its own 200 and 400."""
    return {
        "401": _json(_ref("RequestError"), "The Authorization header names an API key that is "
                     "not valid (revoked, mistyped, or its owner is no longer an instructor); "
                     "code unauthorized. Requests without the header need no key."),
        "413": _json(_ref("RequestError"),
                     f"The body is over {MAX_BODY_BYTES // 1024} KiB (payload_too_large)."),
        "429": _with_headers(_json(
            _ref("RequestError"),
            "Past the client's request limit (rate_limited): per API key with a key, else per "
            "logged-in account, else per client address. Retry after Retry-After seconds."),
            RETRY_AFTER),
        "503": _with_headers(_json(
            _ref("RequestError"),
            "Every checker is occupied, so the check could not start (busy): nothing was "
            "decided; retry after Retry-After seconds."), RETRY_AFTER),
    }


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
            **_error_responses(),
        },
        "security": SECURITY,
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
                    "How the engine reads an answer: LaTeX, MathML and canonical plain text, "
                    "and the answer in the student's own form with hints.",
                    "PreviewRequest",
                    "PreviewReply",
                    {"answer": "2x e^-x", "variables": ["x"]},
                )
            },
            "/openapi.json": {
                "get": {
                    "summary": "This document",
                    "responses": {
                        "200": {
                            "description": "The OpenAPI 3.1 document.",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        },
                        "401": _error_responses()["401"],
                        "429": _error_responses()["429"],
                    },
                    "security": SECURITY,
                }
            },
        },
        "components": {"schemas": SCHEMAS, "securitySchemes": SECURITY_SCHEMES},
    }
