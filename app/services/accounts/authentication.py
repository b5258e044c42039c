"""Authentication: checking a password, behind the throttle of `throttling`."""

from __future__ import annotations

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from app.models import User
from app.services.accounts import throttling
from app.services.accounts.throttling import LoginThrottled, Throttle
from app.services.accounts.users import find_user_by_email
from app.services.errors import ServiceError

__all__ = ["AccountInactive", "InvalidCredentials", "LoginThrottled", "Throttle", "authenticate"]

# Checked against when the email is unknown, so a wrong email costs the same time as a wrong
# password and response timing does not reveal which accounts exist.
_DUMMY_HASH = generate_password_hash("not-a-real-password-for-timing")


class InvalidCredentials(ServiceError):
    def __init__(self):
        super().__init__(_("Wrong email or password."))


class AccountInactive(ServiceError):
    """Said only after the right password, so it tells nothing to a guesser."""

    def __init__(self):
        super().__init__(_("This account has been deactivated. Ask an administrator to reactivate it."))


def authenticate(email: str, password: str, remote_addr: str | None, throttle: Throttle, *,
                 known_device: bool = False) -> User:
    """Return the user, or raise InvalidCredentials / LoginThrottled with a message that is the
    same whether or not the email has an account."""
    key = throttling.account_key(email)
    throttling.check(key, remote_addr, throttle, known_device=known_device)
    user = find_user_by_email(email)
    if user is None:
        check_password_hash(_DUMMY_HASH, password)
    elif check_password_hash(user.password_hash, password):
        throttling.clear(key, remote_addr)
        if not user.is_active:
            raise AccountInactive()
        return user
    throttling.record_failure(key, remote_addr, throttle)
    raise InvalidCredentials()
