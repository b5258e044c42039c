"""Templates in and out of a course: export, import, updating an assignment to the latest
version (with its regrade), and an admin's promotion to the shared bank."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.bank.source import MAX_SOURCE_CHARS
from app.extensions import db
from app.services.assignments import builder
from app.services.authoring import bank_files, store, transfer
from app.services.errors import NotFound, ServiceError
from app.services.jobs import queue
from app.web.access import admin_required, instructor_required
from app.web.authoring import bp
from app.web.authoring.editing import check, template_or_404
from app.web.authoring.routes import bank_ids
from app.web.checker import checker
from app.web.course_access import instructor_course


def _download(body: str | bytes, name: str, mimetype: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@bp.route("/<int:template_id>/export")
@instructor_required
def export_one(course_id: int, template_id: int):
    course = instructor_course(course_id)
    name, text = transfer.export_one(template_or_404(course, template_id))
    return _download(text, name, "application/x-yaml; charset=utf-8")


@bp.route("/export")
@instructor_required
def export_all(course_id: int):
    course = instructor_course(course_id)
    return _download(transfer.export_all(course), f"course-{course.id}-templates.zip",
                     "application/zip")


def _uploaded_text() -> tuple[str | None, str]:
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None, _("Choose a YAML file to import.")
    raw = upload.read(MAX_SOURCE_CHARS * 4 + 1)
    try:
        text = raw.decode("utf-8").replace("\r\n", "\n")
    except UnicodeDecodeError:
        return None, _("The file is not UTF-8 text.")
    return text, upload.filename[:100]


@bp.route("/import", methods=["POST"])
@instructor_required
def import_file(course_id: int):
    """One YAML file: a new template, or a new version of the course's template with its id.
    Validated like the editor's text; nothing is stored when it has an error."""
    course = instructor_course(course_id)
    text, name = _uploaded_text()
    if text is None:
        return _import_failed(course, name, None)
    checked = check(text, name)
    if not checked.ok:
        return _import_failed(course, _("%(file)s was not imported: it has errors.", file=name),
                              checked)
    existing = store.find_by_slug(course, checked.report.template_id)
    try:
        if existing is None:
            saved = store.create_template(course, current_user, text, checked.report, bank_ids())
        else:
            saved = store.save_version(existing, current_user, text, checked.report)
    except ServiceError as exc:
        db.session.rollback()
        return _import_failed(course, str(exc), None)
    db.session.commit()
    flash(_("%(file)s imported as %(id)s, version %(n)s.", file=name, id=saved.template.slug,
            n=saved.version.number), "success")
    return redirect(url_for("authoring.index", course_id=course.id))


def _import_failed(course, message: str, checked):
    templates = store.templates_of(course)
    return render_template(
        "authoring/index.html", course=course, templates=templates, bank=(),
        shared=store.shared_templates(course), usages={t.id: store.usages(t) for t in templates},
        import_message=message, import_checked=checked), 400


@bp.route("/<int:template_id>/upgrade/<int:assignment_id>", methods=["POST"])
@instructor_required
def upgrade(course_id: int, template_id: int, assignment_id: int):
    """Move an assignment's items to the latest version and regrade its answers with it."""
    course = instructor_course(course_id)
    template = template_or_404(course, template_id)
    try:
        assignment = builder.get_assignment(course, assignment_id)
        if queue.active(queue.REGRADE, assignment_id=assignment.id) is not None:
            flash(_("A regrade of this assignment is already running; try again when it has "
                    "finished."), "info")
            return redirect(url_for("authoring.edit", course_id=course.id,
                                    template_id=template.id))
        store.upgrade(assignment, template)
    except NotFound:
        abort(404)
    queue.enqueue(queue.REGRADE, {"assignment_id": assignment.id, "course_id": course.id},
                  current_user.id, total=builder.submission_count(assignment))
    db.session.commit()
    flash(_("The items now use version %(n)s; the regrade below re-checks every answer with "
            "it.", n=template.latest_number), "info")
    return redirect(url_for("assignments.edit", course_id=course.id,
                            assignment_id=assignment.id) + "#regrade")


@bp.route("/bank-files/<int:assignment_id>", methods=["POST"])
@instructor_required
def accept_bank_files(course_id: int, assignment_id: int):
    """Accept changed bank files under an assignment's items and regrade its answers."""
    course = instructor_course(course_id)
    try:
        assignment = builder.get_assignment(course, assignment_id)
    except NotFound:
        abort(404)
    back = url_for("assignments.edit", course_id=course.id, assignment_id=assignment.id)
    if queue.active(queue.REGRADE, assignment_id=assignment.id) is not None:
        flash(_("A regrade of this assignment is already running; try again when it has "
                "finished."), "info")
        return redirect(back)
    bank_files.accept(assignment, bank_files.file_hashes(checker().settings.problems_dir))
    if builder.submission_count(assignment):
        queue.enqueue(queue.REGRADE, {"assignment_id": assignment.id, "course_id": course.id},
                      current_user.id, total=builder.submission_count(assignment))
        flash(_("The new files are accepted; the regrade below re-checks every answer with "
                "them."), "info")
    else:
        flash(_("The new files are accepted."), "info")
    db.session.commit()
    return redirect(back + "#regrade")


@bp.route("/<int:template_id>/share", methods=["POST"])
@admin_required
def share(course_id: int, template_id: int):
    """Promote the template to the shared bank, or take it back (admins only)."""
    course = instructor_course(course_id)
    template = template_or_404(course, template_id)
    shared = request.form.get("shared") == "1"
    store.set_shared(template, shared)
    db.session.commit()
    flash(_("%(id)s is now in the shared bank.", id=template.slug) if shared
          else _("%(id)s is no longer shared.", id=template.slug), "success")
    if request.form.get("back") == "admin":
        return redirect(url_for("authoring_admin.index"))
    return redirect(url_for("authoring.edit", course_id=course.id, template_id=template.id))
