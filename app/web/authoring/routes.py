"""The template editor: the course's list, a new template (blank or a copy), editing one, and
the JSON check the page calls as the instructor types."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from app.checker.client import Unavailable
from app.extensions import db
from app.services.authoring import store, transfer
from app.services.errors import NotFound, ServiceError
from app.web.access import instructor_required
from app.web.authoring import bp
from app.web.authoring.editing import (
    STARTER,
    Checked,
    check,
    editor,
    posted_source,
    template_or_404,
)
from app.web.checker import checker
from app.web.course_access import instructor_course


def bank_ids() -> set[str]:
    try:
        return {entry.template_id for entry in checker().catalogue()}
    except Unavailable:
        abort(503, _("The problem bank is busy; please try again in a moment."))


@bp.route("/")
@instructor_required
def index(course_id: int):
    course = instructor_course(course_id)
    templates = store.templates_of(course)
    try:
        bank = checker().catalogue()
    except Unavailable:
        bank = ()
    return render_template(
        "authoring/index.html", course=course, templates=templates, bank=bank,
        shared=store.shared_templates(course),
        usages={t.id: store.usages(t) for t in templates})


def _copy_source(course, taken: set[str]) -> tuple[str, str | None]:
    """The starting text of a new template: a copy of a bank or shared template when asked."""
    bank_id, shared_id = request.args.get("copy", ""), request.args.get("copy_shared", type=int)
    if not bank_id and shared_id is None:
        return STARTER, None
    try:
        if shared_id is not None:
            original = store.get_shared(shared_id)
            text, name = store.latest(original).source, original.slug
        else:
            text, name = transfer.bank_source(checker().settings.problems_dir, bank_id), bank_id
    except NotFound:
        abort(404)
    return transfer.with_id(text, transfer.copy_id(name, taken)), name


@bp.route("/new", methods=["GET", "POST"])
@instructor_required
def new(course_id: int):
    course = instructor_course(course_id)
    if request.method == "GET":
        taken = bank_ids() | {t.slug for t in store.templates_of(course)}
        text, copied_from = _copy_source(course, taken)
        return editor(course, None, check(text, "new template"), text, copied_from=copied_from)
    checked = check(posted_source(), "new template")
    if request.form.get("action") != "save" or not checked.ok:
        return editor(course, None, checked, checked.text, 200 if checked.ok else 400)
    try:
        saved = store.create_template(course, current_user, checked.text, checked.report,
                                      bank_ids())
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return editor(course, None, checked, checked.text, 409)
    db.session.commit()
    flash(_("Template %(id)s saved as version 1.", id=saved.template.slug), "success")
    return redirect(url_for("authoring.edit", course_id=course.id,
                            template_id=saved.template.id))


@bp.route("/<int:template_id>", methods=["GET", "POST"])
@instructor_required
def edit(course_id: int, template_id: int):
    course = instructor_course(course_id)
    template = template_or_404(course, template_id)
    if request.method == "GET":
        # The page opens with the latest version's preview: the instructor sees what students
        # get before changing anything.
        text = store.latest(template).source
        return editor(course, template, check(text, template.slug), text)
    checked = check(posted_source(), template.slug)
    if request.form.get("action") != "save" or not checked.ok:
        return editor(course, template, checked, checked.text, 200 if checked.ok else 400)
    try:
        saved = store.save_version(template, current_user, checked.text, checked.report)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
        return editor(course, template, checked, checked.text, 409)
    db.session.commit()
    _flash_saved(saved)
    return redirect(url_for("authoring.edit", course_id=course.id, template_id=template.id))


def _flash_saved(saved: store.Saved) -> None:
    if not saved.new_version:
        flash(_("Nothing changed: version %(n)s is still the latest.", n=saved.version.number),
              "info")
        return
    flash(_("Saved as version %(n)s.", n=saved.version.number), "success")
    behind = [u for u in store.usages(saved.template) if u.behind and u.assignment.is_published]
    if behind:
        flash(ngettext("%(num)d published assignment still uses an earlier version: its "
                       "answers keep the grades of that version until you update and regrade "
                       "it (below).",
                       "%(num)d published assignments still use an earlier version: their "
                       "answers keep the grades of that version until you update and regrade "
                       "them (below).", len(behind)), "info")


@bp.route("/<int:template_id>/versions/<int:number>")
@instructor_required
def version(course_id: int, template_id: int, number: int):
    course = instructor_course(course_id)
    template = template_or_404(course, template_id)
    found = next((v for v in template.versions if v.number == number), None)
    if found is None:
        abort(404)
    return render_template("authoring/version.html", course=course, template=template,
                           version=found)


@bp.route("/check", methods=["POST"])
@instructor_required
def check_json(course_id: int):
    """The editor's live check: errors and the rendered preview, for the page's script."""
    instructor_course(course_id)
    checked: Checked = check(posted_source(), request.form.get("name", "template")[:60])
    preview = render_template("authoring/_preview.html", checked=checked)
    errors = render_template("authoring/_errors.html", checked=checked)
    return jsonify({
        "ok": checked.ok,
        "errors": [{"field": e.field, "line": e.line, "message": e.message}
                   for e in checked.errors] if not checked.ok else [],
        "errors_html": errors, "preview_html": preview,
    })
