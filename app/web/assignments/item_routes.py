"""Items of an assignment: add from the bank, remove, set points, reorder, preview."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from app.bank import SEED_RANGE
from app.cas.i18n import N_
from app.checker.client import Unavailable
from app.checker.results import CatalogueEntry, UnknownVariant
from app.extensions import db
from app.models import Course
from app.services.assignments import builder
from app.services.authoring import bank_files
from app.services.authoring import store as authoring
from app.services.errors import ServiceError
from app.services.practice.topics import topic_label
from app.web.access import instructor_required
from app.web.assignments import bp
from app.web.assignments.forms import ItemForm, PointsForm
from app.web.checker import checker
from app.web.course_access import instructor_assignment, instructor_course


def known_templates(course: Course, *, every_version: bool = False
                    ) -> dict[str, CatalogueEntry]:
    """The bank's templates, the course's own and the shared ones (their latest versions;
    with `every_version`, the course's older versions too, for titles and previews)."""
    try:
        found = {entry.template_id: entry for entry in checker().catalogue()}
    except Unavailable:
        abort(503, N_("The problem bank is busy; please try again in a moment."))
    entries = authoring.catalogue_of(course)
    if every_version:
        entries += authoring.every_version_of(course)
    found.update((entry.template_id, entry) for entry in entries)
    return found


def template_choices(course: Course) -> list[SelectChoice]:
    return [SelectChoice(t.template_id, f"{topic_label(t.topic)} · {t.title}")
            for t in known_templates(course).values()]


def _back(course, assignment):
    return redirect(url_for("assignments.edit", course_id=course.id,
                            assignment_id=assignment.id) + "#items")


@bp.route("/<int:assignment_id>/items", methods=["POST"])
@instructor_required
def add_item(course_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    form = ItemForm()
    form.template_id.choices = template_choices(course)
    if not form.validate_on_submit():
        flash(_("Choose a problem and give its points (0 to 1000)."), "error")
        return _back(course, assignment)
    try:
        item = builder.add_item(assignment, form.template_id.data, form.points.data,
                                known_templates(course))
        # The bank file's text as of now: a later change to it is shown on the assignment.
        bank_files.record(item, bank_files.file_hashes(checker().settings.problems_dir))
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
    return _back(course, assignment)


@bp.route("/<int:assignment_id>/items/<int:item_id>/remove", methods=["POST"])
@instructor_required
def remove_item(course_id: int, assignment_id: int, item_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    try:
        builder.remove_item(assignment, item_id)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
    return _back(course, assignment)


@bp.route("/<int:assignment_id>/items/<int:item_id>/points", methods=["POST"])
@instructor_required
def item_points(course_id: int, assignment_id: int, item_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    form = PointsForm()
    if not form.validate_on_submit():
        flash(_("Points must be a number from 0 to 1000."), "error")
        return _back(course, assignment)
    try:
        note = builder.set_item_points(assignment, item_id, form.points.data)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        if note:
            flash(note, "info")
    return _back(course, assignment)


@bp.route("/<int:assignment_id>/items/<int:item_id>/move", methods=["POST"])
@instructor_required
def move_item(course_id: int, assignment_id: int, item_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    offset = -1 if request.form.get("direction") == "up" else 1
    try:
        builder.move_item(assignment, item_id, offset)
    except ServiceError as exc:
        flash(str(exc), "error")
    db.session.commit()
    return _back(course, assignment)


@bp.route("/preview")
@instructor_required
def preview(course_id: int):
    """A sample variant of a bank template, as a student would see it, with its answer."""
    course = instructor_course(course_id)
    template_id = request.args.get("template", "")
    templates = known_templates(course, every_version=True)
    if template_id not in templates:
        abort(404)
    seed = request.args.get("seed", 1, type=int)
    if not -SEED_RANGE <= seed < SEED_RANGE:
        seed = 1
    try:
        view = checker().view(template_id, seed)
    except (Unavailable, UnknownVariant):
        view = None
    return render_template("assignments/preview.html", course=course,
                           template=templates[template_id], seed=seed, view=view)
