"""What each kind of job does. Tasks get the job row and a progress counter, work in the
session's transaction (committed by the runner) and return a JSON summary for the page."""

from __future__ import annotations

import json

from flask import current_app

from app.extensions import checker_of, db
from app.models import Course
from app.models.assignment import Assignment
from app.models.jobs import Job
from app.services.assignments.builder import submission_count
from app.services.assignments.regrade import regrade
from app.services.errors import NotFound
from app.services.jobs.queue import EXPORT, REGRADE
from app.services.reports import exports

MAX_LISTED_CHANGES = 200


def _regrade(assignment: Assignment, on_progress):
    # No autoflush while answers are re-checked, so the transaction takes no write lock
    # (SQLite) until the end, and the progress writes on their own connection never wait.
    with db.session.no_autoflush:
        return regrade(assignment, checker_of(current_app), on_progress=on_progress)


def run_regrade(job: Job, progress) -> dict:
    args = json.loads(job.args)
    assignment = db.session.get(Assignment, args["assignment_id"])
    if assignment is None:
        raise NotFound("The assignment no longer exists.")
    progress.total(submission_count(assignment))
    report = _regrade(assignment, progress.advance)
    return {
        "checked": report.checked, "unchecked": report.unchecked, "rescored": report.rescored,
        "changed_count": len(report.changed),
        "changed": [{"submission_id": c.submission_id, "student_id": c.student_id,
                     "item": c.item_position, "answer": c.answer, "before": c.before.value,
                     "after": c.after.value} for c in report.changed[:MAX_LISTED_CHANGES]],
    }


def run_export(job: Job, progress) -> dict:
    args = json.loads(job.args)
    course = db.session.get(Course, args["course_id"])
    if course is None:
        raise NotFound("The course no longer exists.")
    fmt = exports.ExportFormat(args["format"])
    progress.total(1)
    data = exports.export_bytes(course, fmt)
    job.file_name, job.file_data = exports.filename(course, fmt), data
    progress.advance(1)
    return {"bytes": len(data), "rows": data.count(b"\r\n")}


TASKS = {REGRADE: run_regrade, EXPORT: run_export}
