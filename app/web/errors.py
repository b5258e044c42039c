"""Error pages: HTML for people, `{"error": {...}}` JSON under /api/. Never a bare 500."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
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
}


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def _respond(status: int, message: str, headers: dict | None = None):
    if _wants_json():
        body = {"error": {"code": _CODES.get(status, "error"), "message": message}}
        return jsonify(body), status, headers or {}
    return render_template("errors/error.html", status=status, message=message), status, \
        headers or {}


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

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        return _respond(500, InternalServerError.description)
