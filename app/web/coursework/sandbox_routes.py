"""Trying an assignment as a student (instructors of the course): the student pages over a
sandbox that records nothing a grade, an export or the LMS could read
(`services.assignments.sandbox`)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.extensions import db
from app.services.assignments import sandbox
from app.services.courses.timezones import display
from app.web.access import instructor_required
from app.web.course_access import instructor_assignment
from app.web.coursework import bp
from app.web.coursework.routes import answer_item, clock


@bp.route("/<int:assignment_id>/try")
@instructor_required
def try_assignment(course_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    items = sandbox.progress(assignment, current_user.id)
    return render_template("coursework/assignment.html", course=course, assignment=assignment,
                           items=items, display=display, now=clock(), due=assignment.due_at,
                           sandbox=True)


@bp.route("/<int:assignment_id>/items/<int:item_id>/try", methods=["GET", "POST"])
@instructor_required
def try_item(course_id: int, assignment_id: int, item_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    return answer_item(course, assignment, item_id, sandbox, sandbox=True)


@bp.route("/<int:assignment_id>/try/reset", methods=["POST"])
@instructor_required
def try_reset(course_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    sandbox.reset(assignment, current_user.id)
    db.session.commit()
    flash(_("Your trial attempts are cleared: every item starts afresh."), "success")
    return redirect(url_for("coursework.try_assignment", course_id=course.id,
                            assignment_id=assignment.id))
