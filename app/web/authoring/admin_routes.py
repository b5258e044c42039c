"""The admins' view of every course's templates, where they promote one to the shared bank."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.services.authoring import store
from app.web.access import admin_required

admin_bp = Blueprint("authoring_admin", __name__, url_prefix="/admin/templates")


@admin_bp.route("/")
@admin_required
def index():
    return render_template("authoring/admin.html", templates=store.every_template())
