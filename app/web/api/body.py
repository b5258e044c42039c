"""Reading a JSON request body with this API's own size limit.

The app-wide MAX_CONTENT_LENGTH is sized for CSV uploads; a check request is at most a few
kilobytes, so the API refuses anything over 64 KiB before decoding it, including chunked
bodies that announce no length.
"""

from __future__ import annotations

import json

from flask import Request

from app.web.hygiene import find_in_json

MAX_BODY_BYTES = 64 * 1024
# What the student typed: the contract answers it with 200 whatever it holds, and the engine
# reports a control character in it as a syntax error with its position.
STUDENT_TEXT = frozenset({"answer"})


class BodyError(Exception):
    """The body cannot be used; carries the HTTP status and the API error object."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def to_dict(self) -> dict[str, object]:
        return {"error": {"code": self.code, "message": self.message}}


def _too_large() -> BodyError:
    return BodyError(
        413, "payload_too_large", f"The request body is larger than {MAX_BODY_BYTES // 1024} KiB."
    )


class _NonStandardJSON(ValueError):
    pass


def _refuse_constant(name: str):
    raise _NonStandardJSON(f"{name} is not a JSON value")


def read_json(request: Request) -> object:
    """The decoded JSON body, or `BodyError` (400 not JSON or a string in it holds a control
    character, 413 too large)."""
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise _too_large()
    if not request.is_json:
        raise BodyError(
            400, "bad_request", "Send the request body as JSON (Content-Type: application/json)."
        )
    data = request.stream.read(MAX_BODY_BYTES + 1)
    if len(data) > MAX_BODY_BYTES:
        raise _too_large()
    try:
        # NaN and Infinity are Python extensions, not JSON; refusing them here keeps every
        # number the service sees finite.
        payload = json.loads(data, parse_constant=_refuse_constant)
    except (ValueError, RecursionError) as exc:
        # ValueError covers bad syntax, bad UTF-8 and integers too long to convert.
        if isinstance(exc, json.JSONDecodeError):
            detail = f"{exc.msg} (line {exc.lineno}, column {exc.colno})"
        elif isinstance(exc, UnicodeDecodeError):
            detail = "it is not UTF-8 text"
        elif isinstance(exc, RecursionError):
            detail = "it is nested too deeply"
        elif isinstance(exc, _NonStandardJSON):
            detail = str(exc)
        else:
            detail = "a number in it has too many digits"
        raise BodyError(
            400, "bad_request", f"The request body is not usable JSON: {detail}."
        ) from None
    problem = find_in_json(payload, STUDENT_TEXT)
    if problem is not None:
        raise BodyError(400, "bad_request", problem.message)
    return payload
