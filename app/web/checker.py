"""The app's checker, as every view reaches it: saying its sentences in the page's language."""

from flask import current_app

from app.checker.client import Checker
from app.extensions import checker_of
from app.web.language import page_language


def checker() -> Checker:
    return checker_of(current_app).in_language(page_language())
