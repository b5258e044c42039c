from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Enum, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, UTCDateTime, utcnow
from app.models.user import User


class EnrolmentRole(enum.StrEnum):
    STUDENT = "student"
    INSTRUCTOR = "instructor"


class Course(Base):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # IANA zone used to show due dates; all times are stored in UTC.
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    join_code: Mapped[str] = mapped_column(String(16), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enrolments: Mapped[list[Enrolment]] = relationship(
        back_populates="course", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Course {self.id} {self.title!r}>"


class Enrolment(Base):
    """A user's membership of a course; instructors of a course are enrolments too."""

    __tablename__ = "enrolments"
    __table_args__ = (UniqueConstraint("course_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"),
                                           index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[EnrolmentRole] = mapped_column(
        Enum(EnrolmentRole, name="enrolment_role", native_enum=False, length=20,
             values_callable=lambda roles: [r.value for r in roles],
             create_constraint=True),
        default=EnrolmentRole.STUDENT,
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    course: Mapped[Course] = relationship(back_populates="enrolments")
    user: Mapped[User] = relationship(back_populates="enrolments")
