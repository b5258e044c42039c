"""Queueing jobs and waking workers, after the transaction that asked for them commits.

`enqueue` writes the job row in the caller's transaction. Only when that transaction commits
does the after-commit hook send "run job N" (to Redis, or to the app's own thread), so a
worker never looks for a row that is not there yet and a rolled-back request queues nothing.
Outbox rows written by `passback.scores_changed` wake the deliverers the same way.
"""

from __future__ import annotations

import json
import logging

from flask import current_app, has_app_context
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from app.extensions import db
from app.models.jobs import Job, JobStatus
from app.services.lti.passback import DIRTY_FLAG

log = logging.getLogger(__name__)

QUEUE_NAME = "gradwork"
_PENDING_JOBS = "gradwork_jobs_to_dispatch"
RUN_JOB = "app.services.jobs.worker.rq_run_job"
DELIVER = "app.services.jobs.worker.rq_deliver_scores"


def enqueue(kind: str, args: dict, user_id: int | None, total: int = 0) -> Job:
    job = Job(kind=kind, args=json.dumps(args, sort_keys=True), created_by=user_id,
              progress_total=total, status=JobStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(_PENDING_JOBS, []).append(job.id)
    return job


def active(kind: str, **match) -> Job | None:
    """A queued or running job of this kind whose args include `match`."""
    rows = db.session.scalars(select(Job).where(
        Job.kind == kind, Job.status.in_([JobStatus.QUEUED, JobStatus.RUNNING]))
        .order_by(Job.id.desc()))
    for job in rows:
        args = json.loads(job.args or "{}")
        if all(args.get(k) == v for k, v in match.items()):
            return job
    return None


def redis_connection(url: str):
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)


def rq_queue(url: str):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=redis_connection(url))


def _send(app, job_ids: list[int], deliveries: bool) -> None:
    url = app.config.get("REDIS_URL")
    if url:
        try:
            queue = rq_queue(url)
            for job_id in job_ids:
                queue.enqueue(RUN_JOB, job_id, job_id=f"gradwork-job-{job_id}",
                              job_timeout=3600, result_ttl=600, failure_ttl=86400)
            if deliveries:
                queue.enqueue(DELIVER, job_timeout=900, result_ttl=60)
        except Exception:  # the rows are safe; the worker's sweep finds them
            log.warning("could not reach Redis to queue work; the worker's sweep will pick "
                        "it up", exc_info=True)
        return
    from app.services.jobs import embedded

    embedded.poke(app)


@event.listens_for(Session, "after_commit")
def _after_commit(session: Session) -> None:
    job_ids = session.info.pop(_PENDING_JOBS, [])
    deliveries = session.info.pop(DIRTY_FLAG, False)
    if (job_ids or deliveries) and has_app_context():
        _send(current_app._get_current_object(), job_ids, bool(deliveries))


@event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    # Nothing of a rolled-back transaction exists, so there is nothing to announce. (A
    # rollback of a savepoint does not fire this event.)
    session.info.pop(_PENDING_JOBS, None)
    session.info.pop(DIRTY_FLAG, None)
