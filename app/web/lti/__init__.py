"""LTI 1.3 endpoints (/lti/login, /lti/launch, /lti/jwks, deep linking), the pages that follow a
launch, and the admin's platform registry."""

from flask import Blueprint

bp = Blueprint("lti", __name__, url_prefix="/lti")

from app.web.lti import admin_routes, frames, routes  # noqa: E402,F401
