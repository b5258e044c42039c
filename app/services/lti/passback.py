"""Grade passback (AGS): every change of a student's score on an LMS-linked assignment is
written to the outbox in the same transaction as the change (`scores_changed`); workers
deliver it later (`app.services.lti.delivery`), however long the LMS is down.

`scores_changed` is the one entry point for everything that changes scores: recorded
submissions, recomputed penalties, regrades and grade overrides.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models.assignment import Assignment
from app.models.base import utcnow
from app.models.lti import LtiIdentity, LtiResourceLink, OutboxStatus, ScoreOutbox

# Set on the session when outbox rows were written; the after-commit hook wakes a worker.
DIRTY_FLAG = "gradwork_outbox_dirty"


def _links(assignment_id: int) -> list[LtiResourceLink]:
    return list(db.session.scalars(select(LtiResourceLink).where(
        LtiResourceLink.assignment_id == assignment_id,
        (LtiResourceLink.lineitem_url.is_not(None)) | (LtiResourceLink.lineitems_url.is_not(None)))))


def _lms_students(issuer: str, student_ids: set[int]) -> list[int]:
    return list(db.session.scalars(select(LtiIdentity.user_id).where(
        LtiIdentity.issuer == issuer, LtiIdentity.user_id.in_(student_ids))))


def _bump(link_id: int, student_id: int) -> None:
    now = utcnow()
    changed = dict(version=ScoreOutbox.version + 1, changed_at=now, status=OutboxStatus.PENDING,
                   next_attempt_at=now, attempts=0, last_error=None)
    where = (ScoreOutbox.resource_link_id == link_id, ScoreOutbox.student_id == student_id)
    if db.session.execute(update(ScoreOutbox).where(*where).values(**changed)).rowcount:
        return
    try:
        with db.session.begin_nested():
            db.session.add(ScoreOutbox(resource_link_id=link_id, student_id=student_id,
                                       version=1, changed_at=now, next_attempt_at=now))
    except IntegrityError:
        # A concurrent transaction created the row first: count this change on it.
        db.session.execute(update(ScoreOutbox).where(*where).values(**changed))


def scores_changed(assignment: Assignment, student_ids: Iterable[int]) -> int:
    """Queue the current score of these students for every LMS placement of the assignment.
    Returns the number of outbox rows touched; costs one query when nothing is linked."""
    wanted = {int(s) for s in student_ids}
    if not wanted:
        return 0
    links = _links(assignment.id)
    touched = 0
    for link in links:
        for student_id in _lms_students(link.platform.issuer, wanted):
            _bump(link.id, student_id)
            touched += 1
    if touched:
        db.session.info[DIRTY_FLAG] = True
    return touched


def scores_url(lineitem_url: str) -> str:
    """The line item's path plus /scores, keeping its query (Moodle's line items have one)."""
    parts = urlsplit(lineitem_url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/") + "/scores",
                       parts.query, ""))


def summary(assignment: Assignment) -> dict[str, int]:
    counts = {status.value: 0 for status in OutboxStatus}
    rows = db.session.execute(
        select(ScoreOutbox.status, ScoreOutbox.id).join(LtiResourceLink)
        .where(LtiResourceLink.assignment_id == assignment.id)).all()
    for status, _ in rows:
        counts[OutboxStatus(status).value] += 1
    return counts


def failures(assignment: Assignment, limit: int = 50) -> list[ScoreOutbox]:
    return list(db.session.scalars(
        select(ScoreOutbox).join(LtiResourceLink)
        .where(LtiResourceLink.assignment_id == assignment.id,
               ScoreOutbox.status == OutboxStatus.FAILED)
        .order_by(ScoreOutbox.id).limit(limit)))


def retry_failed(assignment: Assignment) -> int:
    ids = [row.id for row in failures(assignment, limit=100_000)]
    if ids:
        db.session.execute(update(ScoreOutbox).where(ScoreOutbox.id.in_(ids)).values(
            status=OutboxStatus.PENDING, attempts=0, next_attempt_at=utcnow(),
            lease_until=None))
        db.session.info[DIRTY_FLAG] = True
    return len(ids)
