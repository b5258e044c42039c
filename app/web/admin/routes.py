from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.extensions import db
from app.models import Role, User
from app.services.accounts import reset_tokens
from app.services.accounts.passwords import PASSWORD_HINT
from app.services.accounts.users import create_user, set_active
from app.services.errors import ServiceError
from app.web.access import admin_required
from app.web.admin import bp
from app.web.admin.forms import AccountActionForm, CreateUserForm
from app.web.labels import role_label


def _page(form: CreateUserForm, status: int = 200, reset_link: tuple[User, str] | None = None):
    people = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    return render_template("admin/users.html", form=form, users=people,
                           action_form=AccountActionForm(prefix="action"),
                           password_hint=PASSWORD_HINT, reset_link=reset_link,
                           reset_minutes=current_app.config["PASSWORD_RESET_MINUTES"]), status


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    form = CreateUserForm()
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.display_name.data,
                               form.password.data, Role(form.role.data))
        except ServiceError as exc:
            db.session.rollback()
            target = form.password if "password" in str(exc).lower() else form.email
            target.errors = [*target.errors, str(exc)]
            return _page(form, 400)
        db.session.commit()
        flash(_("Created %(role)s %(email)s.", role=role_label(user.role), email=user.email),
              "success")
        return redirect(url_for("admin.users"))
    return _page(form, 400 if form.is_submitted() else 200)


def _target(user_id: int) -> User:
    if not AccountActionForm(prefix="action").validate_on_submit():
        abort(400)
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/users/<int:user_id>/active", methods=["POST"])
@admin_required
def set_user_active(user_id: int):
    user = _target(user_id)
    active = request.form.get("active") == "1"
    try:
        set_active(user, active, by=current_user._get_current_object())
    except ServiceError as exc:
        db.session.rollback()
        flash(str(exc), "error")
    else:
        db.session.commit()
        if active:
            flash(_("%(email)s is reactivated.", email=user.email), "success")
        else:
            flash(_("%(email)s is deactivated; every session of it has ended.", email=user.email),
                  "success")
    return redirect(url_for("admin.users"))


@bp.route("/users/<int:user_id>/reset-link", methods=["POST"])
@admin_required
def reset_link(user_id: int):
    user = _target(user_id)
    issued = reset_tokens.issue(user.email, timedelta(
        minutes=current_app.config["PASSWORD_RESET_MINUTES"]))
    if issued is None:
        flash(_("No link for %(email)s: the account is deactivated or had "
                 "%(max_links_per_hour)s links in the last hour.", email=user.email, max_links_per_hour=reset_tokens.MAX_LINKS_PER_HOUR), "error")
        return redirect(url_for("admin.users"))
    db.session.commit()
    # Shown to the admin who asked, in their own browser, to pass on to the person.
    base = current_app.config.get("BASE_URL") or request.host_url.rstrip("/")
    link = base + url_for("auth.reset_password", token=issued[1])
    return _page(CreateUserForm(formdata=None), reset_link=(user, link))
