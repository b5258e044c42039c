"""Error pages: HTML for people, `{"error": {...}}` JSON under /api/. Never a bare 500.

An error handler must work when what failed is the database: the unavailable-database page
needs nothing but the request (no current user, no session), and any error page that cannot
be rendered in full falls back to that plain one with the same status.
"""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, current_app, jsonify, render_template, request
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

from app.extensions import db

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
_HEADINGS = {400: "Bad request", 401: "Please log in", 403: "Not allowed",
             404: "Page not found", 405: "Not allowed here", 413: "Too large",
             429: "Slow down", 500: "Something went wrong", 503: "Temporarily unavailable"}
DATABASE_UNAVAILABLE = ("The database is unavailable right now, so nothing was saved. "
                        "Please try again in a moment.")
# What a client is told to wait before trying again.
RETRY_AFTER_SECONDS = 5


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` means the database cannot be reached (as opposed to a bug)."""
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout | DisconnectionError):
        return True
    return isinstance(error, DBAPIError) and bool(error.connection_invalidated)


def _plain(status: int, message: str):
    # Straight from the Jinja environment: Flask's render_template would run the context
    # processors, and Flask-Login's loads the current user from the database.
    back = request.full_path if request.method == "GET" else request.path
    page = current_app.jinja_env.get_template("errors/plain.html").render(
        status=status, message=message, heading=_HEADINGS.get(status, "Error"),
        back=back.rstrip("?"))
    return page, status


def _respond(status: int, message: str, headers: dict[str, str] | None = None):
    if _wants_json():
        body = {"error": {"code": _CODES.get(status, "error"), "message": message}}
        return jsonify(body), status, headers or {}
    try:
        page = render_template("errors/error.html", status=status, message=message)
    except Exception as exc:  # noqa: BLE001 - the page itself needed something that failed
        _forget_session()
        log.warning("the %s page could not be rendered in full (%s); sending the plain one",
                    status, exc.__class__.__name__)
        return (*_plain(status, message), headers or {})
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
        message += " Your browser's Back button brings back what you typed."
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
        return _respond(400, "The form expired or was sent from another site. "
                             "Reload the page and try again.")

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if error.code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH")
            return _respond(413, f"The request is too large (limit {limit} bytes).")
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
