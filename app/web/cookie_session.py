"""Flask's signed-cookie sessions, with the signing serializer made once per set of keys.

Flask builds a new serializer to open the session and another to save it, on every request;
building one asks the JSON serializer to dump an empty dict to learn whether it writes text,
and derives nothing it could not keep. Kept per (key, fallback keys), it answers the same.
"""

from __future__ import annotations

from flask import Flask
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

# A process sees one set of keys, or a few while keys are rotated in tests.
MAX_KEY_SETS = 8


class CookieSessions(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple, URLSafeTimedSerializer] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, tuple(app.config.get("SECRET_KEY_FALLBACKS") or ()))
        found = self._serializers.get(keys)
        if found is None:
            found = super().get_signing_serializer(app)
            if found is None:
                return None
            if len(self._serializers) >= MAX_KEY_SETS:
                self._serializers.clear()
            self._serializers[keys] = found
        return found
