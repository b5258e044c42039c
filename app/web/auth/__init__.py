from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from app.web.auth import routes, session_guard  # noqa: E402,F401
