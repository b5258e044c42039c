from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, UTCDateTime, utcnow


class LoginAttempt(Base):
    """A failed login, kept briefly to slow down password guessing.

    Kept in the database rather than in process memory so the limit holds across gunicorn
    workers and restarts. `account_key` is a hash of the typed email, so attempts on
    addresses that have no account are counted the same way (and are not stored in clear).
    """

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_account_key_created_at", "account_key", "created_at"),
        Index("ix_login_attempts_remote_addr_created_at", "remote_addr", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_key: Mapped[str] = mapped_column(String(64))
    remote_addr: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
