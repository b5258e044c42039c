"""LMS courses (contexts) linked to GradWork courses, and resource links to assignments."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Course, Enrolment, EnrolmentRole, User
from app.models.assignment import Assignment
from app.models.lti import LtiContext, LtiPlatform, LtiResourceLink
from app.services.courses import membership
from app.services.errors import Conflict, NotFound, ServiceError
from app.services.lti import claims
from app.services.lti.claims import LtiRole


def find(platform_id: int, context_id: str) -> LtiContext | None:
    return db.session.scalar(select(LtiContext).where(LtiContext.platform_id == platform_id,
                                                      LtiContext.context_id == context_id))


def contexts_of(course: Course) -> list[LtiContext]:
    return list(db.session.scalars(select(LtiContext).where(LtiContext.course_id == course.id)
                                   .order_by(LtiContext.id)))


def link(platform: LtiPlatform, context_id: str, course: Course, title: str = "") -> LtiContext:
    """Link a context to a course. Relinking is refused once assignments are placed in the
    LMS, since their scores would go to the other course's line items."""
    context_id = (context_id or "").strip()
    if not context_id or len(context_id) > 255:
        raise ServiceError(_("The context id must have 1 to 255 characters."))
    row = find(platform.id, context_id)
    if row is None:
        row = LtiContext(platform_id=platform.id, context_id=context_id, course_id=course.id,
                         title=(title or "")[:255])
        db.session.add(row)
    elif row.course_id != course.id:
        placed = db.session.scalar(select(LtiResourceLink.id)
                                   .where(LtiResourceLink.context_id == row.id).limit(1))
        if placed is not None:
            raise Conflict(_("Context %(context_id)s is already linked to course %(course_id)s and has "
                              "assignments placed in the LMS.", context_id=context_id, course_id=row.course_id))
        row.course_id = course.id
    db.session.flush()
    return row


def course_title(context: dict) -> str:
    for key in ("title", "label", "id"):
        value = context.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    return "LMS course"


def create_course(platform: LtiPlatform, context: dict, instructor: User) -> LtiContext:
    course = membership.create_course(course_title(context), instructor)
    return link(platform, str(context["id"]), course, course_title(context))


def refresh(row: LtiContext, launch_claims: dict) -> None:
    """Keep the context's title and roster URL as the latest launch states them."""
    context = launch_claims.get(claims.CONTEXT) or {}
    if isinstance(context, dict) and context.get("title"):
        row.title = str(context["title"])[:255]
    nrps = launch_claims.get(claims.NRPS)
    if isinstance(nrps, dict) and isinstance(nrps.get("context_memberships_url"), str):
        row.memberships_url = nrps["context_memberships_url"][:1000]
    db.session.flush()


def enrol(course: Course, user: User, role: LtiRole) -> Enrolment:
    """Instructors and TAs become co-instructors, learners students. The LMS is the authority
    on roles, so a student who becomes a TA there becomes an instructor here; an instructor
    is never demoted by a learner launch (that would hide the course's grading from them)."""
    existing = membership.find_enrolment(course, user)
    if role == LtiRole.INSTRUCTOR:
        if existing is not None:
            existing.role = EnrolmentRole.INSTRUCTOR
            db.session.flush()
            return existing
        return membership.enrol(course, user, EnrolmentRole.INSTRUCTOR)
    return existing or membership.enrol(course, user, EnrolmentRole.STUDENT)


def _ags(launch_claims: dict) -> dict:
    value = launch_claims.get(claims.AGS_ENDPOINT)
    return value if isinstance(value, dict) else {}


def record_link(platform_id: int, context: LtiContext, resource_link_id: str,
                assignment: Assignment, launch_claims: dict) -> LtiResourceLink:
    """Create or refresh a resource link from a launch: its assignment and AGS endpoints."""
    if assignment.course_id != context.course_id:
        raise NotFound(_("This LMS link points to an assignment of another course."))
    row = db.session.scalar(select(LtiResourceLink).where(
        LtiResourceLink.platform_id == platform_id,
        LtiResourceLink.resource_link_id == resource_link_id))
    if row is None:
        row = LtiResourceLink(platform_id=platform_id, resource_link_id=resource_link_id,
                              context_id=context.id, assignment_id=assignment.id)
        db.session.add(row)
    row.assignment_id = assignment.id
    ags = _ags(launch_claims)
    if isinstance(ags.get("lineitem"), str):
        row.lineitem_url = ags["lineitem"][:1000]
    if isinstance(ags.get("lineitems"), str):
        row.lineitems_url = ags["lineitems"][:1000]
    if isinstance(ags.get("scope"), list):
        row.scopes = " ".join(s for s in ags["scope"] if isinstance(s, str))
    db.session.flush()
    return row


def links_of(assignment: Assignment) -> list[LtiResourceLink]:
    return list(db.session.scalars(select(LtiResourceLink)
                                   .where(LtiResourceLink.assignment_id == assignment.id)
                                   .order_by(LtiResourceLink.id)))
