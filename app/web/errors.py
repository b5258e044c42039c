"""Error pages: HTML for people, `{"error": {...}}` JSON under /api/. Never a bare 500.

An error handler must work when what failed is the database: the unavailable-database page
needs nothing but the request (no current user, no session), and any error page that cannot
be rendered in full falls back to that plain one with the same status.
"""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, current_app, jsonify, render_template, request
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import (
    DBAPIError,
    DisconnectionError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from app.cas.i18n import N_
from app.extensions import db
from app.web.labels import error_heading

log = logging.getLogger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    429: "rate_limited",
    500: "internal_error",
    503: "database_unavailable",
}
DATABASE_UNAVAILABLE = N_("The database is unavailable right now, so nothing was saved. "
                          "Please try again in a moment.")
DATABASE_UNAVAILABLE_POST = N_("The database is unavailable right now, so nothing was saved. "
                               "Please try again in a moment. Your browser's Back button "
                               "brings back what you typed.")
FORM_EXPIRED = N_("The form expired or was sent from another site. Reload the page and try again.")
TOO_LARGE = N_("The request is too large (limit %(limit)s bytes).")
# Werkzeug's own descriptions of the statuses the app raises without one of its own: in the
# catalogue so that error pages are translated whole (JSON replies keep the English).
WERKZEUG_DESCRIPTIONS = (
    N_("The browser (or proxy) sent a request that this server could not understand."),
    N_("The server could not verify that you are authorized to access the URL requested. You "
       "either supplied the wrong credentials (e.g. a bad password), or your browser doesn't "
       "understand how to supply the credentials required."),
    N_("You don't have the permission to access the requested resource. It is either "
       "read-protected or not readable by the server."),
    N_("The requested URL was not found on the server. If you entered the URL manually please "
       "check your spelling and try again."),
    N_("The method is not allowed for the requested URL."),
    N_("The data value transmitted exceeds the capacity limit."),
    N_("This user has exceeded an allotted request count. Try again later."),
    N_("The server encountered an internal error and was unable to complete your request. "
       "Either the server is overloaded or there is an error in the application."),
    N_("The server is temporarily unable to service your request due to maintenance downtime "
       "or capacity problems. Please try again later."),
)
# What a client is told to wait before trying again.
RETRY_AFTER_SECONDS = 5


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` means the database cannot be reached (as opposed to a bug)."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout | DisconnectionError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _said(message: str, params: dict | None) -> str:
    """The message of an HTML page: `message` is the English (a catalogue msgid)."""
    translated = gettext(message)
    return translated % params if params else translated


def _plain(status: int, message: str, params: dict | None = None):
    # Straight from the Jinja environment: Flask's render_template would run the context
    # processors, and Flask-Login's loads the current user from the database (the page's
    # language then comes from the session or the browser: app.web.language).
    back = request.full_path if request.method == "GET" else request.path
    page = current_app.jinja_env.get_template("errors/plain.html").render(
        status=status, message=_said(message, params), heading=error_heading(status),
        back=back.rstrip("?"))
    return page, status


def _respond(status: int, message: str, headers: dict[str, str] | None = None,
             params: dict | None = None):
    """The error as JSON under /api/ (English: the API's contract) or as a page in the
    reader's language; `message` is English, with `params` for its placeholders."""
    if _wants_json():
        english = message % params if params else message
        body = {"error": {"code": _CODES.get(status, "error"), "message": english}}
        return jsonify(body), status, headers or {}
    try:
        page = render_template("errors/error.html", status=status,
                               message=_said(message, params))
    except Exception as exc:  # noqa: BLE001 - the page itself needed something that failed
        _forget_session()
        log.warning("the %s page could not be rendered in full (%s); sending the plain one",
                    status, exc.__class__.__name__)
        return (*_plain(status, message, params), headers or {})
    return page, status, headers or {}


def _forget_session() -> None:
    """Roll back what the request did; with the database gone that can fail too, and the
    pool then replaces the connection."""
    with contextlib.suppress(Exception):
        db.session.rollback()


def _unavailable(error: BaseException):
    _forget_session()
    log.warning("database unavailable on %s %s: %s", request.method, request.path,
                str(error).splitlines()[0] if str(error) else error.__class__.__name__)
    message = DATABASE_UNAVAILABLE
    if request.method == "POST" and not _wants_json():
        message = DATABASE_UNAVAILABLE_POST
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if _wants_json():
        return _respond(503, DATABASE_UNAVAILABLE, headers)
    return (*_plain(503, message), headers)


def _kept_headers(error: HTTPException) -> dict:
    # Headers the status needs (Allow on 405, WWW-Authenticate, Retry-After), not the
    # exception's own Content-Type: the body is ours.
    return {k: v for k, v in error.get_headers() if k.lower() != "content-type"}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError):
        return _respond(400, FORM_EXPIRED)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            return _respond(413, TOO_LARGE, params={"limit": limit})
        return _respond(error.code or 500, error.description or error.name, _kept_headers(error))

    @app.errorhandler(SQLAlchemyError)
    def _database(error: SQLAlchemyError):
        if database_unavailable(error):
            return _unavailable(error)
        return _unexpected(error)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if database_unavailable(error):
            return _unavailable(error)
        log.exception("unhandled error on %s %s", request.method, request.path)
        _forget_session()
        return _respond(500, InternalServerError.description)
