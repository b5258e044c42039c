from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from app.extensions import db
from app.models import Role
from app.services.accounts import authentication, users
from app.services.errors import Conflict, ServiceError
from app.web.auth import bp
from app.web.auth.forms import ChangePasswordForm, LoginForm, RegisterForm


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: an open redirect would make phishing links look like ours.
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("main.index")


def _throttle() -> authentication.Throttle:
    return authentication.Throttle(
        max_failures=current_app.config["LOGIN_MAX_FAILURES"],
        window=timedelta(minutes=current_app.config["LOGIN_WINDOW_MINUTES"]),
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = authentication.authenticate(form.email.data, form.password.data,
                                         request.remote_addr or "unknown", _throttle())
        except authentication.LoginThrottled as exc:
            db.session.commit()
            flash(str(exc), "error")
            status = 429
        except authentication.InvalidCredentials as exc:
            db.session.commit()  # the failed attempt must count even though login failed
            flash(str(exc), "error")
            status = 401
        else:
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form), status


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
            if isinstance(exc, Conflict):
                message = "This email cannot be registered. If it is yours, log in instead."
            form.email.errors = [*form.email.errors, message]
            status = 400
        else:
            db.session.commit()
            login_user(user)
            flash("Welcome to GradWork!", "success")
            return redirect(url_for("main.index"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/register.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_required
def logout():
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            users.change_password(current_user, form.current_password.data,
                                     form.new_password.data)
        except ServiceError as exc:
            db.session.rollback()
            form.current_password.errors = [*form.current_password.errors, str(exc)]
            status = 400
        else:
            db.session.commit()
            flash("Your password has been changed.", "success")
            return redirect(url_for("main.index"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/password.html", form=form), status
