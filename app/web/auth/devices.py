"""The "known device" cookie: a browser that logged in to an account before is not held back
by the address-wide login throttle, only by its own (account, address) count.

So a classroom behind one NAT address keeps logging in while someone there sprays guesses at
many accounts. The cookie is signed, names accounts only by the throttle's hash of the email,
and lists at most a few accounts per browser.
"""

from __future__ import annotations

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "gw_known_device"
MAX_AGE_DAYS = 180
MAX_ACCOUNTS = 5


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="known-device")


def _keys() -> list[str]:
    raw = request.cookies.get(COOKIE)
    if not raw:
        return []
    try:
        keys = _serializer().loads(raw, max_age=MAX_AGE_DAYS * 86400)
    except BadSignature:
        return []
    return [k for k in keys if isinstance(k, str)] if isinstance(keys, list) else []


def is_known(account_key: str) -> bool:
    return account_key in _keys()


def remember(response: Response, account_key: str) -> None:
    keys = [account_key, *[k for k in _keys() if k != account_key]][:MAX_ACCOUNTS]
    response.set_cookie(COOKIE, _serializer().dumps(keys), max_age=MAX_AGE_DAYS * 86400,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True,
                        samesite="Lax", path="/auth/")
