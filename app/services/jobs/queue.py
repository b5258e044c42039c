"""Queueing a job: its row, written in the caller's transaction.

Nothing is sent to a worker here: when the transaction commits, `app.jobs.dispatch` wakes
one, so a worker never looks for a row that is not there yet and a rolled-back request
queues nothing.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from app.extensions import db
from app.models.jobs import Job, JobStatus

# The kinds of job (what `app.jobs.tasks` runs for each).
REGRADE = "regrade"
EXPORT = "export"
# Job ids written in this session's transaction, for the after-commit dispatch.
PENDING_JOBS = "gradwork_jobs_to_dispatch"


def enqueue(kind: str, args: dict, user_id: int | None, total: int = 0) -> Job:
    job = Job(kind=kind, args=json.dumps(args, sort_keys=True), created_by=user_id,
              progress_total=total, status=JobStatus.QUEUED)
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(PENDING_JOBS, []).append(job.id)
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
