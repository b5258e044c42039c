from flask import Blueprint

bp = Blueprint("courses", __name__, url_prefix="/courses")

from app.web.courses import roster_routes, routes  # noqa: E402,F401
