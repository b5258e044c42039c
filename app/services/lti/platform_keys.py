"""Platforms' public keys, fetched from their JWKS URL and cached per process.

A token whose `kid` the cached set lacks triggers one refetch (the platform may have rotated),
but at most every `REFETCH_PAUSE` seconds per URL, so a flood of made-up kids cannot turn the
tool into a request amplifier against the platform.
"""

from __future__ import annotations

import threading
import time

import jwt
import requests

CACHE_SECONDS = 600.0
REFETCH_PAUSE = 10.0
HTTP_TIMEOUT = 10.0

_lock = threading.Lock()
_cache: dict[str, tuple[float, jwt.PyJWKSet]] = {}


class KeyUnavailable(Exception):
    """No key verifies this token: the set could not be fetched or lacks the kid."""


def _fetch(url: str) -> jwt.PyJWKSet:
    try:
        response = requests.get(url, timeout=HTTP_TIMEOUT,
                                headers={"Accept": "application/json"})
        response.raise_for_status()
        return jwt.PyJWKSet.from_dict(response.json())
    except (requests.RequestException, ValueError, jwt.PyJWTError) as exc:
        raise KeyUnavailable(f"the platform's key set at {url} could not be read ({exc})") \
            from None


def _cached(url: str, *, refresh: bool) -> jwt.PyJWKSet:
    now = time.monotonic()
    with _lock:
        entry = _cache.get(url)
    if entry is not None:
        fetched, keyset = entry
        fresh = now - fetched < CACHE_SECONDS
        if fresh and (not refresh or now - fetched < REFETCH_PAUSE):
            return keyset
    keyset = _fetch(url)
    with _lock:
        _cache[url] = (time.monotonic(), keyset)
    return keyset


def _match(keyset: jwt.PyJWKSet, kid: str | None):
    keys = [k for k in keyset.keys if k.public_key_use in (None, "sig")]
    if kid is None:
        return keys[0] if len(keys) == 1 else None
    return next((k for k in keys if k.key_id == kid), None)


def signing_key(jwks_url: str, kid: str | None):
    """The platform's key for `kid` (a PyJWK), refetching the set once when it is unknown."""
    key = _match(_cached(jwks_url, refresh=False), kid)
    if key is None:
        key = _match(_cached(jwks_url, refresh=True), kid)
    if key is None:
        raise KeyUnavailable(f"the platform's key set has no key with kid {kid!r}")
    return key


def forget(jwks_url: str | None = None) -> None:
    with _lock:
        if jwks_url is None:
            _cache.clear()
        else:
            _cache.pop(jwks_url, None)
