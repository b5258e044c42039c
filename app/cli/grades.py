"""`flask grades export` and `flask grades regrade`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import checker_of, db
from app.models import Course
from app.models.assignment import Assignment
from app.services.assignments.builder import submission_count
from app.services.assignments.regrade import regrade
from app.services.reports import exports

cli = AppGroup("grades", help="Export grades and regrade assignments.")


@cli.command("export")
@click.option("--course", "course_id", type=int, required=True, help="Course id.")
@click.option("--format", "fmt", type=click.Choice([f.value for f in exports.ExportFormat]),
              default="gradebook", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True, allow_dash=True),
              required=True, help="CSV file to write ('-' for standard output).")
def export(course_id: int, fmt: str, output: str) -> None:
    """Write a course's grades as CSV (UTF-8 with a byte-order mark, header row)."""
    course = db.session.get(Course, course_id)
    if course is None:
        raise click.ClickException(f"There is no course with id {course_id}.")
    chosen = exports.ExportFormat(fmt)
    # Bytes, so the CSV's own CRLF line ends pass through untranslated on every platform; a
    # file gets the byte-order mark Excel needs, a pipe the plain text.
    data = (exports.export_csv(course, chosen).encode("utf-8") if output == "-"
            else exports.export_bytes(course, chosen))
    with click.open_file(output, "wb") as handle:
        handle.write(data)
    if output != "-":
        click.echo(f"Wrote {fmt} export of {course.title!r} to {output}.", err=True)


@cli.command("regrade")
@click.option("--assignment", "assignment_id", type=int, required=True, help="Assignment id.")
def regrade_command(assignment_id: int) -> None:
    """Re-check every submission of an assignment with the current engine (one transaction)."""
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        raise click.ClickException(f"There is no assignment with id {assignment_id}.")
    total = submission_count(assignment)
    try:
        with click.progressbar(length=total, label="Re-checking", file=sys.stderr) as bar:
            report = regrade(assignment, checker_of(current_app), on_progress=bar.update)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    click.echo(f"Checked {report.checked} submissions of {assignment.title!r}: "
               f"{len(report.changed)} verdicts changed, {report.rescored} scores updated.")
    for change in report.changed:
        click.echo(f"  submission {change.submission_id} (student {change.student_id}, "
                   f"item {change.item_position}): {change.before.value} → "
                   f"{change.after.value}  answer {change.answer!r}")
    if report.unchecked:
        click.echo(f"{report.unchecked} answers could not be re-checked in time and kept "
                   "their verdict; run the regrade again later.")
