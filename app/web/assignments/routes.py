"""Assignment settings: create, edit (with a note of what changes for existing work),
publish, and recompute stored scores on request."""

import json

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models.assignment import AssignmentStatus, SolutionReveal
from app.models.jobs import Job
from app.services.assignments import builder
from app.services.authoring import bank_files
from app.services.courses.timezones import input_value, parse_local
from app.services.errors import ServiceError
from app.services.jobs import queue
from app.web.access import instructor_required
from app.web.assignments import bp
from app.web.assignments.forms import ItemForm, PointsForm, SettingsForm
from app.web.assignments.item_routes import known_templates, template_choices
from app.web.checker import checker
from app.web.course_access import instructor_assignment, instructor_course
from app.web.jobs.routes import job_json


def _settings(form: SettingsForm, timezone: str) -> builder.Settings:
    percent = lambda field: (field.data or 0) / 100  # noqa: E731
    return builder.Settings(
        title=form.title.data or "", instructions=form.instructions.data or "",
        open_at=parse_local(form.open_at.data, timezone, _("open date")),
        due_at=parse_local(form.due_at.data, timezone, _("due date")),
        accept_late=bool(form.accept_late.data),
        late_penalty_per_day=percent(form.late_penalty_per_day),
        late_penalty_cap=percent(form.late_penalty_cap),
        attempts_allowed=form.attempts_allowed.data,
        wrong_attempt_penalty=percent(form.wrong_attempt_penalty),
        solution_reveal=SolutionReveal(form.solution_reveal.data),
        form_credit=percent(form.form_credit),
        follow_through=bool(form.follow_through.data),
        hide_from_practice=bool(form.hide_from_practice.data))


def _fill(form: SettingsForm, assignment, timezone: str) -> None:
    form.title.data = assignment.title
    form.instructions.data = assignment.instructions
    form.open_at.data = input_value(assignment.open_at, timezone)
    form.due_at.data = input_value(assignment.due_at, timezone)
    form.accept_late.data = assignment.accept_late
    form.late_penalty_per_day.data = round(assignment.late_penalty_per_day * 100, 4)
    form.late_penalty_cap.data = round(assignment.late_penalty_cap * 100, 4)
    form.attempts_allowed.data = assignment.attempts_allowed
    form.wrong_attempt_penalty.data = round(assignment.wrong_attempt_penalty * 100, 4)
    form.solution_reveal.data = assignment.solution_reveal.value
    form.form_credit.data = round(assignment.form_credit * 100, 4)
    form.follow_through.data = assignment.follow_through
    form.hide_from_practice.data = assignment.hide_from_practice


@bp.route("/new", methods=["GET", "POST"])
@instructor_required
def new(course_id: int):
    course = instructor_course(course_id)
    form = SettingsForm()
    status = 200
    if form.validate_on_submit():
        try:
            assignment = builder.create_assignment(course, _settings(form, course.timezone))
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            status = 400
        else:
            db.session.commit()
            flash(_("Draft created. Add items, then publish it."), "success")
            return redirect(url_for("assignments.edit", course_id=course.id,
                                    assignment_id=assignment.id))
    elif form.is_submitted():
        status = 400
    return render_template("assignments/new.html", course=course, form=form), status


@bp.route("/<int:assignment_id>", methods=["GET", "POST"])
@instructor_required
def edit(course_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    form = SettingsForm()
    status = 200
    if form.validate_on_submit():
        try:
            changes = builder.update_settings(assignment, _settings(form, course.timezone))
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            status = 400
        else:
            db.session.commit()
            for change in changes:
                flash(change, "info")
            if changes and builder.submission_count(assignment):
                flash(_("Stored scores were not changed. Use “Recompute scores” to apply the new rules "
                         "to them."), "info")
            return redirect(url_for("assignments.edit", course_id=course.id,
                                    assignment_id=assignment.id))
    elif form.is_submitted():
        status = 400
    else:
        _fill(form, assignment, course.timezone)
    item_form = ItemForm()
    item_form.template_id.choices = template_choices(course)
    titles = {tid: entry.title for tid, entry in known_templates(course, every_version=True).items()}
    pending = builder.rescore(assignment)
    return render_template(
        "assignments/edit.html", course=course, assignment=assignment, form=form,
        item_form=item_form, points_form=PointsForm(), pending=pending,
        submitted=builder.submission_count(assignment),
        titles=titles, sample_seed=request.args.get("seed", 1, type=int),
        bank_changed=bank_files.changed_items(
            assignment, bank_files.file_hashes(checker().settings.problems_dir))), status


@bp.route("/<int:assignment_id>/status", methods=["POST"])
@instructor_required
def set_status(course_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    wanted = request.form.get("status", "")
    try:
        builder.set_status(assignment, AssignmentStatus(wanted))
    except ValueError:
        flash(_("Unknown status."), "error")
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Published: students can see it now.") if assignment.is_published
              else _("Back to draft: students no longer see it."), "success")
    return redirect(url_for("assignments.edit", course_id=course.id, assignment_id=assignment.id))


@bp.route("/<int:assignment_id>/recompute", methods=["POST"])
@instructor_required
def recompute(course_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    changes = builder.recompute_scores(assignment)
    db.session.commit()
    flash(_("Recomputed: %(count)s stored scores changed.", count=len(changes)), "success")
    return redirect(url_for("assignments.edit", course_id=course.id, assignment_id=assignment.id))


# --- Regrade as a background job with a live progress bar (issue 14) -----------------------


@bp.route("/<int:assignment_id>/regrade", methods=["POST"])
@instructor_required
def start_regrade(course_id: int, assignment_id: int):


    course, assignment = instructor_assignment(course_id, assignment_id)
    if queue.active(queue.REGRADE, assignment_id=assignment.id) is not None:
        flash(_("A regrade of this assignment is already running."), "info")
    else:
        queue.enqueue(queue.REGRADE, {"assignment_id": assignment.id, "course_id": course.id},
                      current_user.id, total=builder.submission_count(assignment))
        db.session.commit()
        flash(_("Regrade started: the bar below shows its progress."), "info")
    return redirect(url_for("assignments.edit", course_id=course.id,
                            assignment_id=assignment.id) + "#regrade")


@bp.route("/<int:assignment_id>/regrade/<int:job_id>")
@instructor_required
def regrade_progress(course_id: int, assignment_id: int, job_id: int):
    """The regrade job's progress as JSON (polled by static/jobs.js)."""



    _course, assignment = instructor_assignment(course_id, assignment_id)
    job = db.session.get(Job, job_id)
    if job is None or job.kind != queue.REGRADE \
            or json.loads(job.args).get("assignment_id") != assignment.id:
        abort(404)
    response = jsonify(job_json(job))
    response.headers["Cache-Control"] = "no-store"
    return response
