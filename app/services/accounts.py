"""Accounts: creating users, checking passwords, and throttling password guessing."""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import delete, func, select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import LoginAttempt, Role, User
from app.models.base import utcnow
from app.services.errors import Conflict, ServiceError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
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


def normalize_email(raw: str) -> str:
    try:
        checked = validate_email(raw.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ServiceError(f"That email address is not valid: {exc}") from None
    return checked.normalized.lower()


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ServiceError(f"The password must have at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ServiceError(f"The password must have at most {MAX_PASSWORD_LENGTH} characters.")


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(User.email == email.strip().lower()))


def create_user(email: str, display_name: str, password: str,
                role: Role = Role.STUDENT) -> User:
    email = normalize_email(email)
    display_name = display_name.strip()
    if not display_name:
        raise ServiceError("Please give a display name.")
    if len(display_name) > 100:
        raise ServiceError("The display name must have at most 100 characters.")
    check_password_rules(password)
    if find_user_by_email(email) is not None:
        raise Conflict("An account with this email already exists.")
    user = User(email=email, display_name=display_name,
                password_hash=generate_password_hash(password), role=role)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, new_password: str) -> None:
    check_password_rules(new_password)
    user.password_hash = generate_password_hash(new_password)
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash, current_password):
        raise ServiceError("The current password is not right.")
    set_password(user, new_password)


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
