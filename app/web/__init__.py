"""HTTP layer: the blueprints, registered by name, and the error pages and headers they share."""

from flask import Flask

from app.web import (
    admin,
    api,
    assignments,
    auth,
    authoring,
    cookie_session,
    courses,
    coursework,
    csrf_tokens,
    errors,
    formula_editor,
    grades,
    hygiene,
    jobs,
    labels,
    language,
    lti,
    main,
    practice,
    security,
    templating,
)

BLUEPRINTS = (
    main.bp,
    auth.bp,
    admin.bp,
    courses.bp,
    assignments.bp,
    authoring.bp,
    authoring.admin_bp,
    coursework.bp,
    grades.bp,
    practice.bp,
    api.bp,
    lti.bp,
    jobs.bp,
)


def register_web(app: Flask) -> None:
    # Before the blueprints: the LTI blueprint wraps whatever session interface it finds.
    app.session_interface = cookie_session.CookieSessions()
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    language.register(app)
    labels.register(app)
    errors.register(app)
    formula_editor.register(app)
    security.register(app)
    hygiene.register(app)
    templating.register(app)
    csrf_tokens.register(app)
