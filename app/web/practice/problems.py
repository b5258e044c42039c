"""The problem bank as practice views need it: the catalogue and a variant's view, with the
404s and 503s a page answers when there is no such problem or the checker cannot build it."""

from __future__ import annotations

import re

from flask import abort

from app.bank import SEED_RANGE
from app.cas.i18n import N_
from app.checker.client import Unavailable
from app.checker.results import CatalogueEntry, ProblemView, UnknownVariant
from app.web.checker import checker

TEMPLATE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")


def catalogue() -> tuple[CatalogueEntry, ...]:
    try:
        return checker().catalogue()
    except Unavailable:
        abort(503, N_("The problem bank is busy; please try again in a moment."))


def check_variant_id(template_id: str, seed: int) -> None:
    """404 for ids that cannot name a variant, before any engine work."""
    if not TEMPLATE_ID.fullmatch(template_id) or not 0 <= seed < SEED_RANGE:
        abort(404, N_("There is no such problem."))
    if template_id not in {entry.template_id for entry in catalogue()}:
        abort(404, N_("There is no such problem."))


def view(template_id: str, seed: int) -> ProblemView:
    check_variant_id(template_id, seed)
    try:
        return checker().view(template_id, seed)
    except UnknownVariant:
        abort(404, N_("There is no such problem."))
    except Unavailable:
        abort(503, N_("This problem could not be prepared right now; please try again in a moment."))
