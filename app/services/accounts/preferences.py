"""What an account chooses for itself: how answers are entered."""

from __future__ import annotations

from app.extensions import db
from app.models import User


def set_formula_editor(user: User, enabled: bool) -> None:
    """Answers are entered with the visual formula editor (True) or the text box (False); the
    text box stays on every page without JavaScript either way."""
    user.formula_editor = bool(enabled)
    db.session.flush()
