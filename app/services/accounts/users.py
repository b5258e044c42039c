"""Accounts: creating users, their email addresses and passwords."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from app.extensions import db
from app.models import Role, User
from app.services.errors import Conflict, ServiceError

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256


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
