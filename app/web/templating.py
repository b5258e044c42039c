"""What every template may use beyond Flask's own: the answer length limit and formulas that
wrap on a phone."""

from __future__ import annotations

from datetime import datetime

from flask import Flask
from markupsafe import Markup

from app.cas.linebreak import breakable
from app.cas.symbols import MAX_LENGTH
from app.web import markdown_text


def wrap_math(mathml: str | None) -> Markup | None:
    """Engine-made MathML (an answer as read) cut where a narrow line may break it
    (`app.cas.linebreak`); it stays inline in its sentence."""
    if not mathml:
        return None
    # The engine's printer's output, re-serialised from its parsed tree: no student text.
    return Markup(breakable(str(mathml), "math-run"))  # noqa: S704


def parse_iso(text: str) -> datetime:
    """A UTC time as the audit log keeps it (``2026-03-01T12:00:00Z``)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def register(app: Flask) -> None:
    app.add_template_global(parse_iso, "parse_iso")
    app.add_template_filter(wrap_math, "wrap_math")
    app.add_template_filter(markdown_text.render, "markdown")
    # The longest answer the checker reads: the answer box says so rather than cutting.
    app.add_template_global(MAX_LENGTH, "answer_max_length")
