from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Enum, String, Text, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.models.course import Enrolment


class Role(enum.StrEnum):
    STUDENT = "student"
    INSTRUCTOR = "instructor"
    ADMIN = "admin"


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-cased by the accounts service, so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(100))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(
        Enum(Role, name="user_role", native_enum=False, length=20,
             values_callable=lambda roles: [r.value for r in roles],
             create_constraint=True),
        default=Role.STUDENT,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # A deactivated account cannot log in, and its sessions end (app.services.accounts.sessions).
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Bumped to end every session of the account at once; see app.services.accounts.sessions.
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")
    # "sid:expiry" entries of sessions that logged out, refused until they would have expired.
    revoked_sessions: Mapped[str] = mapped_column(Text, default="", server_default="")
    # Answers entered with the visual formula editor instead of the text box (Account page).
    formula_editor: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The pages' language ("en", "zh_Hans"); None follows the browser's Accept-Language.
    language: Mapped[str | None] = mapped_column(String(16), nullable=True)

    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses to log in an inactive user
        return bool(self.active)

    @property
    def is_instructor(self) -> bool:
        return self.role in (Role.INSTRUCTOR, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email} {self.role.value}>"
