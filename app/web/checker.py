"""The app's checker, as every view reaches it: saying its sentences in the page's language.
The JSON API keeps English (its contract), and asks nothing about the caller to know it."""

from flask import current_app, request

from app.checker.client import Checker
from app.extensions import checker_of
from app.web.language import page_language


def checker() -> Checker:
    engine = checker_of(current_app)
    if request.blueprint == "api":
        return engine
    return engine.in_language(page_language())
