"""Waking workers after the transaction that queued work commits.

`app.services.jobs.queue.enqueue` writes job rows and `app.services.lti.passback` outbox rows
in the caller's transaction; only when it commits does the hook installed here send "run job
N" (to Redis, or to the app's own thread). Installed once by create_app.
"""

from __future__ import annotations

import logging

from flask import Flask, current_app, has_app_context
from redis import Redis
from rq import Queue
from sqlalchemy import event
from sqlalchemy.orm import Session

from app.jobs import embedded
from app.services.jobs.queue import PENDING_JOBS
from app.services.lti.passback import DIRTY_FLAG

log = logging.getLogger(__name__)

QUEUE_NAME = "gradwork"
RUN_JOB = "app.jobs.worker.rq_run_job"
DELIVER = "app.jobs.worker.rq_deliver_scores"


def redis_connection(url: str) -> Redis:
    return Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)


def rq_queue(url: str) -> Queue:
    return Queue(QUEUE_NAME, connection=redis_connection(url))


def _send(app: Flask, job_ids: list[int], deliveries: bool) -> None:
    url = app.config.get("REDIS_URL")
    if not url:
        embedded.poke(app)
        return
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


def _after_commit(session: Session) -> None:
    job_ids = session.info.pop(PENDING_JOBS, [])
    deliveries = session.info.pop(DIRTY_FLAG, False)
    if (job_ids or deliveries) and has_app_context():
        _send(current_app._get_current_object(), job_ids, bool(deliveries))


def _after_rollback(session: Session) -> None:
    # Nothing of a rolled-back transaction exists, so there is nothing to announce. (A
    # rollback of a savepoint does not fire this event.)
    session.info.pop(PENDING_JOBS, None)
    session.info.pop(DIRTY_FLAG, None)


def register() -> None:
    """Install the hooks (once per process, however many apps)."""
    for name, hook in (("after_commit", _after_commit), ("after_rollback", _after_rollback)):
        if not event.contains(Session, name, hook):
            event.listen(Session, name, hook)
