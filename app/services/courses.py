"""Courses and enrolment basics shared by the demo seed and the instructor pages."""

from __future__ import annotations

import secrets

from sqlalchemy import select

from app.extensions import db
from app.models import Course, Enrolment, EnrolmentRole, User

# No 0/O or 1/I/L: join codes are read aloud and copied from slides.
_JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_join_code(length: int = 8) -> str:
    while True:
        code = "".join(secrets.choice(_JOIN_ALPHABET) for _ in range(length))
        if db.session.scalar(select(Course.id).where(Course.join_code == code)) is None:
            return code


def create_course(title: str, instructor: User, timezone: str = "UTC") -> Course:
    course = Course(title=title.strip(), timezone=timezone, join_code=new_join_code())
    db.session.add(course)
    db.session.flush()
    enrol(course, instructor, EnrolmentRole.INSTRUCTOR)
    return course


def find_enrolment(course: Course, user: User) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id == user.id))


def enrol(course: Course, user: User, role: EnrolmentRole = EnrolmentRole.STUDENT) -> Enrolment:
    """Idempotent: an existing enrolment is returned unchanged."""
    existing = find_enrolment(course, user)
    if existing is not None:
        return existing
    enrolment = Enrolment(course_id=course.id, user_id=user.id, role=role)
    db.session.add(enrolment)
    db.session.flush()
    return enrolment
