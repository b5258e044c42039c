"""One student's grades: variants, attempts, and the instructor's extensions and overrides
with their audit log."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.models import EnrolmentRole, User
from app.services.assignments import adjustments, audit, builder, submissions
from app.services.assignments.builder import assignments_of
from app.services.assignments.variants import seed_for
from app.services.courses.membership import find_enrolment
from app.services.courses.timezones import display, input_value, parse_local
from app.services.errors import ServiceError
from app.web.access import instructor_required
from app.web.course_access import instructor_assignment, instructor_course
from app.web.grades import bp


def _student(course, student_id: int) -> User:
    user = db.session.get(User, student_id)
    enrolment = find_enrolment(course, user) if user else None
    if enrolment is None or enrolment.role != EnrolmentRole.STUDENT:
        abort(404)
    return user


def _sections(course, user):
    sections = []
    for a in assignments_of(course):
        items = [(item, seed_for(a, item, user.id), submissions.history(item, user.id))
                 for item in a.items]
        extensions, overrides = adjustments.current(a, user.id)
        sections.append((a, items, extensions, overrides,
                         submissions.assignment_score(a, user.id)))
    return sections


def _page(course, user, *, error=None, status=200):
    """`error`: (assignment id, form name, message) of a refused change; the form shows it
    and keeps what was typed."""
    return render_template(
        "grades/student.html", course=course, student=user, sections=_sections(course, user),
        log=audit.entries(course, user.id), display=display, error=error,
        typed=request.form if error else {}, input_value=input_value), status


@bp.route("/students/<int:student_id>")
@instructor_required
def student(course_id: int, student_id: int):
    course = instructor_course(course_id)
    return _page(course, _student(course, student_id))


def _item(assignment):
    raw = request.form.get("item", "")
    if not raw:
        return None
    try:
        return builder.get_item(assignment, int(raw))
    except (ValueError, ServiceError):
        raise ServiceError(_("Choose the whole assignment or one of its items.")) from None


def _done(course, user, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("grades.student", course_id=course.id, student_id=user.id)
                    + "#audit")


@bp.route("/students/<int:student_id>/assignments/<int:assignment_id>/extension",
          methods=["POST"])
@instructor_required
def extension(course_id: int, student_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    user = _student(course, student_id)
    try:
        item = _item(assignment)
        due_text = request.form.get("due_at", "").strip()
        due_at = parse_local(due_text, course.timezone, _("due date")) if due_text else None
        try:
            extra = int(request.form.get("extra_attempts", "") or 0)
        except ValueError:
            raise ServiceError(_("Extra attempts must be a whole number.")) from None
        adjustments.set_extension(assignment, user.id, current_user, item=item, due_at=due_at,
                                  extra_attempts=extra, reason=request.form.get("reason", ""))
    except ServiceError as exc:
        db.session.rollback()
        return _page(course, user, error=(assignment.id, "extension", str(exc)), status=422)
    return _done(course, user, _("Extension saved for %(name)s.", name=user.display_name))


@bp.route("/students/<int:student_id>/assignments/<int:assignment_id>/override",
          methods=["POST"])
@instructor_required
def override(course_id: int, student_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    user = _student(course, student_id)
    try:
        item = _item(assignment)
        raw = request.form.get("points", "").strip()
        try:
            points = float(raw) if raw else None
        except ValueError:
            raise ServiceError(_("The points must be a number (empty removes the override)."))\
                from None
        adjustments.set_override(assignment, user.id, current_user, item=item, points=points,
                                 reason=request.form.get("reason", ""))
    except ServiceError as exc:
        db.session.rollback()
        return _page(course, user, error=(assignment.id, "override", str(exc)), status=422)
    return _done(course, user, _("Grade saved for %(name)s.", name=user.display_name))
