"""`flask jobs worker`: the background worker (RQ on GRADWORK_REDIS_URL, or the database)."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from sqlalchemy import func, select

from app.extensions import db
from app.jobs import worker
from app.models import Job, OutboxStatus, ScoreOutbox

cli = AppGroup("jobs", help="Background jobs and LMS score delivery.")


@cli.command("worker")
@click.option("--burst", is_flag=True, help="Do what is due now, then exit.")
@with_appcontext
def worker_command(burst: bool) -> None:
    """Run jobs and deliver scores until stopped."""
    app = current_app._get_current_object()
    where = app.config.get("REDIS_URL") or "the database (no GRADWORK_REDIS_URL)"
    click.echo(f"GradWork worker: jobs and score deliveries from {where}.", err=True)
    worker.run(app, burst=burst)


@cli.command("status")
def status() -> None:
    """Count jobs and score deliveries by state."""
    jobs = dict(db.session.execute(select(Job.status, func.count(Job.id))
                                   .group_by(Job.status)).all())
    scores = dict(db.session.execute(select(ScoreOutbox.status, func.count(ScoreOutbox.id))
                                     .group_by(ScoreOutbox.status)).all())
    click.echo("jobs: " + ", ".join(f"{k} {v}" for k, v in sorted(jobs.items())) or "jobs: none")
    click.echo("scores: " + ", ".join(f"{OutboxStatus(k).value} {v}"
                                      for k, v in sorted(scores.items())) or "scores: none")
