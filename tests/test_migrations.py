"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

from app import create_app
from app.extensions import db
from tests.conftest import base_config


def _app(url):
    return create_app(base_config(url))


def test_upgrade_matches_models_and_downgrades_to_base(any_db_url):
    app = _app(any_db_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], f"models and migrations differ: {diff}"
        tables = set(inspect(db.engine).get_table_names())
        assert set(db.metadata.tables) <= tables
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
        upgrade()  # and back up again: downgrade left nothing behind that blocks it
        db.engine.dispose()


def test_cli_db_upgrade(any_db_url):
    app = _app(any_db_url)
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "users" in inspect(db.engine).get_table_names()
        db.engine.dispose()
