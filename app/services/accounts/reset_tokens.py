"""Password reset links: random, single use, valid for a limited time, stored as hashes.

Asking for a link answers the same whether or not the email has an account; a few links per
account per hour at most, so the form cannot be used to flood someone's inbox.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.extensions import db
from app.models import PasswordResetToken, User
from app.models.base import utcnow
from app.services.accounts.users import find_user_by_email, set_password
from app.services.errors import ServiceError

MAX_LINKS_PER_HOUR = 3


class InvalidResetLink(ServiceError):
    def __init__(self):
        super().__init__(_("This password reset link is not valid any more: it was used already, has "
                            "expired, or a newer one was sent. Ask for a new link."))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def issue(email: str, lifetime: timedelta) -> tuple[User, str] | None:
    """A new token for the account of `email`: (user, token), or None when there is no
    active account or it has had enough links this hour. The caller sends the link."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return None
    now = utcnow()
    recent = db.session.scalar(select(func.count()).select_from(PasswordResetToken).where(
        PasswordResetToken.user_id == user.id,
        PasswordResetToken.created_at > now - timedelta(hours=1)))
    if recent >= MAX_LINKS_PER_HOUR:
        return None
    token = secrets.token_urlsafe(32)
    db.session.add(PasswordResetToken(user_id=user.id, token_hash=_hash(token),
                                      created_at=now, expires_at=now + lifetime))
    db.session.flush()
    return user, token


def _live(token: str) -> PasswordResetToken:
    row = db.session.scalar(select(PasswordResetToken).where(
        PasswordResetToken.token_hash == _hash(token)))
    if row is None or row.used_at is not None or row.expires_at <= utcnow() \
            or not row.user.is_active:
        raise InvalidResetLink()
    return row


def user_for(token: str) -> User:
    """The account a still-valid link belongs to (InvalidResetLink otherwise)."""
    return _live(token).user


def redeem(token: str, new_password: str) -> User:
    """Set the new password; this link and every other open link of the account stop
    working, and so does every session of the account."""
    row = _live(token)
    set_password(row.user, new_password)
    db.session.execute(update(PasswordResetToken).where(
        PasswordResetToken.user_id == row.user_id,
        PasswordResetToken.used_at.is_(None)).values(used_at=utcnow()))
    db.session.flush()
    return row.user
