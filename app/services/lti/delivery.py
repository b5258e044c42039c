"""Delivering the score outbox to the platforms' AGS score endpoints.

Each row is leased with one conditional UPDATE (so two workers never send it at once),
its payload frozen for its version and committed before sending, then marked delivered only
if no newer version arrived meanwhile. A worker killed mid-delivery leaves the lease to
expire; the next worker resends the same frozen bytes, same timestamp included, which the
LMS treats as the score it already has. The newest version always ends up delivered.

These functions commit: they run in workers, one row per transaction.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlalchemy import or_, select, update

from app.extensions import db
from app.models.assignment import Assignment
from app.models.base import utcnow
from app.models.lti import OutboxStatus, ScoreOutbox
from app.services.assignments import submissions
from app.services.lti import claims, identity, lineitems, passback, service_client

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=120)
# Seconds before the n-th retry; after the last one the row is marked failed.
BACKOFF = (5, 15, 60, 120, 300, 600, 1800, 3600)


def score_payload(assignment: Assignment, student_id: int, user_sub: str, timestamp) -> dict:
    """The AGS score of a student now: points after penalties out of the assignment's."""
    progress = submissions.progress(assignment, student_id)
    given = submissions.assignment_score(assignment, student_id, progress)
    finished = all(p.solved or p.attempts_left == 0 for p in progress)
    return {
        "userId": user_sub,
        "scoreGiven": given,
        "scoreMaximum": round(assignment.total_points, 4),
        "activityProgress": "Completed" if finished else "InProgress",
        "gradingProgress": "FullyGraded",
        "timestamp": timestamp.isoformat(timespec="milliseconds"),
    }


def lease_for(config) -> timedelta:
    return timedelta(seconds=float(config.get("LTI_LEASE_SECONDS", LEASE.total_seconds())))


def due_ids(limit: int = 100) -> list[int]:
    now = utcnow()
    return list(db.session.scalars(
        select(ScoreOutbox.id).where(
            ScoreOutbox.status == OutboxStatus.PENDING, ScoreOutbox.next_attempt_at <= now,
            or_(ScoreOutbox.lease_until.is_(None), ScoreOutbox.lease_until < now))
        .order_by(ScoreOutbox.next_attempt_at, ScoreOutbox.id).limit(limit)))


def _claim(row_id: int, lease: timedelta) -> bool:
    now = utcnow()
    claimed = db.session.execute(update(ScoreOutbox).where(
        ScoreOutbox.id == row_id, ScoreOutbox.status == OutboxStatus.PENDING,
        or_(ScoreOutbox.lease_until.is_(None), ScoreOutbox.lease_until < now))
        .values(lease_until=now + lease, attempts=ScoreOutbox.attempts + 1)).rowcount
    db.session.commit()
    return claimed == 1


def _freeze(row: ScoreOutbox) -> str:
    """The payload for the row's current version, computed once and kept, so every resend
    of this version is byte-identical."""
    if row.payload_version != row.version or not row.payload:
        link = row.link
        assignment = db.session.get(Assignment, link.assignment_id)
        sub = identity.sub_of(link.platform.issuer, row.student_id)
        if sub is None or assignment is None:
            raise service_client.ServiceFailed("the student has no LMS identity on this "
                                               "platform any more", retryable=False)
        if assignment.total_points <= 0:
            raise service_client.ServiceFailed("the assignment is worth 0 points; the LMS "
                                               "needs a positive maximum", retryable=False)
        body = score_payload(assignment, row.student_id, sub, row.changed_at)
        row.payload = json.dumps(body, separators=(",", ":"), sort_keys=True)
        row.payload_version = row.version
    db.session.commit()
    return row.payload


def _lineitem(row: ScoreOutbox) -> str:
    link = row.link
    if link.lineitem_url:
        return link.lineitem_url

    return lineitems.find_or_create(link)


def _send(row: ScoreOutbox, payload: str) -> None:
    link = row.link
    if link.scopes and claims.SCOPE_SCORE not in link.scopes.split():
        raise service_client.ServiceFailed("the platform did not grant the score scope for "
                                           "this link", retryable=False)
    service_client.call(link.platform, "POST", passback.scores_url(_lineitem(row)),
                        [claims.SCOPE_SCORE], json_body=payload,
                        content_type=claims.SCORE_MEDIA_TYPE)


def _finish(row_id: int, version: int) -> None:
    done = db.session.execute(update(ScoreOutbox).where(
        ScoreOutbox.id == row_id, ScoreOutbox.version == version).values(
        status=OutboxStatus.DELIVERED, delivered_version=version, lease_until=None,
        last_error=None, delivered_at=utcnow())).rowcount
    if not done:  # a newer score arrived while this one was on its way: send that next
        db.session.execute(update(ScoreOutbox).where(ScoreOutbox.id == row_id)
                           .values(lease_until=None))
    db.session.commit()


def _fail(row_id: int, attempts: int, error: service_client.ServiceFailed) -> None:
    final = not error.retryable or attempts > len(BACKOFF)
    delay = BACKOFF[min(attempts, len(BACKOFF)) - 1]
    db.session.execute(update(ScoreOutbox).where(ScoreOutbox.id == row_id).values(
        status=OutboxStatus.FAILED if final else OutboxStatus.PENDING, lease_until=None,
        last_error=str(error)[:2000], next_attempt_at=utcnow() + timedelta(seconds=delay)))
    db.session.commit()


def deliver_one(row_id: int, lease: timedelta = LEASE) -> bool | None:
    """Try one row: True delivered, False failed (to be retried or given up), None when
    another worker holds it or it is not due."""
    if not _claim(row_id, lease):
        return None
    row = db.session.get(ScoreOutbox, row_id)
    db.session.refresh(row)
    version, attempts = row.version, row.attempts
    try:
        payload = _freeze(row)
        version = row.payload_version
        _send(row, payload)
    except service_client.ServiceFailed as exc:
        db.session.rollback()
        log.warning("score delivery %s failed (attempt %s): %s", row_id, attempts, exc)
        _fail(row_id, attempts, exc)
        return False
    _finish(row_id, version)
    return True


def deliver_due(lease: timedelta = LEASE, limit: int = 100) -> int:
    """Deliver every row that is due now; returns how many were delivered."""
    delivered = 0
    for row_id in due_ids(limit):
        if deliver_one(row_id, lease):
            delivered += 1
    return delivered
