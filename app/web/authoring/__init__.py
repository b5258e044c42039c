from flask import Blueprint

bp = Blueprint("authoring", __name__, url_prefix="/courses/<int:course_id>/templates")

from app.web.authoring import routes, transfer_routes  # noqa: E402,F401
from app.web.authoring.admin_routes import admin_bp  # noqa: E402,F401
