"""Grade export as CSV: the gradebook, every submission, or Canvas's gradebook import layout.

All three are UTF-8 with a header row. Text cells that a spreadsheet would run as a formula
(starting with = + - @, tab or carriage return) get a leading apostrophe; numbers are written
as plain numbers so they read back unchanged.
"""

from __future__ import annotations

import csv
import enum
import io
from collections.abc import Iterable, Iterator
from datetime import UTC

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Course, User
from app.models.assignment import Assignment, AssignmentItem, Submission
from app.services.reports import gradebook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(enum.StrEnum):
    GRADEBOOK = "gradebook"
    SUBMISSIONS = "submissions"
    CANVAS = "canvas"


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formulas in text; leave numbers as numbers."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return _number(value)
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _number(value: float) -> str:
    # repr-style shortest form: 2.5 stays "2.5", 3.0 becomes "3", nothing like 2.4999999.
    value = round(float(value), 4)
    return str(int(value)) if value.is_integer() else repr(value)


def _write(rows: Iterable[list[object]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()


def _assignment_heading(assignment: Assignment) -> str:
    return f"{assignment.title} ({assignment.id})"


def gradebook_rows(course: Course) -> Iterator[list[object]]:
    book = gradebook.build(course)
    # Headings in the reader's language (a spreadsheet for people); Canvas's stay its own.
    yield [_("name"), _("email"), *(_assignment_heading(a) for a in book.assignments),
           _("total"), _("percent")]
    for student in book.students:
        yield [student.display_name, student.email,
               *(book.cell(student, a) for a in book.assignments),
               book.total(student), book.percent(student)]


def submission_rows(course: Course) -> Iterator[list[object]]:
    yield [_("time"), _("student_email"), _("assignment"), _("item"), _("template_id"),
           _("seed"), _("answer"), _("verdict"), _("mistake"), _("points"), _("late")]
    S = Submission
    # Plain rows, not ORM objects: a large course has tens of thousands of submissions.
    rows = db.session.execute(
        select(S.submitted_at, User.email, Assignment.title, AssignmentItem.position,
               S.template_id, S.seed, S.answer_text, S.verdict, S.mistake_kind,
               S.points_awarded, S.late_days)
        .join(AssignmentItem, S.item_id == AssignmentItem.id)
        .join(Assignment, AssignmentItem.assignment_id == Assignment.id)
        .join(User, S.student_id == User.id)
        .where(Assignment.course_id == course.id)
        .order_by(S.submitted_at, S.id))
    for when, email, title, position, template_id, seed, answer, verdict, kind, points, late \
            in rows:
        yield [when.astimezone(UTC).isoformat().replace("+00:00", "Z"), email, title,
               position, template_id, seed, answer, verdict.value, kind or "", points,
               late > 0]


def canvas_rows(course: Course) -> Iterator[list[object]]:
    """Canvas's import layout: Student, ID, SIS User ID, SIS Login ID, Section, then one
    column per assignment, with a "Points Possible" row first. Canvas matches students on
    SIS Login ID here (their email); IDs we do not know stay empty, which Canvas accepts,
    and assignment columns it does not know become new assignments."""
    book = gradebook.build(course)
    headings = [a.title for a in book.assignments]
    yield ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *headings]
    yield ["Points Possible", "", "", "", "", *(a.total_points for a in book.assignments)]
    for student in book.students:
        yield [student.display_name, "", "", student.email, course.title,
               *(book.cell(student, a) for a in book.assignments)]


_ROWS = {
    ExportFormat.GRADEBOOK: gradebook_rows,
    ExportFormat.SUBMISSIONS: submission_rows,
    ExportFormat.CANVAS: canvas_rows,
}


def export_csv(course: Course, fmt: ExportFormat) -> str:
    return _write(_ROWS[ExportFormat(fmt)](course))


def filename(course: Course, fmt: ExportFormat) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in course.title.lower()).strip("-")[:40]
    return f"{slug or 'course'}-{course.id}-{ExportFormat(fmt).value}.csv"
