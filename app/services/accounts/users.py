"""Accounts: creating users, their email addresses and passwords, deactivating them."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Role, User
from app.services.accounts import sessions
from app.services.accounts.identity import (
    canonical_email,
    normalize_display_name,
    normalize_email,
)
from app.services.accounts.passwords import (
    MAX_PASSWORD_LENGTH,
    MIN_PASSWORD_LENGTH,
    check_password_rules,
)
from app.services.errors import Conflict, ServiceError

__all__ = [
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "change_password",
    "check_password_rules",
    "create_user",
    "find_user_by_email",
    "normalize_email",
    "set_active",
    "set_password",
]


def find_user_by_email(email: str) -> User | None:
    """The account of a typed address, read as registration stores it (NFKC, lower case)."""
    return db.session.scalar(select(User).where(User.email == canonical_email(email)))


def create_user(email: str, display_name: str, password: str,
                role: Role = Role.STUDENT) -> User:
    email = normalize_email(email)
    display_name = normalize_display_name(display_name)
    check_password_rules(password, email=email, display_name=display_name)
    if find_user_by_email(email) is not None:
        raise Conflict(_("An account with this email already exists."))
    user = User(email=email, display_name=display_name,
                password_hash=generate_password_hash(password), role=role)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, new_password: str) -> None:
    """Set a new password; every session of the account ends (the caller may re-stamp one)."""
    check_password_rules(new_password, email=user.email, display_name=user.display_name)
    user.password_hash = generate_password_hash(new_password)
    sessions.revoke_all(user)
    db.session.flush()


def change_password(user: User, current_password: str, new_password: str) -> None:
    if not check_password_hash(user.password_hash, current_password):
        raise ServiceError(_("The current password is not right."))
    set_password(user, new_password)


def set_active(user: User, active: bool, *, by: User) -> None:
    """Deactivate (every session ends, no login) or reactivate an account."""
    if user.id == by.id and not active:
        raise ServiceError(_("You cannot deactivate your own account."))
    user.active = active
    if not active:
        sessions.revoke_all(user)
    db.session.flush()
