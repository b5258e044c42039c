"""The account page: how answers are entered, sessions ("log out other sessions") and
instructors' API keys."""

from datetime import UTC, datetime

from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from limits import parse_many

from app.extensions import db
from app.services.accounts import api_keys, preferences, sessions
from app.services.errors import ServiceError
from app.web.access import instructor_required
from app.web.auth import bp, session_guard
from app.web.auth.forms import (
    AnswerInputForm,
    ApiKeyForm,
    LanguageForm,
    LogoutOthersForm,
    RevokeApiKeyForm,
)
from app.web.language import refresh


def _login_time() -> datetime | None:
    iat = session.get("iat")
    return datetime.fromtimestamp(iat, UTC) if isinstance(iat, int) else None


def _answer_form() -> AnswerInputForm:
    form = AnswerInputForm(formdata=None)
    form.mode.data = "editor" if current_user.formula_editor else "text"
    return form


def _language_form() -> LanguageForm:
    form = LanguageForm(formdata=None)
    form.language.data = current_user.language or ""
    return form


@bp.route("/account")
@login_required
def account():
    return _account_page(_answer_form())


def _account_page(answer_form: AnswerInputForm, status: int = 200,
                  language_form: LanguageForm | None = None):
    config = current_app.config
    return render_template(
        "auth/account.html", logout_form=LogoutOthersForm(prefix="others"),
        answer_form=answer_form, language_form=language_form or _language_form(),
        logged_in_at=_login_time(),
        lifetime_hours=config["SESSION_LIFETIME_HOURS"],
        idle_minutes=config["SESSION_IDLE_MINUTES"]), status


@bp.route("/account/answer-input", methods=["POST"])
@login_required
def answer_input():
    form = AnswerInputForm()
    if not form.validate_on_submit():
        return _account_page(form, status=400)
    preferences.set_formula_editor(current_user._get_current_object(), form.mode.data == "editor")
    db.session.commit()
    if form.mode.data == "editor":
        flash(_("Answers are now entered with the formula editor; the text box under it shows "
                "what is sent."), "success")
    else:
        flash(_("Answers are now entered in the text box."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/account/language", methods=["POST"])
@login_required
def language():
    form = LanguageForm()
    if not form.validate_on_submit():
        return _account_page(_answer_form(), status=400, language_form=form)
    preferences.set_language(current_user._get_current_object(), form.language.data or None)
    db.session.commit()
    # Said in the language just chosen: the locale of this request was picked before the save.
    refresh()
    flash(_("Pages are now shown in the language you chose."), "success")
    return redirect(url_for("auth.account"))


@bp.route("/sessions/logout-others", methods=["POST"])
@login_required
def logout_others():
    if not LogoutOthersForm(prefix="others").validate_on_submit():
        abort(400)
    user = current_user._get_current_object()
    sessions.revoke_all(user)
    db.session.commit()
    session_guard.restamp(user)
    flash(_("Your other sessions are logged out; this one goes on."), "success")
    return redirect(url_for("auth.account"))


def _keys_page(form: ApiKeyForm, new_key: str | None = None, status: int = 200):
    user = current_user._get_current_object()
    return render_template(
        "auth/api_keys.html", form=form, new_key=new_key, keys=api_keys.keys_of(user),
        revoke_form=RevokeApiKeyForm(prefix="revoke"),
        anonymous_limit=_said(current_app.config["API_RATE_LIMIT"]),
        key_limit=_said(current_app.config["API_KEY_RATE_LIMIT"])), status


def _said(limits: str) -> str:
    """`5/second;120/minute` as people say it: 5 per second and 120 per minute."""

    parts = [f"{item.amount} per {item.GRANULARITY.name}" if item.multiples == 1
             else f"{item.amount} per {item.multiples} {item.GRANULARITY.name}s"
             for item in parse_many(limits)]
    return " and ".join(parts)


@bp.route("/api-keys", methods=["GET", "POST"])
@instructor_required
def api_key_list():
    form = ApiKeyForm()
    if not form.is_submitted():
        return _keys_page(form)
    if not form.validate():
        return _keys_page(form, status=400)
    try:
        _row, key = api_keys.create(current_user._get_current_object(), form.name.data)
    except ServiceError as exc:
        db.session.rollback()
        form.name.errors = [*form.name.errors, str(exc)]
        return _keys_page(form, status=400)
    db.session.commit()
    # Shown once, on this response only: only its hash is kept.
    return _keys_page(ApiKeyForm(formdata=None), new_key=key, status=201)


@bp.route("/api-keys/<int:key_id>/revoke", methods=["POST"])
@instructor_required
def revoke_api_key(key_id: int):
    if not RevokeApiKeyForm(prefix="revoke").validate_on_submit():
        abort(400)
    try:
        row = api_keys.revoke(current_user._get_current_object(), key_id)
    except ServiceError:
        db.session.rollback()
        abort(404)
    db.session.commit()
    flash(_("The key “%(name)s” is revoked; tools using it are refused from now on.",
            name=row.name), "success")
    return redirect(url_for("auth.api_key_list"))
