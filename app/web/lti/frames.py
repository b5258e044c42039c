"""Sessions that live inside an LMS iframe.

A session started by an LTI launch is marked (`session["lti"]`), and only such a session's
cookie is sent `SameSite=None; Secure`, so the browser keeps sending it inside the LMS's
frame; every other session keeps the app-wide `SameSite=Lax`. CSRF still holds: the token is
in the session and every form carries it. Pages of a marked session may be framed by the
launching platform's origins (CSP frame-ancestors), and by nobody else.
"""

from __future__ import annotations

import re

from flask import Flask, g, session
from flask.sessions import SessionInterface

from app.web.lti import bp

SESSION_KEY = "lti"
STATE_COOKIE_PREFIX = "gw_lti_state_"
_ORIGIN = re.compile(r"https?://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?")


def clean_origins(candidates) -> list[str]:
    """Origins safe to put in a CSP header (nothing that could end the directive)."""
    seen: list[str] = []
    for origin in candidates:
        if isinstance(origin, str) and _ORIGIN.fullmatch(origin) and origin not in seen:
            seen.append(origin)
    return seen[:10]


def cross_site_cookie(header: str) -> str:
    parts = [p for p in header.split("; ") if p.split("=")[0].lower() not in
             {"samesite", "secure", "partitioned"}]
    return "; ".join([*parts, "Secure", "SameSite=None", "Partitioned"])


class LtiSessionInterface(SessionInterface):
    """Wraps the app's session interface; rewrites only a marked session's cookie."""

    def __init__(self, inner: SessionInterface):
        self.inner = inner

    def open_session(self, app, request):
        return self.inner.open_session(app, request)

    def make_null_session(self, app):
        return self.inner.make_null_session(app)

    def is_null_session(self, obj) -> bool:
        return self.inner.is_null_session(obj)

    def save_session(self, app, session, response) -> None:
        self.inner.save_session(app, session, response)
        if not session.get(SESSION_KEY):
            return
        name = app.config["SESSION_COOKIE_NAME"]
        headers = response.headers.getlist("Set-Cookie")
        if not any(h.startswith(name + "=") for h in headers):
            return
        response.headers.remove("Set-Cookie")
        for header in headers:
            response.headers.add("Set-Cookie", cross_site_cookie(header)
                                 if header.startswith(name + "=") else header)


@bp.record_once
def _install(state) -> None:
    app: Flask = state.app
    if not isinstance(app.session_interface, LtiSessionInterface):
        app.session_interface = LtiSessionInterface(app.session_interface)


@bp.before_app_request
def _frame_ancestors() -> None:
    marked = session.get(SESSION_KEY)
    if isinstance(marked, dict) and marked.get("origins"):
        g.frame_ancestors = clean_origins(marked["origins"])
