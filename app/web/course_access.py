"""Loading a course (and assignment) for the current user, or 404.

A course the user does not belong to answers 404, not 403, so course ids reveal nothing."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.models import Course
from app.models.assignment import Assignment
from app.services.assignments import builder
from app.services.courses import membership
from app.services.errors import NotFound


def instructor_course(course_id: int) -> Course:
    try:
        return membership.course_for_instructor(course_id, current_user)
    except NotFound:
        abort(404)


def student_course(course_id: int) -> Course:
    try:
        return membership.course_for_student(course_id, current_user)
    except NotFound:
        abort(404)


def instructor_assignment(course_id: int, assignment_id: int) -> tuple[Course, Assignment]:
    course = instructor_course(course_id)
    try:
        return course, builder.get_assignment(course, assignment_id)
    except NotFound:
        abort(404)


def student_assignment(course_id: int, assignment_id: int) -> tuple[Course, Assignment]:
    course = student_course(course_id)
    try:
        assignment = builder.get_assignment(course, assignment_id)
    except NotFound:
        abort(404)
    if not assignment.is_published:
        abort(404)
    return course, assignment
