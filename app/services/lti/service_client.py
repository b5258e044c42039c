"""Calling a platform's services (AGS, NRPS): OAuth 2 client-credentials tokens obtained with
a JWT client assertion signed by the tool's key, cached per process until shortly before they
expire, and HTTP errors turned into messages that say what the LMS answered."""

from __future__ import annotations

import json
import threading
import time
import uuid

import jwt
import requests

from app.models.lti import LtiPlatform
from app.services.lti import keys

HTTP_TIMEOUT = 15.0
ASSERTION_LIFETIME = 300
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

_lock = threading.Lock()
_tokens: dict[tuple, tuple[float, str]] = {}


class ServiceFailed(Exception):
    """The platform refused or could not be reached; `retryable` says whether trying again
    later may help (network errors, 5xx, 429) or not (other 4xx)."""

    def __init__(self, message: str, *, retryable: bool, status: int | None = None):
        super().__init__(message)
        self.retryable, self.status = retryable, status


def _lms_error(response: requests.Response) -> str:
    text = (response.text or "").strip().replace("\n", " ")
    return f"HTTP {response.status_code}" + (f": {text[:300]}" if text else "")


def _retryable(status: int) -> bool:
    return status >= 500 or status in (408, 425, 429)


def client_assertion(platform: LtiPlatform) -> str:
    key = keys.current_key()
    now = int(time.time())
    claims = {"iss": platform.client_id, "sub": platform.client_id, "aud": platform.token_url,
              "iat": now, "exp": now + ASSERTION_LIFETIME, "jti": uuid.uuid4().hex}
    return jwt.encode(claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid})


def access_token(platform: LtiPlatform, scopes: list[str]) -> str:
    cache_key = (platform.token_url, platform.client_id, tuple(sorted(scopes)))
    with _lock:
        cached = _tokens.get(cache_key)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    data = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": client_assertion(platform), "scope": " ".join(scopes)}
    try:
        response = requests.post(platform.token_url, data=data, timeout=HTTP_TIMEOUT,
                                 headers={"Accept": "application/json"})
    except requests.RequestException as exc:
        raise ServiceFailed(f"token request failed: {exc}", retryable=True) from None
    if response.status_code != 200:
        raise ServiceFailed(f"token request refused: {_lms_error(response)}",
                            retryable=_retryable(response.status_code),
                            status=response.status_code)
    try:
        body = response.json()
        token, lifetime = str(body["access_token"]), int(body.get("expires_in", 3600))
    except (ValueError, KeyError, TypeError):
        raise ServiceFailed("token response is not OAuth 2 JSON", retryable=True) from None
    with _lock:
        _tokens[cache_key] = (time.monotonic() + max(0, lifetime - 60), token)
    return token


def forget_tokens() -> None:
    with _lock:
        _tokens.clear()


def call(platform: LtiPlatform, method: str, url: str, scopes: list[str], *,
         accept: str | None = None, json_body=None, content_type: str | None = None
         ) -> requests.Response:
    """One authorised request; a 401 gets one retry with a fresh token (it may have been
    revoked early). Non-2xx answers raise ServiceFailed with the LMS's words."""
    for attempt in (1, 2):
        headers = {"Authorization": f"Bearer {access_token(platform, scopes)}"}
        if accept:
            headers["Accept"] = accept
        if content_type:
            headers["Content-Type"] = content_type
        try:
            response = requests.request(method, url, headers=headers, timeout=HTTP_TIMEOUT,
                                        data=None if json_body is None else _dumps(json_body))
        except requests.RequestException as exc:
            raise ServiceFailed(f"{method} {url} failed: {exc}", retryable=True) from None
        if response.status_code == 401 and attempt == 1:
            forget_tokens()
            continue
        if not 200 <= response.status_code < 300:
            raise ServiceFailed(f"{method} {url} refused: {_lms_error(response)}",
                                retryable=_retryable(response.status_code),
                                status=response.status_code)
        return response
    raise AssertionError("unreachable")


def _dumps(body) -> bytes:

    if isinstance(body, str):
        return body.encode()  # already serialised (a frozen score payload): sent as stored
    return json.dumps(body, separators=(",", ":"), sort_keys=True).encode()
