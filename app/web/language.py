"""Which language a page is shown in: the account's choice, else the choice an anonymous
visitor made with the header's switcher (kept in the session), else the browser's
`Accept-Language`, else English. Catalogues live in app/translations (compiled by `make`).

The engine (app.cas, app.bank, run in the checker's workers) cannot ask Flask: views pass
`page_language()` to the checker, which says its sentences in that language
(`app.cas.i18n`)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, g, has_request_context, redirect, request, session, url_for
from flask_babel import get_locale, get_translations
from flask_babel import refresh as _babel_refresh
from flask_login import current_user
from jinja2 import pass_context
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import babel, db
from app.services.accounts import preferences
from app.services.accounts.preferences import LANGUAGES

# What browsers send for Chinese and the catalogue that serves it (Traditional is not offered:
# a reader of zh-TW gets English rather than the wrong script).
_BROWSER_TAGS = {"en": "en", "zh": "zh_Hans", "zh_CN": "zh_Hans", "zh_Hans": "zh_Hans",
                 "zh_SG": "zh_Hans", "zh_Hans_CN": "zh_Hans"}
# Each language under its own name (never translated: a reader looks for their own), and the
# BCP 47 tag of `<html lang>`.
NAMES = {"en": "English", "zh_Hans": "简体中文"}
HTML_TAGS = {"en": "en", "zh_Hans": "zh-Hans"}
SESSION_KEY = "language"


def _browser_language() -> str:
    for tag, _quality in request.accept_languages:
        normalized = tag.replace("-", "_")
        if normalized in _BROWSER_TAGS:
            return _BROWSER_TAGS[normalized]
        if normalized.split("_", 1)[0] == "en":
            return "en"
    return "en"


def _account_language() -> str | None:
    try:
        return getattr(current_user, "language", None) if current_user else None
    except SQLAlchemyError:
        # The database is down: the error page is still shown, in the browser's language.
        return None


def select_locale() -> str:
    if not has_request_context():
        return "en"  # commands and jobs: English, like their logs
    chosen = _account_language()
    if chosen in LANGUAGES:
        return chosen
    if session.get(SESSION_KEY) in LANGUAGES:
        return session[SESSION_KEY]
    return _browser_language()


def page_language() -> str:
    """The catalogue this request's pages are in ("en" or "zh_Hans"); a page asks a few
    times (the `<html lang>`, the switcher, the views it shows), Flask-Babel's answer is
    looked up once."""
    if not has_request_context():
        return _catalogue_of(get_locale())
    try:
        return g._page_language
    except AttributeError:
        g._page_language = found = _catalogue_of(get_locale())
        return found


def _catalogue_of(locale) -> str:
    return "zh_Hans" if str(locale or "en").startswith("zh") else "en"


def browser_language_name() -> str:
    return NAMES[_browser_language()]


def _safe_next(target: str | None) -> str:
    # Only same-site relative paths: an open redirect would make phishing links look like ours.
    if target and target.startswith("/") and not target.startswith("//") \
            and not urlsplit(target).netloc and "\\" not in target:
        return target
    return url_for("main.index")


def switch_language():
    """The header's switcher: the account keeps the choice, an anonymous visitor's session does."""
    chosen = request.form.get("language")
    if chosen not in LANGUAGES:
        abort(400)
    if current_user.is_authenticated:
        preferences.set_language(current_user._get_current_object(), chosen)
        db.session.commit()
    else:
        session[SESSION_KEY] = chosen
    return redirect(_safe_next(request.form.get("next")), code=303)


def _translations():
    """This request's catalogue, looked up once: a page says twenty-odd sentences, and
    Flask-Babel finds the locale and its catalogue again for each one."""
    try:
        return g._page_translations
    except AttributeError:
        g._page_translations = found = get_translations()
        return found


def refresh() -> None:
    """The language was just changed: say the rest of this request in the new one (use this,
    not Flask-Babel's own `refresh`, which would leave `_translations` as it was)."""
    _babel_refresh()
    g.pop("_page_translations", None)
    g.pop("_page_language", None)


@pass_context
def _page_gettext(__context, __string: str, /, **variables):
    """`_()` and `gettext()` in templates, as Jinja's newstyle gettext says them (escaped
    variables, a string always formatted, so `%%` is a percent sign), in one call: Jinja's
    own goes through `_` to `gettext` to the callable installed, each a context call, and
    formats even a sentence with nothing to format. A page says thirty-odd sentences; this
    is about a third cheaper for each. Its own parameters are positional only, as Jinja's
    are by name: a sentence may have a variable called `context` or `string`."""
    said = _translations().ugettext(__string)
    if __context.eval_ctx.autoescape:
        # Trusted as Jinja trusts it: the catalogue is ours; the variables are escaped.
        said = Markup(said)  # noqa: S704
    if variables or "%" in said:
        said = said % variables
    return said


def _install_gettext(app: Flask) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.globals.update({"_": _page_gettext, "gettext": _page_gettext})


def register(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories=str(
        app.root_path + "/translations"))
    _install_gettext(app)
    # {% trans %} blocks are read with their whitespace collapsed, as babel.cfg extracts them.
    app.jinja_env.policies["ext.i18n.trimmed"] = True
    app.add_url_rule("/language", "switch_language", switch_language, methods=["POST"])
    app.jinja_env.globals.update(
        page_language=page_language, language_names=NAMES,
        html_lang=lambda: HTML_TAGS[page_language()])
