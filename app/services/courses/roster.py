"""Adding students to a course by email, one at a time or from a CSV roster.

Every row of an upload gets a line in the report (added, skipped or invalid, with the reason),
so an instructor can fix the file and upload it again: re-uploading is harmless because
students already enrolled are skipped.
"""

from __future__ import annotations

import csv
import enum
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from app.models import Course, EnrolmentRole, Role
from app.services.accounts.users import find_user_by_email, normalize_email
from app.services.courses.membership import enrol, find_enrolment
from app.services.errors import ServiceError

MAX_ROSTER_BYTES = 1024 * 1024
MAX_ROSTER_ROWS = 5000
EMAIL_HEADERS = ("email", "e-mail", "email address", "mail")
NO_STUDENT_ACCOUNT = ("Not added: there is no student account with this email. Ask the student "
                      "to register with it, then add them again, or give them the join code.")


class RowStatus(enum.StrEnum):
    ADDED = "added"
    SKIPPED = "skipped"
    INVALID = "invalid"


@dataclass(frozen=True)
class RowResult:
    line: int
    email: str
    status: RowStatus
    reason: str


def add_student(course: Course, raw_email: str, line: int = 1) -> RowResult:
    shown = (raw_email or "").strip()[:254]
    try:
        email = normalize_email(shown)
    except ServiceError as exc:
        return RowResult(line, shown, RowStatus.INVALID, str(exc))
    user = find_user_by_email(email)
    existing = None if user is None else find_enrolment(course, user)
    if existing is not None:
        # Members are listed on the course page already: saying so reveals nothing new.
        reason = (_("Already in the course as a student.") if existing.role == EnrolmentRole.STUDENT
                  else _("Already in the course as an instructor."))
        return RowResult(line, email, RowStatus.SKIPPED, reason)
    if user is None or user.role is not Role.STUDENT or not user.is_active:
        # One answer for "no account", "an instructor's or admin's account" and "deactivated",
        # so the roster cannot be used to find out which addresses have accounts.
        return RowResult(line, email, RowStatus.SKIPPED, NO_STUDENT_ACCOUNT)
    enrol(course, user, EnrolmentRole.STUDENT)
    return RowResult(line, email, RowStatus.ADDED, f"Enrolled {user.display_name}.")


def decode_roster(data: bytes) -> str:
    if len(data) > MAX_ROSTER_BYTES:
        raise ServiceError(_("The file is larger than %(value)s KiB; split the roster into smaller files.", value=MAX_ROSTER_BYTES // 1024))
    if not data.strip():
        raise ServiceError(_("The file is empty."))
    try:
        # utf-8-sig drops the byte-order mark Excel writes in front of "CSV UTF-8" files.
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ServiceError(_("The file is not UTF-8 text. In Excel, save it as “CSV UTF-8 (Comma "
                              "delimited)”.")) from None


def _email_column(header: list[str]) -> int | None:
    names = [cell.strip().lower() for cell in header]
    for candidate in EMAIL_HEADERS:
        if candidate in names:
            return names.index(candidate)
    return None


def parse_roster(text: str) -> list[tuple[int, str]]:
    """(line number, email cell) for each data row. A header naming an email column is used
    when present; otherwise the file must be one email per line."""
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise ServiceError(_("The file is not valid CSV: %(exc)s.", exc=exc)) from None
    rows = [(number, row) for number, row in enumerate(rows, start=1)
            if any(cell.strip() for cell in row)]
    if not rows:
        raise ServiceError(_("The file has no rows."))
    column = _email_column(rows[0][1])
    if column is not None:
        rows = rows[1:]
    elif any(len([c for c in row if c.strip()]) > 1 for _, row in rows):
        raise ServiceError(_("The file has several columns but no header row naming the “email” column."))
    else:
        column = 0
    if len(rows) > MAX_ROSTER_ROWS:
        raise ServiceError(_("The file has %(count)s rows; at most %(max_roster_rows)s at once.", count=len(rows), max_roster_rows=MAX_ROSTER_ROWS))
    return [(number, row[column] if column < len(row) else "") for number, row in rows]


def import_roster(course: Course, data: bytes) -> list[RowResult]:
    """Enrol every valid row; raises ServiceError only when the file as a whole is unusable."""
    results: list[RowResult] = []
    seen: set[str] = set()
    for line, cell in parse_roster(decode_roster(data)):
        key = cell.strip().lower()
        if key and key in seen:
            results.append(RowResult(line, cell.strip(), RowStatus.SKIPPED,
                                     _("Repeats an earlier row.")))
            continue
        seen.add(key)
        if not key:
            results.append(RowResult(line, "", RowStatus.INVALID, _("No email in this row.")))
            continue
        results.append(add_student(course, cell, line))
    return results
