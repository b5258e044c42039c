"""Running jobs: claim a queued row (one conditional UPDATE, so a job runs once however many
workers were told about it), run its task, and record the outcome. Progress is written on a
connection of its own, so the page sees it while the task's own transaction is still open.

These functions commit; they run in workers.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select, update

from app.extensions import db
from app.jobs import tasks
from app.models.base import utcnow
from app.models.jobs import Job, JobStatus
from app.services.lti import delivery

log = logging.getLogger(__name__)

# A running job whose heartbeat is older than this was interrupted (its worker died).
STALE = timedelta(minutes=15)
PROGRESS_EVERY = 0.25  # seconds between progress writes


class Progress:
    """Counts work done for the job's progress bar; also the job's heartbeat."""

    def __init__(self, job_id: int):
        self.job_id, self.done, self._written = job_id, 0, 0.0

    def _write(self, **values) -> None:
        with db.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == self.job_id)
                         .values(heartbeat_at=utcnow(), **values))

    def total(self, count: int) -> None:
        self._write(progress_total=int(count))

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self._written >= PROGRESS_EVERY:
            self._written = now
            self._write(progress_done=self.done)


Task = Callable[[Job, Progress], dict]


def _claim(job_id: int) -> bool:
    now = utcnow()
    claimed = db.session.execute(update(Job).where(
        Job.id == job_id, Job.status == JobStatus.QUEUED).values(
        status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)).rowcount
    db.session.commit()
    return claimed == 1


def run_job(job_id: int) -> bool:
    """Run a queued job; False when it was not queued (already run, or running elsewhere)."""
    if not _claim(job_id):
        return False
    job = db.session.get(Job, job_id)
    task: Task | None = tasks.TASKS.get(job.kind)
    progress = Progress(job_id)
    try:
        if task is None:
            raise RuntimeError(f"unknown job kind {job.kind!r}")
        result = task(job, progress)
        db.session.flush()
        job = db.session.get(Job, job_id)
        db.session.refresh(job)  # the progress columns were written on another connection
        job.result = json.dumps(result, sort_keys=True, default=str)
        job.status, job.finished_at = JobStatus.DONE, utcnow()
        job.progress_done = max(job.progress_done, progress.done)
        db.session.commit()
    except Exception as exc:
        log.exception("job %s (%s) failed", job_id, getattr(job, "kind", "?"))
        db.session.rollback()
        db.session.execute(update(Job).where(Job.id == job_id).values(
            status=JobStatus.FAILED, finished_at=utcnow(), error=str(exc)[:2000]))
        db.session.commit()
    return True


def queued_ids(limit: int = 20) -> list[int]:
    return list(db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED)
                                   .order_by(Job.id).limit(limit)))


def run_queued(limit: int = 20) -> int:
    return sum(1 for job_id in queued_ids(limit) if run_job(job_id))


def reap_stale() -> int:
    """Mark jobs whose worker died as failed, so the page says so instead of waiting."""
    cutoff = utcnow() - STALE
    reaped = db.session.execute(update(Job).where(
        Job.status == JobStatus.RUNNING, Job.heartbeat_at < cutoff).values(
        status=JobStatus.FAILED, finished_at=utcnow(),
        error="The worker running this job stopped; start it again.")).rowcount
    db.session.commit()
    return reaped


def sweep(lease=None) -> tuple[int, int]:
    """One round of everything a worker does: queued jobs, due score deliveries, and
    interrupted jobs. Returns (jobs run, scores delivered)."""
    ran = run_queued()
    delivered = delivery.deliver_due(**({"lease": lease} if lease else {}))
    reap_stale()
    return ran, delivered
