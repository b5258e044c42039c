"""Instructors' API keys: a higher rate limit on /api/v1 for their own tools.

The key is shown once when created; only its SHA-256 hash is kept (it is 32 random bytes,
so a fast hash is enough), and its first characters, to tell keys apart in the list.
"""

from __future__ import annotations

import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import ApiKey, User
from app.models.base import utcnow
from app.services.errors import NotFound, ServiceError

KEY_PREFIX = "gwk_"
MAX_ACTIVE_KEYS = 10
MAX_NAME_LENGTH = 100


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def keys_of(user: User) -> list[ApiKey]:
    return list(db.session.scalars(
        select(ApiKey).where(ApiKey.user_id == user.id).order_by(ApiKey.created_at.desc())))


def create(user: User, name: str) -> tuple[ApiKey, str]:
    """A new key for `user`: (row, the key itself, to show once)."""
    if not user.is_instructor:
        raise ServiceError(_("Only instructors and admins can create API keys."))
    name = " ".join((name or "").split())
    if not name:
        raise ServiceError(_("Please name the key after the tool that will use it."))
    if len(name) > MAX_NAME_LENGTH:
        raise ServiceError(_("The name must have at most %(max_name_length)s characters.", max_name_length=MAX_NAME_LENGTH))
    if sum(1 for k in keys_of(user) if k.is_active) >= MAX_ACTIVE_KEYS:
        raise ServiceError(_("You have %(max_active_keys)s active keys; revoke one first.", max_active_keys=MAX_ACTIVE_KEYS))
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(user_id=user.id, name=name, prefix=key[:12], key_hash=_hash(key))
    db.session.add(row)
    db.session.flush()
    return row, key


def revoke(user: User, key_id: int) -> ApiKey:
    row = db.session.get(ApiKey, key_id)
    if row is None or row.user_id != user.id:
        raise NotFound(_("There is no such key."))
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        db.session.flush()
    return row


def lookup(key: str) -> ApiKey | None:
    """The active key of an active instructor matching `key`, or None."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    row = db.session.scalar(select(ApiKey).where(ApiKey.key_hash == _hash(key)))
    if row is None or row.revoked_at is not None or not row.user.is_active \
            or not row.user.is_instructor:
        return None
    return row
