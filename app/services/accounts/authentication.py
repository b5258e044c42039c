"""Authentication: checking a password, and throttling password guessing."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, timedelta

from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import LoginAttempt, User
from app.models.base import utcnow
from app.services.accounts.users import find_user_by_email
from app.services.errors import ServiceError

# Checked against when the email is unknown, so a wrong email costs the same time as a wrong
# password and response timing does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")


class LoginThrottled(ServiceError):
    def __init__(self, retry_after_minutes: int):
        super().__init__(
            "Too many failed login attempts. Try again in "
            f"{retry_after_minutes} minute{'s' if retry_after_minutes != 1 else ''}."
        )
        self.retry_after_minutes = retry_after_minutes


class InvalidCredentials(ServiceError):
    def __init__(self):
        super().__init__("Wrong email or password.")


@dataclass(frozen=True)
class Throttle:
    max_failures: int
    window: timedelta

    @property
    def max_failures_per_address(self) -> int:
        # One address may serve a whole classroom behind NAT: allow more there.
        return self.max_failures * 4


def _account_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def _retry_after(oldest, window: timedelta) -> int:
    remaining = (oldest + window - utcnow()).total_seconds()
    return max(1, math.ceil(remaining / 60))


def _check_throttle(key: str, remote_addr: str, throttle: Throttle) -> None:
    since = utcnow() - throttle.window
    for column, value, limit in (
        (LoginAttempt.account_key, key, throttle.max_failures),
        (LoginAttempt.remote_addr, remote_addr, throttle.max_failures_per_address),
    ):
        count, oldest = db.session.execute(
            select(func.count(), func.min(LoginAttempt.created_at))
            .where(column == value, LoginAttempt.created_at > since)
        ).one()
        if count >= limit:
            if oldest.tzinfo is None:  # SQLite aggregates bypass the column type
                oldest = oldest.replace(tzinfo=UTC)
            raise LoginThrottled(_retry_after(oldest, throttle.window))


def authenticate(email: str, password: str, remote_addr: str, throttle: Throttle) -> User:
    """Return the user, or raise InvalidCredentials / LoginThrottled with a message that is the
    same whether or not the email has an account."""
    key = _account_key(email)
    remote_addr = (remote_addr or "unknown")[:64]
    _check_throttle(key, remote_addr, throttle)
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
    elif check_password_hash(user.password_hash, password):
        db.session.execute(delete(LoginAttempt).where(LoginAttempt.account_key == key))
        return user
    db.session.add(LoginAttempt(account_key=key, remote_addr=remote_addr))
    # Old rows only matter inside the window; pruning here keeps the table small.
    db.session.execute(delete(LoginAttempt).where(
        LoginAttempt.created_at < utcnow() - throttle.window))
    db.session.flush()
    raise InvalidCredentials()
