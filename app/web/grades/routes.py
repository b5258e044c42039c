"""Gradebook, per-assignment grades, item analysis, score chart, exports, and one student's
variants and history."""

from flask import Response, abort, render_template, request
from flask_babel import gettext as _

from app.checker.client import Unavailable
from app.services.reports import exports, item_analysis
from app.services.reports import gradebook as books
from app.services.reports.score_chart import histogram_svg
from app.web.access import instructor_required
from app.web.checker import checker
from app.web.course_access import instructor_assignment, instructor_course
from app.web.grades import bp


def template_titles() -> dict[str, str]:
    """Template id -> title; empty while the bank is busy (headings then show ids)."""
    try:
        return {entry.template_id: entry.title for entry in checker().catalogue()}
    except Unavailable:
        return {}


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
        _course, assignment = instructor_assignment(course_id, request.args.get("assignment", 0,
                                                                          type=int))
    counts = books.score_distribution(book, assignment)
    title = _("Scores: %(title)s", title=assignment.title if assignment else course.title)
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
                           stats=stats, titles=template_titles())


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
