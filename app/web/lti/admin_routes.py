"""The admin's platform registry page, the course page's roster sync, and the assignment
page's passback status and retry (shown through template globals, so the pages that include
them need no change to their views)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length

from app.extensions import db
from app.models.assignment import Assignment
from app.services.errors import ServiceError
from app.services.lti import contexts, nrps, passback, platforms
from app.web.access import admin_required, instructor_required
from app.web.course_access import instructor_assignment, instructor_course
from app.web.lti import bp
from app.web.lti.routes import tool_urls


class PlatformForm(FlaskForm):
    issuer = StringField(_l("Issuer (iss)"), validators=[DataRequired(), Length(max=255)])
    client_id = StringField(_l("Client ID"), validators=[DataRequired(), Length(max=255)])
    deployment_id = StringField(_l("Deployment ID"), validators=[DataRequired(), Length(max=255)])
    auth_url = StringField(_l("Authentication request URL"),
                           validators=[DataRequired(), Length(max=1000)])
    token_url = StringField(_l("Access token URL"), validators=[DataRequired(), Length(max=1000)])
    jwks_url = StringField(_l("Public keyset (JWKS) URL"),
                           validators=[DataRequired(), Length(max=1000)])
    submit = SubmitField(_l("Register platform"))


@bp.route("/admin/platforms", methods=["GET", "POST"])
@admin_required
def admin_platforms():
    form = PlatformForm()
    status = 200
    if form.validate_on_submit():
        try:
            platform = platforms.add_platform(platforms.PlatformInput(
                form.issuer.data, form.client_id.data, form.deployment_id.data,
                form.auth_url.data, form.token_url.data, form.jwks_url.data))
        except ServiceError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            status = 400
        else:
            db.session.commit()
            flash(_("Registered platform %(id)s (%(issuer)s).", id=platform.id, issuer=platform.issuer), "success")
            return redirect(url_for("lti.admin_platforms"))
    elif form.is_submitted():
        status = 400
    return render_template("lti/admin_platforms.html", form=form, tool=tool_urls(),
                           platforms=platforms.all_platforms()), status


@bp.route("/courses/<int:course_id>/roster-sync", methods=["POST"])
@instructor_required
def sync_roster(course_id: int):
    course = instructor_course(course_id)
    try:
        report = nrps.sync(course)
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        flash(_("Roster synced from the LMS: %(line)s.", line=report.line()), "success")
        if report.left:
            names = ", ".join(report.left[:20]) + ("…" if len(report.left) > 20 else "")
            flash(_("No longer in the LMS course (kept here with their work): %(names)s",
                    names=names), "info")
    return redirect(url_for("courses.show", course_id=course.id))


@bp.route("/courses/<int:course_id>/assignments/<int:assignment_id>/passback/retry",
          methods=["POST"])
@instructor_required
def retry_passback(course_id: int, assignment_id: int):
    course, assignment = instructor_assignment(course_id, assignment_id)
    count = passback.retry_failed(assignment)
    db.session.commit()
    flash(_("%(count)s failed score deliveries queued again.", count=count), "success")
    return redirect(url_for("assignments.edit", course_id=course.id,
                            assignment_id=assignment.id) + "#lms-passback")


@bp.app_template_global("lti_passback")
def lti_passback(assignment: Assignment) -> dict | None:
    """Delivery counts and failures for an assignment placed in an LMS; None otherwise."""
    if not contexts.links_of(assignment):
        return None
    return {"counts": passback.summary(assignment), "failures": passback.failures(assignment)}


@bp.app_template_global("lti_contexts")
def lti_contexts(course) -> list:
    return contexts.contexts_of(course)


