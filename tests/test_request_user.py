"""The user row each request loads (app.services.accounts.request_user): on PostgreSQL one
autocommit SELECT, then an instance the request's session treats as its own; elsewhere, and
inside a transaction, `Session.get`."""

from __future__ import annotations

from sqlalchemy import inspect, select

from app import db_events
from app.extensions import db
from app.models import Role, User
from app.services.accounts import request_user, users


def _user(app, email="row@example.org") -> int:
    with app.app_context():
        user = users.create_user(email, "Row Reader", "a-long-password-1", Role.INSTRUCTOR)
        db.session.commit()
        return user.id


def test_the_loaded_user_is_the_sessions_own_and_clean(any_db_app):
    user_id = _user(any_db_app)
    with any_db_app.app_context():
        user = request_user.load(user_id)
        assert (user.id, user.email, user.role, user.active) == (
            user_id, "row@example.org", Role.INSTRUCTOR, True)
        state = inspect(user)
        assert state.persistent and not db.session.dirty
        assert db.session.get(User, user_id) is user  # the identity map has it
        assert user.enrolments == []  # relationships load through the session
        user.display_name = "Renamed"
        db.session.commit()
    with any_db_app.app_context():
        assert db.session.scalar(select(User.display_name)) == "Renamed"
        assert request_user.load(user_id + 1000) is None


def test_a_user_the_session_already_has_is_returned_again(any_db_app):
    user_id = _user(any_db_app)
    with any_db_app.app_context():
        first = request_user.load(user_id)
        db.session.commit()  # the transaction ends; the instance stays in the session
        assert request_user.load(user_id) is first


def test_inside_a_transaction_the_row_comes_from_it(any_db_app):
    user_id = _user(any_db_app)
    with any_db_app.app_context():
        db.session.get(User, user_id).display_name = "Not yet committed"
        db.session.flush()
        assert request_user.load(user_id).display_name == "Not yet committed"
        db.session.rollback()


def test_a_connection_pinged_after_idling_is_handed_out_idle(postgres_url, tmp_path,
                                                             monkeypatch):
    from tests.conftest import _make_app

    monkeypatch.setattr(db_events, "PING_AFTER_IDLE_SECONDS", 0.0)
    for app in _make_app(postgres_url, tmp_path):
        user_id = _user(app)
        for _ in range(3):  # each checkout is pinged now
            with app.app_context():
                assert request_user.load(user_id).id == user_id
                raw = db.engine.raw_connection()
                try:
                    assert raw.driver_connection.info.transaction_status.name == "IDLE"
                finally:
                    raw.close()
