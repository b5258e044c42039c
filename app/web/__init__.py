"""HTTP layer: the blueprints, registered by name, and the error pages and headers they share."""

from flask import Flask

from app.extensions import db, login_manager
from app.models import User
from app.web import (
    admin,
    api,
    assignments,
    auth,
    courses,
    coursework,
    errors,
    grades,
    jobs,
    lti,
    main,
    practice,
    security,
)

BLUEPRINTS = (
    main.bp,
    auth.bp,
    admin.bp,
    courses.bp,
    assignments.bp,
    coursework.bp,
    grades.bp,
    practice.bp,
    api.bp,
    lti.bp,
    jobs.bp,
)


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


def register_web(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    errors.register(app)
    security.register(app)
