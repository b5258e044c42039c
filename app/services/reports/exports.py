"""Grade export as CSV: the gradebook, every submission, or Canvas's gradebook import layout.

All three are UTF-8 with a byte-order mark (`export_bytes`: without it Excel reads the file
in the machine's legacy code page and σ or ŷ turn into mojibake) and a header row. Text cells that a spreadsheet would run as a formula
(starting with = + - @, tab or carriage return) get a leading apostrophe; numbers are written
as plain numbers so they read back unchanged.
"""

from __future__ import annotations

import csv
import enum
import heapq
import io
from collections.abc import Iterable, Iterator

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.models import Course, User
from app.models.assignment import Assignment, AssignmentItem, Submission
from app.services.assignments import audit
from app.services.assignments.audit import iso_time
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
    """Every attempt, and between them (by time) every extension and grade override with its
    old and new value, reason and author: `record` says which a row is."""
    yield [_("time"), _("student_email"), _("assignment"), _("item"), _("template_id"),
           _("seed"), _("answer"), _("verdict"), _("mistake"), _("points"), _("late"),
           _("record"), _("change"), _("reason"), _("changed_by")]
    yield from heapq.merge(_attempt_rows(course), audit.export_rows(course),
                           key=lambda row: row[0])


def _attempt_rows(course: Course) -> Iterator[list[object]]:
    S = Submission
    # Plain rows, not ORM objects: a large course has tens of thousands of submissions.
    rows = db.session.execute(
        select(S.submitted_at, User.email, Assignment.title, AssignmentItem.position,
               S.template_id, S.seed, S.answer_text, S.verdict, S.mistake_kind,
               S.mistake_message, S.points_awarded, S.late_days)
        .join(AssignmentItem, S.item_id == AssignmentItem.id)
        .join(Assignment, AssignmentItem.assignment_id == Assignment.id)
        .join(User, S.student_id == User.id)
        .where(Assignment.course_id == course.id)
        .order_by(S.submitted_at, S.id))
    for (when, email, title, position, template_id, seed, answer, verdict, kind, message,
         points, late) in rows:
        # The mistake as the student was told it; its kind when no message was kept.
        yield [iso_time(when), email, title, position, template_id, seed, answer,
               verdict.value, message or kind or "", points, late > 0, "attempt", "", "", ""]


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


def export_bytes(course: Course, fmt: ExportFormat) -> bytes:
    """The export as a file to download: UTF-8 with a byte-order mark, which Excel needs to
    read it as UTF-8 (other spreadsheets and Python's csv with utf-8-sig skip it)."""
    return export_csv(course, fmt).encode("utf-8-sig")


def filename(course: Course, fmt: ExportFormat) -> str:
    slug = "".join(c if c.isalnum() else "-" for c in course.title.lower()).strip("-")[:40]
    return f"{slug or 'course'}-{course.id}-{ExportFormat(fmt).value}.csv"
