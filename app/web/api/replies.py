"""The contract's replies (section 3): a decoded request body to an HTTP status, JSON body and
headers.

Validation happens here in the web process, so a malformed request is refused (400) before
any work is queued; the check itself runs in the checker's worker pool. A check that could
not start because every worker was occupied is 503 ``busy`` with ``Retry-After``: nothing
was decided, and the client tries again.
"""

from __future__ import annotations

from typing import NamedTuple

from app.checker.client import Checker, CheckerBusy
from app.checker.requests import CheckRequestError, parse_check_request, parse_preview_request


class Reply(NamedTuple):
    status: int
    body: dict
    headers: dict[str, str]


def _busy(exc: CheckerBusy) -> Reply:
    return Reply(503, {"error": {"code": "busy", "message": str(exc)}},
                 {"Retry-After": str(exc.retry_after)})


def check_reply(checker: Checker, payload: object, timeout: float | None = None) -> Reply:
    """POST /api/v1/check."""
    try:
        spec = parse_check_request(payload)
        return Reply(200, checker.check(spec, timeout=timeout).to_dict(), {})
    except CheckRequestError as exc:
        return Reply(400, exc.to_dict(), {})
    except CheckerBusy as exc:
        return _busy(exc)


def preview_reply(checker: Checker, payload: object, timeout: float | None = None) -> Reply:
    """POST /api/v1/preview."""
    try:
        answer, variables = parse_preview_request(payload)
        return Reply(200, checker.preview(answer, variables, timeout=timeout).to_dict(), {})
    except CheckRequestError as exc:
        return Reply(400, exc.to_dict(), {})
    except CheckerBusy as exc:
        return _busy(exc)
