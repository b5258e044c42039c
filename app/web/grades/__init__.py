from flask import Blueprint

bp = Blueprint("grades", __name__, url_prefix="/courses/<int:course_id>/grades")

from app.web.grades import adjust_routes, routes  # noqa: E402,F401
