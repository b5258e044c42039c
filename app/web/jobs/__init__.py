"""Background jobs on the web: starting long exports, and each job's status (JSON the pages'
script polls) and result file."""

from flask import Blueprint

bp = Blueprint("jobs", __name__)

from app.web.jobs import routes  # noqa: E402,F401
