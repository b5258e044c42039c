"""Forgotten passwords: a reset link by email when a mail server is configured."""

import logging
from datetime import timedelta

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.cas.i18n import N_
from app.extensions import db
from app.services.accounts import mail, reset_tokens
from app.services.accounts.passwords import PASSWORD_HINT
from app.services.errors import ServiceError
from app.web.auth import bp
from app.web.auth.forms import ForgotPasswordForm, ResetPasswordForm

log = logging.getLogger(__name__)

SENT = N_("If an account uses this email, a link to choose a new password is on its way. "
          "It works once, for %(minutes)s minutes. Check your spam folder if nothing arrives.")


def _send_link(settings: mail.MailSettings, email: str) -> None:
    minutes = current_app.config["PASSWORD_RESET_MINUTES"]
    issued = reset_tokens.issue(email, timedelta(minutes=minutes))
    if issued is None:
        return
    user, token = issued
    # Links are built from the configured public address, never from the request's Host
    # header, which a client controls.
    link = current_app.config["BASE_URL"] + url_for("auth.reset_password", token=token)
    body = (_("Hello %(display_name)s,\n\nSomeone (hopefully you) asked to reset the password "
               "of your GradWork account %(email)s. To choose a new password, open this link "
               "within %(minutes)s minutes:\n\n%(link)s\n\nThe link works once. If you did not "
               "ask for it, ignore this message: your password stays as it is.\n", display_name=user.display_name, email=user.email, minutes=minutes, link=link))
    try:
        mail.send(settings, user.email, _("Reset your GradWork password"), body)
    except mail.MailError:
        # The answer stays the same (it must not reveal that the account exists); the
        # failure is for the operator.
        log.exception("sending a password reset link failed")
        db.session.rollback()
        return
    db.session.commit()


@bp.route("/forgot", methods=["GET", "POST"])
def forgot_password():
    if current_user.is_authenticated:
        return redirect(url_for("auth.change_password"))
    settings = mail.MailSettings.from_config(current_app.config)
    form = ForgotPasswordForm()
    status = 200
    if settings is not None and form.validate_on_submit():
        _send_link(settings, form.email.data)
        flash(_(SENT, minutes=current_app.config["PASSWORD_RESET_MINUTES"]), "info")
        return redirect(url_for("auth.login"))
    if settings is not None and form.is_submitted():
        status = 400
    return render_template("auth/forgot.html", form=form, mail_enabled=settings is not None), \
        status


@bp.route("/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    try:
        user = reset_tokens.user_for(token)
    except reset_tokens.InvalidResetLink as exc:
        return render_template("auth/reset.html", form=None, error=str(exc)), 410
    form = ResetPasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            reset_tokens.redeem(token, form.new_password.data)
        except ServiceError as exc:
            db.session.rollback()
            form.new_password.errors = [*form.new_password.errors, str(exc)]
            status = 400
        else:
            db.session.commit()
            flash(_("Your password has been changed and every session of your account was logged "
                     "out. Log in with the new password."), "success")
            return redirect(url_for("auth.login"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/reset.html", form=form, user=user, error=None,
                           password_hint=PASSWORD_HINT), status
