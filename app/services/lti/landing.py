"""Where a validated launch takes its user: the linked course, the assignment a resource link
names, or the page that first links the LMS course or places an assignment."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Course, User
from app.models.assignment import Assignment
from app.models.lti import LtiContext, LtiPlatform, LtiResourceLink
from app.services.lti import claims, contexts
from app.services.lti.claims import LtiRole
from app.services.lti.launch import Launch, LaunchRefused

ASSIGNMENT_PARAM = "gradwork_assignment_id"


class Next(enum.StrEnum):
    LINK_COURSE = "link_course"            # instructor, LMS course not linked yet
    DEEP_LINK = "deep_link"                # instructor picks an assignment to place
    PLACE_ASSIGNMENT = "place_assignment"  # instructor picks what an unset link opens
    STUDENT_ASSIGNMENT = "student_assignment"
    INSTRUCTOR_ASSIGNMENT = "instructor_assignment"


@dataclass(frozen=True)
class Landing:
    next: Next
    course_id: int | None = None
    assignment_id: int | None = None


def check_role(launch: Launch) -> LtiRole:
    role = claims.role_of(launch.roles)
    if role is None:
        raise LaunchRefused(403, "roles", _("GradWork accepts launches from instructors, teaching assistants and learners "
                                             "only; your LMS role in this course is none of these."))
    if launch.message_type == claims.DEEP_LINKING_REQUEST and role != LtiRole.INSTRUCTOR:
        raise LaunchRefused(403, "roles", _("Only instructors can add GradWork content."))
    return role


def _assignment_id(launch: Launch) -> int | None:
    raw = launch.custom.get(ASSIGNMENT_PARAM)
    if isinstance(raw, int | str) and str(raw).strip().isdigit():
        return int(str(raw).strip())
    return None


def _linked_assignment(launch: Launch, course: Course) -> Assignment | None:


    assignment_id = _assignment_id(launch)
    if assignment_id is None:
        link_id = (launch.claim(claims.RESOURCE_LINK) or {}).get("id")
        assignment_id = db.session.scalar(select(LtiResourceLink.assignment_id).where(
            LtiResourceLink.platform_id == launch.platform_id,
            LtiResourceLink.resource_link_id == str(link_id)))
    if assignment_id is None:
        return None
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None or assignment.course_id != course.id:
        raise LaunchRefused(403, "custom", _("Assignment %(assignment_id)s is not part of the GradWork course linked to "
                                              "this LMS course.", assignment_id=assignment_id))
    return assignment


def land(launch: Launch, user: User, role: LtiRole) -> Landing:
    context = launch.context
    if not context.get("id"):
        raise LaunchRefused(400, "context", _("The launch names no LMS course (context)."))
    row = contexts.find(launch.platform_id, str(context["id"]))
    if row is None:
        if role == LtiRole.INSTRUCTOR:
            return Landing(Next.LINK_COURSE)
        raise LaunchRefused(403, "context", _("Your instructor has not set up GradWork for this course yet. Please try again "
                                               "later."))
    contexts.refresh(row, launch.claims)
    course = db.session.get(Course, row.course_id)
    contexts.enrol(course, user, role)
    if launch.message_type == claims.DEEP_LINKING_REQUEST:
        return Landing(Next.DEEP_LINK, course.id)
    assignment = _linked_assignment(launch, course)
    if assignment is None:
        if role == LtiRole.INSTRUCTOR:
            return Landing(Next.PLACE_ASSIGNMENT, course.id)
        raise LaunchRefused(403, "resource_link", _("This LMS link does not open a GradWork assignment yet; ask your instructor."))
    link_id = str(launch.claim(claims.RESOURCE_LINK)["id"])
    contexts.record_link(launch.platform_id, row, link_id, assignment, launch.claims)
    if role == LtiRole.INSTRUCTOR:
        return Landing(Next.INSTRUCTOR_ASSIGNMENT, course.id, assignment.id)
    if not assignment.is_published:
        raise LaunchRefused(403, "assignment", _("This assignment is not published yet."))
    return Landing(Next.STUDENT_ASSIGNMENT, course.id, assignment.id)


def link_course(launch: Launch, user: User, course: Course | None) -> LtiContext:
    """Link the launch's LMS course to `course`, or to a new course named after it."""
    platform = db.session.get(LtiPlatform, launch.platform_id)
    if course is None:
        return contexts.create_course(platform, launch.context, user)
    return contexts.link(platform, str(launch.context["id"]), course,
                         contexts.course_title(launch.context))


def place(launch: Launch, assignment: Assignment) -> None:
    """Make an unset resource link open `assignment`."""
    row = contexts.find(launch.platform_id, str(launch.context["id"]))
    if row is None or assignment.course_id != row.course_id:
        raise LaunchRefused(403, "assignment", _("That assignment is not in the linked course."))
    link_id = str(launch.claim(claims.RESOURCE_LINK)["id"])
    contexts.record_link(launch.platform_id, row, link_id, assignment, launch.claims)

