"""Job status JSON, result downloads, and CSV exports run as jobs."""

from __future__ import annotations

import json

from flask import Response, abort, current_app, flash, jsonify, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from app.cas.i18n import N_
from app.extensions import db
from app.jobs import embedded
from app.models.jobs import Job, JobStatus
from app.models.lti import OutboxStatus, ScoreOutbox
from app.services.jobs import queue
from app.services.reports import exports
from app.web.access import instructor_required
from app.web.course_access import instructor_course
from app.web.jobs import bp


def job_json(job: Job) -> dict:
    body = {
        "id": job.id, "kind": job.kind, "status": job.status.value,
        "done": job.progress_done, "total": job.progress_total, "percent": job.percent,
        "finished": job.status.finished, "error": job.error,
        "result": json.loads(job.result) if job.result else None, "download_url": None,
    }
    if job.status == JobStatus.DONE and job.file_name:
        body["download_url"] = url_for("jobs.download", job_id=job.id)
    return body


def visible_job(job_id: int, kind: str | None = None) -> Job:
    """A job the current user may see: one they started, or any job of a course they teach
    (checked by the caller through the job's args), or any job for an admin."""
    job = db.session.get(Job, job_id)
    if job is None or (kind and job.kind != kind):
        abort(404)
    if job.created_by != current_user.id and not current_user.is_admin:
        args = json.loads(job.args or "{}")
        if "course_id" not in args:
            abort(404)
        instructor_course(int(args["course_id"]))
    return job


@bp.route("/jobs/<int:job_id>.json")
@login_required
def status(job_id: int):
    response = jsonify(job_json(visible_job(job_id)))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/jobs/<int:job_id>/download")
@login_required
def download(job_id: int):
    job = visible_job(job_id)
    if job.status != JobStatus.DONE or job.file_data is None:
        abort(404, N_("This job has no file (yet)."))
    return Response(job.file_data, mimetype="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="{job.file_name}"'})


@bp.route("/courses/<int:course_id>/export-jobs/<fmt>", methods=["POST"])
@instructor_required
def start_export(course_id: int, fmt: str):
    course = instructor_course(course_id)
    try:
        chosen = exports.ExportFormat(fmt)
    except ValueError:
        abort(404)
    job = queue.enqueue(queue.EXPORT, {"course_id": course.id, "format": chosen.value},
                        current_user.id, total=1)
    db.session.commit()
    flash(_("Preparing the %(value)s export; the download link appears below when it is "
             "ready.", value=chosen.value), "info")
    return redirect(url_for("courses.show", course_id=course.id, export_job=job.id)
                    + "#exports")


@bp.app_template_global("latest_job")
def latest_job(kind: str, **match) -> Job | None:
    """The newest job of this kind whose args include `match` (for the pages' status)."""
    rows = db.session.scalars(select(Job).where(Job.kind == kind).order_by(Job.id.desc())
                              .limit(50))
    for job in rows:
        args = json.loads(job.args or "{}")
        if all(args.get(k) == v for k, v in match.items()):
            return job
    return None


@bp.before_app_request
def _resume_embedded_work() -> None:
    """After a restart without Redis, the first request of each process starts the embedded
    worker if scores or jobs are waiting, so nothing waits for the next change."""


    app = current_app._get_current_object()
    if app.extensions.get("gradwork_jobs_resumed") or not embedded.enabled(app):
        return

    try:
        waiting = db.session.scalar(select(ScoreOutbox.id).where(
            ScoreOutbox.status == OutboxStatus.PENDING).limit(1)) or db.session.scalar(
            select(Job.id).where(Job.status == JobStatus.QUEUED).limit(1))
    except SQLAlchemyError:  # database down or not migrated yet: ask again next request
        db.session.rollback()
        return
    app.extensions["gradwork_jobs_resumed"] = True
    if waiting is not None:
        embedded.poke(app)
