"""Extension singletons and the app's checker, bound to an app in create_app."""

from flask import Flask
from flask_babel import Babel
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from app.checker.client import Checker, CheckerSettings
from app.checker.pool import WorkerPool
from app.models.base import Base

# One request is one transaction, and what it wrote is what it shows: reloading every object
# after the commit (SQLAlchemy's default) would cost a query per object for nothing.
db = SQLAlchemy(model_class=Base, session_options={"expire_on_commit": False})
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.login_message_category = "info"

CHECKER_KEY = "gradwork.checker"


def bind_checker(app: Flask, pool: WorkerPool | None = None) -> Checker:
    """Give the app its one `Checker`, from its settings (sharing ``pool`` when given)."""
    checker = Checker(CheckerSettings.from_config(app.config), pool=pool)
    app.extensions[CHECKER_KEY] = checker
    return checker


def checker_of(app: Flask) -> Checker:
    return app.extensions[CHECKER_KEY]
