"""Adding and removing people: students by email or CSV, co-instructors."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.services.courses import membership, roster
from app.services.errors import ServiceError
from app.web.access import instructor_required
from app.web.course_access import instructor_course
from app.web.courses import bp
from app.web.courses.forms import InstructorForm, RosterForm, StudentForm


@bp.route("/<int:course_id>/students", methods=["POST"])
@instructor_required
def add_student(course_id: int):
    course = instructor_course(course_id)
    form = StudentForm()
    if not form.validate_on_submit():
        flash(_("Please type an email address."), "error")
        return redirect(url_for("courses.show", course_id=course.id))
    result = roster.add_student(course, form.email.data)
    db.session.commit()
    flash(f"{result.email}: {result.reason}",
          "success" if result.status == roster.RowStatus.ADDED else "error")
    return redirect(url_for("courses.show", course_id=course.id))


@bp.route("/<int:course_id>/roster", methods=["POST"])
@instructor_required
def upload_roster(course_id: int):
    course = instructor_course(course_id)
    form = RosterForm()
    if not form.validate_on_submit():
        flash(_("Please choose a CSV file."), "error")
        return redirect(url_for("courses.show", course_id=course.id))
    data = form.roster.data.stream.read(roster.MAX_ROSTER_BYTES + 1)
    try:
        results = roster.import_roster(course, data)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("courses.show", course_id=course.id)), 303
    db.session.commit()
    return render_template("courses/roster_report.html", course=course, results=results,
                           counts={s: sum(1 for r in results if r.status == s)
                                   for s in roster.RowStatus})


@bp.route("/<int:course_id>/instructors", methods=["POST"])
@instructor_required
def add_instructor(course_id: int):
    course = instructor_course(course_id)
    form = InstructorForm(prefix="instructor")
    if form.validate_on_submit():
        try:
            user = membership.add_instructor(course, form.email.data)
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            db.session.commit()
            flash(_("%(display_name)s now teaches this course.", display_name=user.display_name), "success")
    else:
        flash(_("Please type an email address."), "error")
    return redirect(url_for("courses.show", course_id=course.id))


@bp.route("/<int:course_id>/members/<int:user_id>/remove", methods=["POST"])
@instructor_required
def remove_member(course_id: int, user_id: int):
    course = instructor_course(course_id)
    try:
        membership.remove_member(course, user_id)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Removed from the course; their submissions are kept."), "success")
    return redirect(url_for("courses.show", course_id=course.id))
