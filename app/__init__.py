"""GradWork: derivative drills and auto-grading for the sigmoid and cross-entropy."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

    from app.checker.pool import WorkerPool


def create_app(config: Mapping[str, Any] | None = None, *,
               checker_pool: WorkerPool | None = None) -> Flask:
    """Build the application. `config` overrides environment settings (tests use it), and
    `checker_pool` lets several apps in one process share one worker pool (tests do).

    Nothing here touches the database or starts the checker: the first query happens on the
    first request or CLI command and the worker pool starts on the first check, so importing
    or building the app works before the database is up, and before gunicorn forks.
    """
    # Imported here, not at the top: the checker's worker processes import app.cas and
    # app.bank, which imports this package, and they must not load Flask or SQLAlchemy.
    from flask import Flask
    from werkzeug.middleware.proxy_fix import ProxyFix

    from app import db_events
    from app.cli import register_cli
    from app.config import configure_logging, load_settings
    from app.extensions import bind_checker, csrf, db, login_manager, migrate
    from app.jobs import dispatch
    from app.web import register_web

    app = Flask(__name__, instance_relative_config=True)
    settings = load_settings(os.environ, config, Path(app.instance_path))
    app.config.from_mapping(settings)
    configure_logging(app.config["LOG_LEVEL"])
    if app.config["TRUSTED_PROXIES"]:
        # Only as many X-Forwarded-For/-Proto hops as there are proxies of ours: anything a
        # client adds before them is ignored, and without proxies the headers are not read.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    db_events.register()
    dispatch.register()
    # Course templates' text comes from the database; the checker only asks for it.
    from app.services.authoring.store import source_text

    bind_checker(app, checker_pool).source_of = source_text
    register_web(app)
    register_cli(app)
    return app
