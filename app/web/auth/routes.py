from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.extensions import db
from app.models import Role
from app.services.accounts import authentication, throttling, users
from app.services.accounts.passwords import PASSWORD_HINT
from app.services.errors import Conflict, ServiceError
from app.web.auth import bp, devices, session_guard
from app.web.auth.forms import ChangePasswordForm, LoginForm, RegisterForm


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: an open redirect would make phishing links look like ours.
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("main.index")


def _throttle() -> authentication.Throttle:
    config = current_app.config
    return authentication.Throttle(
        max_failures=config["LOGIN_MAX_FAILURES"],
        window=timedelta(minutes=config["LOGIN_WINDOW_MINUTES"]),
        base_delay=timedelta(seconds=config["LOGIN_DELAY_SECONDS"]),
    )


def _attempt_login(form: LoginForm):
    """(response or None, status, headers) for a submitted, valid login form."""
    key = throttling.account_key(form.email.data)
    try:
        user = authentication.authenticate(form.email.data, form.password.data,
                                           request.remote_addr, _throttle(),
                                           known_device=devices.is_known(key))
    except authentication.LoginThrottled as exc:
        db.session.commit()
        flash(str(exc), "error")
        return None, 429, {"Retry-After": str(exc.retry_after_seconds)}
    except authentication.InvalidCredentials as exc:
        db.session.commit()  # the failed attempt must count even though login failed
        flash(str(exc), "error")
        return None, 401, {}
    except authentication.AccountInactive as exc:
        db.session.commit()
        flash(str(exc), "error")
        return None, 403, {}
    db.session.commit()
    session_guard.start(user)
    response = redirect(_safe_next(request.args.get("next")))
    devices.remember(response, key)
    return response, 302, {}


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status, headers = 200, {}
    if form.validate_on_submit():
        response, status, headers = _attempt_login(form)
        if response is not None:
            return response
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status, headers


def _field_for(form: RegisterForm, message: str):
    """The field a service refusal is about (its messages name what they refuse)."""
    lowered = message.lower()
    if "password" in lowered:
        return form.password
    if "email" in lowered:
        return form.email
    return form.display_name if "name" in lowered else form.email


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = RegisterForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = users.create_user(form.email.data, form.display_name.data,
                                     form.password.data, Role.STUDENT)
        except ServiceError as exc:
            db.session.rollback()
            # A taken email gets a neutral message pointing to login rather than
            # "already registered", which would confirm the account to a stranger.
            message = str(exc)
            target = _field_for(form, message)
            if isinstance(exc, Conflict):
                message = _("This email cannot be registered. If it is yours, log in instead.")
            target.errors = [*target.errors, message]
            status = 400
        else:
            db.session.commit()
            session_guard.start(user)
            flash(_("Welcome to GradWork!"), "success")
            return redirect(url_for("main.index"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/register.html", form=form, password_hint=PASSWORD_HINT), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    session_guard.end(current_user._get_current_object())
    db.session.commit()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        try:
            users.change_password(user, form.current_password.data, form.new_password.data)
        except ServiceError as exc:
            db.session.rollback()
            target = form.current_password if "current" in str(exc) else form.new_password
            target.errors = [*target.errors, str(exc)]
            status = 400
        else:
            db.session.commit()
            session_guard.restamp(user)
            flash(_("Your password has been changed. Your other sessions have been logged out."),
                  "success")
            return redirect(url_for("auth.account"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/password.html", form=form, password_hint=PASSWORD_HINT), status


from app.web.auth import account_routes, reset_routes  # noqa: E402,F401
