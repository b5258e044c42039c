"""The contract's replies (section 3): a decoded request body to an HTTP status and JSON body.

Validation happens here in the web process, so a malformed request is refused (400) before
any work is queued; the check itself runs in the checker's worker pool.
"""

from __future__ import annotations

from app.checker.client import Checker
from app.checker.requests import CheckRequestError, parse_check_request, parse_preview_request


def check_reply(checker: Checker, payload: object,
                timeout: float | None = None) -> tuple[int, dict]:
    """POST /api/v1/check: ``(status, body)``."""
    try:
        spec = parse_check_request(payload)
        return 200, checker.check(spec, timeout=timeout).to_dict()
    except CheckRequestError as exc:
        return 400, exc.to_dict()


def preview_reply(checker: Checker, payload: object,
                  timeout: float | None = None) -> tuple[int, dict]:
    """POST /api/v1/preview: ``(status, body)``."""
    try:
        answer, variables = parse_preview_request(payload)
    except CheckRequestError as exc:
        return 400, exc.to_dict()
    return 200, checker.preview(answer, variables, timeout=timeout).to_dict()
