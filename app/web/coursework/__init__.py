from flask import Blueprint

bp = Blueprint("coursework", __name__, url_prefix="/courses/<int:course_id>/work")

from app.web.coursework import routes, sandbox_routes  # noqa: E402,F401
