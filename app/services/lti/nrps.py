"""Roster sync (NRPS 2.0): enrol the LMS context's active members in the linked course.

Learners become students and Instructors/TAs co-instructors; members with other roles are
skipped. People enrolled through this context who are no longer active members are counted
and named, not removed: their submitted work stays with the course.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Course, EnrolmentRole, User
from app.models.lti import LtiContext, LtiIdentity
from app.services.courses import membership
from app.services.errors import ServiceError
from app.services.lti import claims, contexts, identity, service_client
from app.services.lti.claims import LtiRole

MAX_PAGES = 200
_NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


@dataclass
class SyncReport:
    enrolled: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    skipped: int = 0

    def line(self) -> str:
        return (_("%(count)s enrolled, %(count2)s already enrolled, %(count3)s no longer in the "
                   "context", count=len(self.enrolled), count2=len(self.already), count3=len(self.left)))


def _members(row: LtiContext) -> list[dict]:
    url, members = row.memberships_url, []
    for _page in range(MAX_PAGES):
        response = service_client.call(row.platform, "GET", url, [claims.SCOPE_NRPS],
                                       accept=claims.MEMBERSHIP_MEDIA_TYPE)
        try:
            page = response.json().get("members", [])
        except (ValueError, AttributeError):
            raise ServiceError(_("The LMS's member list is not NRPS JSON.")) from None
        members.extend(m for m in page if isinstance(m, dict))
        found = _NEXT.search(response.headers.get("Link", ""))
        if not found:
            return members
        url = found.group(1)
    raise ServiceError(_("The LMS's member list has too many pages."))


def _sync_member(course: Course, issuer: str, member: dict, report: SyncReport) -> str | None:
    sub = member.get("user_id")
    role = claims.role_of(member.get("roles") or [])
    if not isinstance(sub, str) or not sub or role is None:
        report.skipped += 1
        return None
    if member.get("status", "Active") != "Active":
        return None
    user = identity.user_for(issuer, sub, member, role)
    enrolment = membership.find_enrolment(course, user)
    wanted = EnrolmentRole.INSTRUCTOR if role == LtiRole.INSTRUCTOR else EnrolmentRole.STUDENT
    label = f"{user.display_name} <{user.email}>"
    if enrolment is not None and (enrolment.role == wanted
                                  or enrolment.role == EnrolmentRole.INSTRUCTOR):
        report.already.append(label)
    else:
        contexts.enrol(course, user, role)
        report.enrolled.append(label)
    return sub


def sync(course: Course) -> SyncReport:
    """Sync every LMS context linked to the course that offers a member list."""
    rows = [row for row in contexts.contexts_of(course) if row.memberships_url]
    if not rows:
        raise ServiceError(_("No LMS course with a member list (NRPS) is linked to this course; launch "
                              "GradWork from the LMS course once first."))
    report = SyncReport()
    for row in rows:
        try:
            members = _members(row)
        except service_client.ServiceFailed as exc:
            raise ServiceError(_("The LMS refused the member list: %(exc)s", exc=exc)) from None
        active = {sub for m in members if (sub := _sync_member(course, row.platform.issuer,
                                                               m, report))}
        enrolled = db.session.execute(
            select(User, LtiIdentity.sub).join(LtiIdentity, LtiIdentity.user_id == User.id)
            .where(LtiIdentity.issuer == row.platform.issuer)
            .where(User.id.in_([u.id for u in membership.members(course, EnrolmentRole.STUDENT)]
                               + [u.id for u in membership.members(course,
                                                                   EnrolmentRole.INSTRUCTOR)]))
        ).all()
        report.left.extend(f"{user.display_name} <{user.email}>" for user, sub in enrolled
                           if sub not in active)
    db.session.flush()
    return report
