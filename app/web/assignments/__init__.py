from flask import Blueprint

bp = Blueprint("assignments", __name__, url_prefix="/courses/<int:course_id>/assignments")

from app.web.assignments import copy_risks, item_routes, routes  # noqa: E402,F401
