"""The public JSON API, version 1: answer checking and previews (contract section 3)."""

from flask import Blueprint

from app.extensions import csrf

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Called by programs with JSON bodies, not by forms: there is no session cookie to protect.
csrf.exempt(bp)


@bp.record_once
def _limit(state) -> None:
    from app.web.api import limits

    limits.init_app(state.app)


from app.web.api import routes  # noqa: E402,F401
