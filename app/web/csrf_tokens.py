"""The CSRF token a page's forms carry: Flask-WTF's, good for as long as the session is.

Flask-WTF signs the session's secret token with a timestamp and, by default, refuses a
token over an hour old. A student who reads a problem for an hour, or leaves an assignment
open over lunch, would lose the answer they typed to "the form expired". A logged-in
session already ends by its own limits (idle, lifetime, revocation: `sessions`), logging in
and out start a new one, and its secret token goes with it; a visitor's session lasts as
long as its cookie (PERMANENT_SESSION_LIFETIME). So the token needs no clock of its own:
`WTF_CSRF_TIME_LIMIT` is None. Given one in create_app's configuration, tokens are signed
as they are sent and expire as Flask-WTF's do.

With no clock, every signature of a session's secret is as good as another, so a page
need not sign it afresh: Flask-WTF signs once per request (a serializer built, a JSON dump,
an HMAC: about a twentieth of a graded answer's page), this signs once per session and web
process, and reuses the signature. Checking a posted token stays Flask-WTF's own.
"""

from __future__ import annotations

import threading

from cachetools import LRUCache
from flask import Flask, current_app, g, session
from flask_wtf.csrf import generate_csrf

FIELD = "csrf_token"


class SignedTokens:
    """Signatures made by this process, by (signing key, session secret)."""

    def __init__(self, size: int = 4096):
        self._cache: LRUCache = LRUCache(size)
        self._lock = threading.Lock()

    def __call__(self) -> str:
        config = current_app.config
        field = config.get("WTF_CSRF_FIELD_NAME") or FIELD
        if config.get("WTF_CSRF_TIME_LIMIT") is not None:
            return generate_csrf()  # a token with a clock is signed when it is sent
        # Where Flask-WTF keeps this request's token (a form of its own may have signed it).
        signed = g.get(field)
        if signed:
            return signed
        key = config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key
        secret = session.get(field)
        if isinstance(secret, str):
            with self._lock:
                signed = self._cache.get((key, secret))
            if signed is not None:
                setattr(g, field, signed)  # the page's Flask-WTF forms carry it too
                return signed
        signed = generate_csrf()
        with self._lock:
            self._cache[(key, session[field])] = signed
        return signed


def register(app: Flask) -> None:
    """After `CSRFProtect.init_app`, which installs Flask-WTF's own `csrf_token` as a global
    and by a context processor: this one's processor runs after it and wins."""
    tokens = SignedTokens()
    app.jinja_env.globals["csrf_token"] = tokens
    app.context_processor(lambda: {"csrf_token": tokens})
