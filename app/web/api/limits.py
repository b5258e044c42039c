"""Rate limits of /api/v1/* (Flask-Limiter), so anonymous callers cannot crowd the checking
pool that also grades students' submissions.

Who is counted: the caller's API key when the request carries a valid one
(`Authorization: Bearer gwk_...`, limit GRADWORK_API_KEY_RATE_LIMIT), otherwise the logged-in
account (the live preview of a class behind one NAT address), otherwise the client address
(after ProxyFix, so behind trusted proxies it is the real client's), both at
GRADWORK_API_RATE_LIMIT. /check and /preview share one budget. Counters live in Redis when
GRADWORK_REDIS_URL is set, so every app server shares them, and in process memory otherwise;
if Redis goes away the limiter falls back to memory rather than failing requests.

Only the API blueprint is limited: the practice and assignment pages grade through the
service directly and keep working while the API answers 429. The limiter's hooks run for the
API blueprint's requests only (`_api_only`), so a limit put on a page elsewhere would never
apply: the login throttle, for one, is the database's (app.services.accounts).
"""

from __future__ import annotations

import math
import time
from functools import partial, wraps

from flask import Flask, current_app, g, jsonify, request, session
from flask_limiter import Limiter, RateLimitExceeded
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized

from app.services.accounts import api_keys

EXTENSION = "gradwork_limiter"
SCOPE = "api-v1"
BEARER = "bearer "


def _unauthorized(message: str) -> Unauthorized:
    return Unauthorized(message, www_authenticate=WWWAuthenticate("bearer", {"realm": "api"}))


def _api_key_from_header() -> str | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    if not header.lower().startswith(BEARER):
        raise _unauthorized('The Authorization header must be "Bearer <API key>".')
    return header[len(BEARER):].strip()


def _resolve_api_key() -> None:
    """Before the limiter: a request naming a key must name a valid one (401 otherwise), so a
    revoked key fails loudly instead of silently getting the anonymous limit."""
    if request.blueprint != "api":
        return
    key = _api_key_from_header()
    if key is None:
        return
    row = api_keys.lookup(key)
    if row is None:
        raise _unauthorized("This API key is not valid: it was revoked, mistyped, or its "
                            "owner is no longer an instructor.")
    g.api_key_id = row.id


def _session_user() -> str | None:
    # The signed cookie's user id, without loading the user (no query per preview): a cookie
    # whose session has since ended still only ever counts against that one account.
    user_id = session.get("_user_id")
    return user_id if isinstance(user_id, str) and user_id.isdigit() else None


def client_identity() -> str:
    key_id = g.get("api_key_id")
    if key_id is not None:
        return f"key:{key_id}"
    user_id = _session_user()
    if user_id is not None:
        return f"user:{user_id}"
    return f"addr:{request.remote_addr or 'unknown'}"


def _outside_the_api() -> bool:
    return request.blueprint != "api"


def _bound_to(hook, limiter: Limiter) -> bool:
    if isinstance(hook, partial):
        return bool(hook.args) and hook.args[0] is limiter
    return getattr(hook, "__self__", None) is limiter


def _for_the_api(hook, blueprint: str):
    """`hook`, run only for a request of `blueprint`'s."""
    @wraps(hook)
    def hooked(*args):
        if request.blueprint == blueprint:
            return hook(*args)
        return args[0] if args else None  # an after-request hook hands the response on

    hooked.limiter_hook = hook  # type: ignore[attr-defined]
    return hooked


def _api_only(app: Flask, limiter: Limiter, blueprint: str) -> None:
    """The limiter's request hooks, each where it was among the app's, run for the API
    blueprint's requests alone.

    Flask-Limiter hooks every request; even one its filter lets through costs it the view's
    limits resolved, an empty evaluation, a context made and reset: a thirtieth of a graded
    page. In place, so the API's order stays as Flask-Limiter made it (the key resolved, the
    limit counted, then the app's later checks). Should a later Flask-Limiter hook in some
    other way, nothing is wrapped and the filter still skips pages."""
    for registry in (app.before_request_funcs, app.after_request_funcs,
                     app.teardown_request_funcs):
        hooks = registry.get(None, [])
        registry[None] = [_for_the_api(hook, blueprint) if _bound_to(hook, limiter) else hook
                          for hook in hooks]


def _limit_value() -> str:
    config = current_app.config
    return config["API_KEY_RATE_LIMIT"] if g.get("api_key_id") else config["API_RATE_LIMIT"]


def _rate_limited(error: RateLimitExceeded):
    limiter: Limiter = current_app.extensions[EXTENSION]
    current = limiter.current_limit
    reset_at = current.reset_at if current is not None else time.time() + 1
    retry = max(1, math.ceil(reset_at - time.time()))
    who = "API key" if g.get("api_key_id") else (
        "account" if _session_user() is not None else "address")
    body = {"error": {"code": "rate_limited",
                      "message": f"Too many requests: this {who} may send {error.description} "
                                 f"to the API. Retry in {retry} second{'s' if retry != 1 else ''}."}}
    response = jsonify(body)
    response.status_code = 429
    response.headers["Retry-After"] = str(retry)
    return response


def init_app(app: Flask) -> None:
    """Attach a limiter to `app` (one per app, so test apps never share counters)."""
    from app.web.api import bp

    app.before_request(_resolve_api_key)  # before the limiter's own hook, registered below
    limiter = Limiter(
        client_identity,
        storage_uri=app.config.get("REDIS_URL") or "memory://",
        strategy="sliding-window-counter",
        key_prefix="gradwork",
        headers_enabled=True,
        swallow_errors=True,
        in_memory_fallback_enabled=True,
    )
    limiter.shared_limit(_limit_value, scope=SCOPE)(bp)
    limiter.request_filter(_outside_the_api)
    limiter.init_app(app)
    _api_only(app, limiter, bp.name)
    app.extensions[EXTENSION] = limiter
    app.register_error_handler(RateLimitExceeded, _rate_limited)
