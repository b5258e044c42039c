"""Courses and enrolment basics shared by the demo seed and the instructor pages."""

from __future__ import annotations

import secrets
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Course, Enrolment, EnrolmentRole, User
from app.services.accounts.users import find_user_by_email
from app.services.errors import Conflict, NotFound, ServiceError

# No 0/O or 1/I/L: join codes are read aloud and copied from slides.
_JOIN_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_join_code(length: int = 8) -> str:
    while True:
        code = "".join(secrets.choice(_JOIN_ALPHABET) for _index in range(length))
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


# --- Course access and membership (issue 6) ---------------------------------------------------

MAX_TITLE_LENGTH = 200


def check_timezone(name: str) -> str:

    name = (name or "").strip()
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ServiceError(_("“%(name)s” is not a time zone name such as Europe/Paris.", name=name[:64])) \
            from None
    return name


def new_course(title: str, instructor: User, timezone: str) -> Course:
    """Create a course from form input, checking what `create_course` takes on trust."""
    title = (title or "").strip()
    if not title:
        raise ServiceError(_("Please give the course a title."))
    if len(title) > MAX_TITLE_LENGTH:
        raise ServiceError(_("The title must have at most %(max_title_length)s characters.", max_title_length=MAX_TITLE_LENGTH))
    return create_course(title, instructor, check_timezone(timezone))


def is_course_instructor(course: Course, user: User) -> bool:
    if user.is_admin:
        return True
    enrolment = find_enrolment(course, user)
    return enrolment is not None and enrolment.role == EnrolmentRole.INSTRUCTOR


def is_course_student(course: Course, user: User) -> bool:
    enrolment = find_enrolment(course, user)
    return enrolment is not None and enrolment.role == EnrolmentRole.STUDENT


def course_for_instructor(course_id: int, user: User) -> Course:
    """The course, if `user` teaches it. Anything else is NotFound, so a stranger cannot tell
    a course they may not see from one that does not exist."""
    course = db.session.get(Course, course_id)
    if course is None or not is_course_instructor(course, user):
        raise NotFound(_("No such course."))
    return course


def course_for_student(course_id: int, user: User) -> Course:
    course = db.session.get(Course, course_id)
    if course is None or not is_course_student(course, user):
        raise NotFound(_("No such course."))
    return course


def courses_of(user: User, role: EnrolmentRole) -> list[Course]:
    return list(db.session.scalars(
        select(Course).join(Enrolment)
        .where(Enrolment.user_id == user.id, Enrolment.role == role)
        .order_by(Course.created_at.desc(), Course.id.desc())))


def members(course: Course, role: EnrolmentRole) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Enrolment)
        .where(Enrolment.course_id == course.id, Enrolment.role == role)
        .order_by(User.display_name, User.email)))


def join_with_code(user: User, code: str) -> Course:
    code = (code or "").strip().upper().replace(" ", "").replace("-", "")
    course = db.session.scalar(select(Course).where(Course.join_code == code)) if code else None
    if course is None:
        raise NotFound(_("No course has this join code. Check it with your instructor."))
    existing = find_enrolment(course, user)
    if existing is not None and existing.role == EnrolmentRole.INSTRUCTOR:
        raise Conflict(_("You already teach this course."))
    enrol(course, user, EnrolmentRole.STUDENT)
    return course


def regenerate_join_code(course: Course) -> str:
    """A new code; the old one stops working at once (for a code that leaked)."""
    course.join_code = new_join_code()
    db.session.flush()
    return course.join_code


def add_instructor(course: Course, email: str) -> User:

    user = find_user_by_email(email or "")
    if user is None:
        raise NotFound(_("There is no account with this email."))
    if not user.is_instructor:
        raise ServiceError(_("Only instructor accounts can teach a course; ask an admin to change this "
                              "account's role first."))
    existing = find_enrolment(course, user)
    if existing is not None:
        if existing.role == EnrolmentRole.INSTRUCTOR:
            raise Conflict(_("%(email)s already teaches this course.", email=user.email))
        # A student cannot keep their submissions visible to themselves while grading others.
        raise Conflict(_("%(email)s is enrolled as a student; remove them first.", email=user.email))
    enrol(course, user, EnrolmentRole.INSTRUCTOR)
    return user


def remove_member(course: Course, user_id: int) -> None:
    enrolment = db.session.scalar(select(Enrolment).where(
        Enrolment.course_id == course.id, Enrolment.user_id == user_id))
    if enrolment is None:
        raise NotFound(_("This person is not in the course."))
    if enrolment.role == EnrolmentRole.INSTRUCTOR \
            and len(members(course, EnrolmentRole.INSTRUCTOR)) <= 1:
        raise Conflict(_("A course needs at least one instructor."))
    db.session.delete(enrolment)
    db.session.flush()
