"""HTTP layer: every sub-package exposing `bp` is registered; errors and headers are shared."""

import importlib
import pkgutil

from flask import Blueprint, Flask

from app.extensions import db, login_manager
from app.models import User
from app.web import errors, security


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    if not user_id.isdigit():
        return None
    return db.session.get(User, int(user_id))


def register_web(app: Flask) -> None:
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not module_info.ispkg:
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        blueprint = getattr(module, "bp", None)
        if isinstance(blueprint, Blueprint):
            app.register_blueprint(blueprint)
    errors.register(app)
    security.register(app)

    @app.context_processor
    def _template_helpers():
        # Lets the shared layout link to a section only when its blueprint is installed.
        return {"has_endpoint": lambda name: name in app.view_functions}
