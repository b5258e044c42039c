"""What an account chooses for itself: how answers are entered, the pages' language."""

from __future__ import annotations

from flask_babel import gettext as _

from app.extensions import db
from app.models import User
from app.services.errors import ServiceError

# The catalogues there are (English is the source language); None follows the browser.
LANGUAGES = ("en", "zh_Hans")


def set_formula_editor(user: User, enabled: bool) -> None:
    """Answers are entered with the visual formula editor (True) or the text box (False); the
    text box stays on every page without JavaScript either way."""
    user.formula_editor = bool(enabled)
    db.session.flush()


def set_language(user: User, language: str | None) -> None:
    """Pages in `language`, or in the browser's language when None."""
    if language is not None and language not in LANGUAGES:
        raise ServiceError(_("no catalogue for the language %(language)s", language=repr(language)))
    user.language = language
    db.session.flush()
