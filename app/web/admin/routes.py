from flask import flash, redirect, render_template, url_for
from sqlalchemy import select

from app.extensions import db
from app.models import Role, User
from app.services.accounts.users import create_user
from app.services.errors import ServiceError
from app.web.access import admin_required
from app.web.admin import bp
from app.web.admin.forms import CreateUserForm


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    form = CreateUserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = create_user(form.email.data, form.display_name.data,
                                        form.password.data, Role(form.role.data))
        except ServiceError as exc:
            db.session.rollback()
            form.email.errors = [*form.email.errors, str(exc)]
            status = 400
        else:
            db.session.commit()
            flash(f"Created {user.role.value} {user.email}.", "success")
            return redirect(url_for("admin.users"))
    elif form.is_submitted():
        status = 400
    people = db.session.scalars(select(User).order_by(User.role, User.email)).all()
    return render_template("admin/users.html", form=form, users=people), status
