"""The app's checker, as every view reaches it."""

from flask import current_app

from app.checker.client import Checker
from app.extensions import checker_of


def checker() -> Checker:
    return checker_of(current_app)
