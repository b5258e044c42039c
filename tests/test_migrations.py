"""The migrations build the schema the models describe, on SQLite and on PostgreSQL."""

from datetime import UTC, datetime

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

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


def test_upgrading_keeps_the_rows_that_point_at_altered_tables(any_db_url):
    """SQLite rebuilds a table to alter it; with foreign keys on, dropping the old `users`
    would cascade to every submission. A course's history must survive `db upgrade`."""
    app = _app(any_db_url)
    with app.app_context():
        upgrade(revision="0004")
        now = datetime(2026, 1, 1, tzinfo=UTC)
        db.session.execute(text(
            "INSERT INTO users (id, email, display_name, password_hash, role, created_at) "
            "VALUES (1, 's@example.org', 'S', 'x', 'student', :now)"), {"now": now})
        for index in range(1, 4):
            db.session.execute(text(
                "INSERT INTO practice_submissions (id, user_id, template_id, seed, "
                "answer_text, verdict, created_at) "
                "VALUES (:id, 1, 'sigmoid-affine', :id, 'x', 'correct', :now)"),
                {"id": index, "now": now})
        db.session.commit()
        upgrade()
        kept = db.session.execute(text("SELECT count(*) FROM practice_submissions")).scalar()
        foreign_keys = (db.session.execute(text("PRAGMA foreign_keys")).scalar()
                        if db.engine.dialect.name == "sqlite" else 1)
        db.session.remove()
        db.engine.dispose()
    assert kept == 3
    assert foreign_keys == 1  # the app's own connections still enforce them
