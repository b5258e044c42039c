"""Student practice: topics with progress, randomized problems, verdicts, solutions, plots."""

from flask import Blueprint

bp = Blueprint("practice", __name__, url_prefix="/practice")

from app.web.practice import plots, routes  # noqa: E402,F401
