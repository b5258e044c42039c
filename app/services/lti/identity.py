"""LMS users as GradWork accounts: one account per (issuer, sub), created on first sight.

An LMS asserts names and emails, but an email it sends is never used to take over an
existing GradWork account (any LMS admin could claim anyone's address): when the address is
already taken, or missing, the new account gets a placeholder address that cannot receive
mail, and keeps its link to the LMS identity only.
"""

from __future__ import annotations

import hashlib
import secrets

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from app.extensions import db
from app.models import Role, User
from app.models.lti import LtiIdentity
from app.services.accounts.users import find_user_by_email
from app.services.lti.claims import LtiRole


def _display_name(claims: dict, sub: str) -> str:
    name = claims.get("name")
    if not isinstance(name, str) or not name.strip():
        parts = [claims.get(k) for k in ("given_name", "family_name")]
        name = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
    return (name or f"LMS user {sub[:12]}").strip()[:100]


def _email(claims: dict, issuer: str, sub: str) -> str:
    raw = claims.get("email")
    if isinstance(raw, str) and raw.strip():
        try:
            email = validate_email(raw.strip(), check_deliverability=False).normalized.lower()
        except EmailNotValidError:
            email = None
        if email and len(email) <= 254 and find_user_by_email(email) is None:
            return email
    digest = hashlib.sha256(f"{issuer}\n{sub}".encode()).hexdigest()[:20]
    return f"lti-{digest}@lms.invalid"


def find_user(issuer: str, sub: str) -> User | None:
    return db.session.scalar(select(User).join(LtiIdentity, LtiIdentity.user_id == User.id)
                             .where(LtiIdentity.issuer == issuer, LtiIdentity.sub == sub))


def user_for(issuer: str, sub: str, claims: dict, role: LtiRole) -> User:
    """The account of this LMS user, created or refreshed from the claims."""
    user = find_user(issuer, sub)
    if user is None:
        user = User(email=_email(claims, issuer, sub), display_name=_display_name(claims, sub),
                    # Nobody knows this password: LMS accounts log in through launches only.
                    password_hash=generate_password_hash(secrets.token_urlsafe(32)),
                    role=Role.INSTRUCTOR if role == LtiRole.INSTRUCTOR else Role.STUDENT)
        db.session.add(user)
        db.session.flush()
        db.session.add(LtiIdentity(issuer=issuer, sub=sub, user_id=user.id))
        db.session.flush()
        return user
    name = _display_name(claims, sub)
    if claims.get("name") or claims.get("given_name"):
        user.display_name = name
    if role == LtiRole.INSTRUCTOR and user.role == Role.STUDENT:
        user.role = Role.INSTRUCTOR
    db.session.flush()
    return user


def sub_of(issuer: str, user_id: int) -> str | None:
    return db.session.scalar(select(LtiIdentity.sub).where(LtiIdentity.issuer == issuer,
                                                           LtiIdentity.user_id == user_id))
