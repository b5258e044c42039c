import logging

from flask import jsonify, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.web.main import bp

log = logging.getLogger(__name__)


@bp.route("/")
def index():
    return render_template("main/index.html")


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        log.warning("health check: database unavailable: %s", exc)
        return jsonify(status="unavailable", database="error"), 503
    return jsonify(status="ok", database="ok"), 200
