"""Gradebook, per-assignment grades, item analysis, score chart, exports, and one student's
variants and history."""

from flask import Response, abort, render_template, request

from app.extensions import db
from app.models import EnrolmentRole, User
from app.services.assignments import submissions
from app.services.assignments.builder import assignments_of
from app.services.assignments.variants import seed_for
from app.services.courses.membership import find_enrolment
from app.services.courses.timezones import display
from app.services.reports import exports, item_analysis
from app.services.reports import gradebook as books
from app.services.reports.score_chart import histogram_svg
from app.web.access import instructor_required
from app.web.course_access import instructor_assignment, instructor_course
from app.web.grades import bp


@bp.route("/")
@instructor_required
def gradebook(course_id: int):
    course = instructor_course(course_id)
    return render_template("grades/gradebook.html", course=course,
                           book=books.build(course))


@bp.route("/chart.svg")
@instructor_required
def chart(course_id: int):
    course = instructor_course(course_id)
    book = books.build(course)
    assignment = None
    if "assignment" in request.args:
        _, assignment = instructor_assignment(course_id, request.args.get("assignment", 0,
                                                                          type=int))
    counts = books.score_distribution(book, assignment)
    title = f"Scores: {assignment.title if assignment else course.title}"
    return Response(histogram_svg(counts, title), mimetype="image/svg+xml")


@bp.route("/assignments/<int:assignment_id>")
@instructor_required
def assignment(course_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    return render_template("grades/assignment.html", course=course, assignment=assignment,
                           grades=books.assignment_grades(assignment))


@bp.route("/assignments/<int:assignment_id>/analysis")
@instructor_required
def analysis(course_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    stats = item_analysis.analyse(assignment)
    return render_template("grades/analysis.html", course=course, assignment=assignment,
                           stats=stats)


@bp.route("/export/<fmt>.csv")
@instructor_required
def export(course_id: int, fmt: str):
    course = instructor_course(course_id)
    try:
        chosen = exports.ExportFormat(fmt)
    except ValueError:
        abort(404)
    return Response(
        exports.export_bytes(course, chosen), content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition":
                 f'attachment; filename="{exports.filename(course, chosen)}"'})


@bp.route("/students/<int:student_id>")
@instructor_required
def student(course_id: int, student_id: int):
    course = instructor_course(course_id)
    user = db.session.get(User, student_id)
    enrolment = find_enrolment(course, user) if user else None
    if enrolment is None or enrolment.role != EnrolmentRole.STUDENT:
        abort(404)
    sections = []
    for a in assignments_of(course):
        items = [(item, seed_for(a, item, user.id), submissions.history(item, user.id))
                 for item in a.items]
        sections.append((a, items))
    return render_template("grades/student.html", course=course, student=user,
                           sections=sections, display=display)
