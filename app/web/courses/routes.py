"""Course list, creation, joining and the course page (both roles)."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Course, EnrolmentRole
from app.services.assignments import audit, builder, submissions
from app.services.courses import membership
from app.services.courses.membership import check_timezone
from app.services.courses.timezones import display
from app.services.errors import ServiceError
from app.web.access import instructor_required
from app.web.course_access import instructor_course
from app.web.courses import bp
from app.web.courses.forms import CourseForm, InstructorForm, JoinForm, RosterForm, StudentForm


def _index_page(course_form: CourseForm | None = None, status: int = 200):
    return render_template(
        "courses/index.html",
        teaching=membership.courses_of(current_user, EnrolmentRole.INSTRUCTOR)
        if current_user.is_instructor else [],
        enrolled=membership.courses_of(current_user, EnrolmentRole.STUDENT),
        course_form=course_form or CourseForm(), join_form=JoinForm()), status


@bp.route("/")
@login_required
def index():
    return _index_page()


@bp.route("/new", methods=["POST"])
@instructor_required
def create():
    """A refused course keeps everything typed, the reason shown on its field (422)."""
    form = CourseForm()
    if not form.validate_on_submit():
        return _index_page(form, 422)
    try:
        timezone = check_timezone(form.timezone.data)
    except ServiceError as exc:
        form.timezone.errors = [str(exc)]
        return _index_page(form, 422)
    try:
        course = membership.new_course(form.title.data, current_user, timezone)
    except ServiceError as exc:
        db.session.rollback()
        form.title.errors = [str(exc)]
        return _index_page(form, 422)
    db.session.commit()
    flash(_("Created %(title)s.", title=course.title), "success")
    return redirect(url_for("courses.show", course_id=course.id))


@bp.route("/join", methods=["POST"])
@login_required
def join():
    form = JoinForm()
    if not form.validate_on_submit():
        flash(_("Please type the join code."), "error")
        return redirect(url_for("courses.index"))
    try:
        course = membership.join_with_code(current_user, form.code.data)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("courses.index"))
    db.session.commit()
    flash(_("You joined %(title)s.", title=course.title), "success")
    return redirect(url_for("courses.show", course_id=course.id))


@bp.route("/<int:course_id>")
@login_required
def show(course_id: int):
    course = db.session.get(Course, course_id)
    if course is None:
        abort(404)
    if membership.is_course_instructor(course, current_user):
        return render_template(
            "courses/instructor.html", course=course,
            students=membership.members(course, EnrolmentRole.STUDENT),
            instructors=membership.members(course, EnrolmentRole.INSTRUCTOR),
            assignments=builder.assignments_of(course), display=display,
            email_form=StudentForm(), instructor_form=InstructorForm(prefix="instructor"),
            roster_form=RosterForm())
    if membership.is_course_student(course, current_user):
        rows = []
        for assignment in builder.assignments_of(course, published_only=True):
            items = submissions.progress(assignment, current_user.id)
            rows.append((assignment, items,
                         submissions.assignment_score(assignment, current_user.id, items)))
        return render_template("courses/student.html", course=course, rows=rows,
                               display=display, log=audit.entries(course, current_user.id))
    abort(404)


@bp.route("/<int:course_id>/join-code", methods=["POST"])
@instructor_required
def regenerate_code(course_id: int):
    course = instructor_course(course_id)
    code = membership.regenerate_join_code(course)
    db.session.commit()
    flash(_("New join code: %(code)s. The old code no longer works.", code=code), "success")
    return redirect(url_for("courses.show", course_id=course.id))
