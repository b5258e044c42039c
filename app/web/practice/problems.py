"""The problem bank as practice views need it: the catalogue and a variant's view, with the
404s and 503s a page answers when there is no such problem or the checker cannot build it."""

from __future__ import annotations

import re

from flask import abort
from flask_babel import gettext as _
from flask_login import current_user

from app.bank.spaces import PRACTICE_SEEDS
from app.cas.i18n import N_
from app.checker.client import Unavailable
from app.checker.results import CatalogueEntry, ProblemView, UnknownVariant
from app.models.base import utcnow
from app.services.courses.timezones import display
from app.services.practice.hidden import Hidden, hidden_templates
from app.web.checker import checker

TEMPLATE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def catalogue() -> tuple[CatalogueEntry, ...]:
    try:
        return checker().catalogue()
    except Unavailable:
        abort(503, N_("The problem bank is busy; please try again in a moment."))


def clock():
    """The current time; tests replace it to open and close assignments."""
    return utcnow()


def hidden() -> dict[str, Hidden]:
    """What practice does not offer the current user now (`services.practice.hidden`)."""
    single = [entry.template_id for entry in catalogue() if entry.single_variant]
    return hidden_templates(current_user.id, clock(), single)


def hidden_message(why: Hidden) -> str:
    if why.until is None:
        return _("This problem is not offered in practice while the assignment “%(title)s” "
                 "(%(course)s) takes answers.", title=why.assignment_title,
                 course=why.course_title)
    return _("This problem is not offered in practice while the assignment “%(title)s” "
             "(%(course)s) is open; it is back after %(when)s.", title=why.assignment_title,
             course=why.course_title, when=display(why.until, why.timezone))


def check_variant_id(template_id: str, seed: int) -> None:
    """404 for ids that cannot name a practice variant (assignment seeds among them), 403 for
    a template an open assignment of the user's hides; before any engine work."""
    if not TEMPLATE_ID.fullmatch(template_id) or not 0 <= seed < PRACTICE_SEEDS.stop:
        abort(404, N_("There is no such problem in practice."))
    if template_id not in {entry.template_id for entry in catalogue()}:
        abort(404, N_("There is no such problem."))
    why = hidden().get(template_id)
    if why is not None:
        abort(403, hidden_message(why))


def view(template_id: str, seed: int) -> ProblemView:
    check_variant_id(template_id, seed)
    try:
        return checker().view(template_id, seed)
    except UnknownVariant:
        abort(404, N_("There is no such problem."))
    except Unavailable:
        abort(503, N_("This problem could not be prepared right now; please try again in a moment."))
