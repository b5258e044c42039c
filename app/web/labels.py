"""Words for the values pages show: roles, verdicts, statuses, error headings.

The stored values ("student", "incorrect", "draft") are identifiers; pages show them through
these tables, translated when the page is rendered (`lazy_gettext`). The English words are
the values themselves, so English pages read as they always did."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l

ROLES = {"student": _l("student"), "instructor": _l("instructor"), "admin": _l("admin")}
VERDICTS = {"correct": _l("correct"), "incorrect": _l("incorrect"),
            # "form": right, but not in the requested form (a column of one word).
            "form": _l("form"), "invalid": _l("invalid"), "timeout": _l("timeout")}
STATUSES = {
    # assignments
    "draft": _l("draft"), "published": _l("published"),
    # an item of an assignment, for its student
    "solved": _l("solved"), "tried": _l("tried"), "not started": _l("not started"),
    # rows of a roster upload
    "added": _l("added"), "skipped": _l("skipped"), "invalid": _l("invalid"),
    # background jobs and grade passback
    "queued": _l("queued"), "running": _l("running"), "done": _l("done"), "failed": _l("failed"),
    "pending": _l("pending"), "delivered": _l("delivered"),
}
ERROR_HEADINGS = {
    400: _l("Bad request"), 401: _l("Please log in"), 403: _l("Not allowed"),
    404: _l("Page not found"), 405: _l("Not allowed here"), 413: _l("Too large"),
    429: _l("Slow down"), 500: _l("Something went wrong"), 503: _l("Temporarily unavailable"),
}


def _label(table: dict, value) -> str:
    key = getattr(value, "value", value)
    return str(table.get(key, key))


def role_label(value) -> str:
    return _label(ROLES, value)


def verdict_label(value) -> str:
    return _label(VERDICTS, value)


def status_label(value) -> str:
    return _label(STATUSES, value)


def error_heading(status: int) -> str:
    return str(ERROR_HEADINGS.get(status, _l("Error")))


def register(app: Flask) -> None:
    app.jinja_env.globals.update(role_label=role_label, verdict_label=verdict_label,
                                 status_label=status_label, error_heading=error_heading)
