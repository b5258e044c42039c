"""An idempotent demo: one instructor, two students, one course.

The passwords are public by design; never seed a production database.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.models import Course, Role
from app.services import accounts, courses

DEMO_COURSE_TITLE = "Demo: Machine Learning Foundations"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: Role
    password: str


DEMO_ACCOUNTS = (
    DemoAccount("instructor@example.com", "Ada Instructor", Role.INSTRUCTOR, "instructor-demo"),
    DemoAccount("alice@example.com", "Alice Student", Role.STUDENT, "student-demo"),
    DemoAccount("bob@example.com", "Bob Student", Role.STUDENT, "student-demo"),
)


def seed_demo() -> tuple[Course, list[DemoAccount]]:
    users = {}
    for account in DEMO_ACCOUNTS:
        user = accounts.find_user_by_email(account.email)
        if user is None:
            user = accounts.create_user(account.email, account.name, account.password,
                                        account.role)
        users[account.email] = user
    instructor = users[DEMO_ACCOUNTS[0].email]
    course = db.session.scalar(select(Course).where(Course.title == DEMO_COURSE_TITLE))
    if course is None:
        course = courses.create_course(DEMO_COURSE_TITLE, instructor)
    for account in DEMO_ACCOUNTS[1:]:
        courses.enrol(course, users[account.email])
    return course, list(DEMO_ACCOUNTS)
