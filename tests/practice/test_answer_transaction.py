"""On PostgreSQL a practice answer that is all its request writes is its own one-statement
transaction (`attempts.record(..., alone=True)`): committed on return, all or nothing
(counted once however many arrive together: tests/practice/test_progress_counters.py).
Anything else still joins the session's transaction and waits for the caller's commit."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, func, select, update
from sqlalchemy.engine import make_url

from app.checker.results import GradeOutcome, Verdict
from app.extensions import db
from app.models import PracticeSubmission, User
from app.services.accounts import users
from app.services.practice import attempts, one_statement
from app.services.practice.progress import Progress
from tests.conftest import TEST_PASSWORD, _make_app
from tests.practice.conftest import BANK, sigmoid_answers


@pytest.fixture
def pg(postgres_url, tmp_path):
    for app in _make_app(postgres_url, tmp_path, PROBLEMS_DIR=str(BANK)):
        with app.app_context():
            user_id = users.create_user("al@example.org", "Al", TEST_PASSWORD).id
            db.session.commit()
        other = create_engine(make_url(postgres_url).set(drivername="postgresql+psycopg"))
        yield app, user_id, other
        other.dispose()


def _stored_elsewhere(other) -> int:
    with other.connect() as connection:
        return connection.scalar(select(func.count()).select_from(PracticeSubmission.__table__))


def test_an_answer_alone_is_committed_when_recorded(pg):
    app, user_id, other = pg
    with app.app_context():
        known = attempts.record(user_id, "sigmoid-affine", "sigmoid", 3, "x",
                                GradeOutcome(Verdict.CORRECT), alone=True)
        assert known == (Progress(1, 1, 1), False)
        assert _stored_elsewhere(other) == 1  # before any commit of the session
        db.session.rollback()
        assert _stored_elsewhere(other) == 1
        again = attempts.record(user_id, "sigmoid-affine", "sigmoid", 3, "y",
                                GradeOutcome(Verdict.INCORRECT), alone=True)
        assert again == (Progress(1, 1, 1), True)  # the variant had its verdict: nothing counted


def test_with_a_change_pending_the_answer_joins_the_sessions_transaction(pg):
    app, user_id, other = pg
    with app.app_context():
        db.session.get(User, user_id).display_name = "Renamed"  # pending, not flushed
        attempts.record(user_id, "sigmoid-affine", "sigmoid", 4, "x",
                        GradeOutcome(Verdict.CORRECT), alone=True)
        assert _stored_elsewhere(other) == 0
        db.session.rollback()
        assert _stored_elsewhere(other) == 0
        attempts.record(user_id, "sigmoid-affine", "sigmoid", 4, "x",
                        GradeOutcome(Verdict.CORRECT))  # not alone: the caller commits
        assert _stored_elsewhere(other) == 0
        db.session.commit()
        assert _stored_elsewhere(other) == 1


def test_after_a_flushed_or_core_write_the_answer_joins_the_sessions_transaction(pg):
    app, user_id, other = pg
    with app.app_context():
        db.session.get(User, user_id).display_name = "Renamed"
        db.session.flush()  # written in the transaction, holding the user row's lock
        attempts.record(user_id, "sigmoid-affine", "sigmoid", 5, "x",
                        GradeOutcome(Verdict.CORRECT), alone=True)
        assert _stored_elsewhere(other) == 0
        db.session.rollback()
    with app.app_context():
        db.session.connection().execute(  # a Core write: no ORM change to see
            update(User.__table__).where(User.__table__.c.id == user_id)
            .values(display_name="Core"))
        attempts.record(user_id, "sigmoid-affine", "sigmoid", 5, "x",
                        GradeOutcome(Verdict.CORRECT), alone=True)
        assert _stored_elsewhere(other) == 0
        db.session.commit()
        assert _stored_elsewhere(other) == 1


def test_a_read_only_transaction_also_keeps_the_answer_in_it(pg):
    # Nothing would go wrong beside a read, but the request would hold two connections.
    app, user_id, other = pg
    with app.app_context():
        db.session.scalar(select(func.count(PracticeSubmission.id)))
        attempts.record(user_id, "sigmoid-affine", "sigmoid", 6, "x",
                        GradeOutcome(Verdict.CORRECT), alone=True)
        assert _stored_elsewhere(other) == 0
        db.session.commit()
        assert _stored_elsewhere(other) == 1


def test_the_practice_page_records_an_answer_as_its_own_transaction(pg, monkeypatch):
    app, _user_id, other = pg
    calls = []
    original = one_statement._ALONE.one_or_none
    monkeypatch.setattr(one_statement._ALONE, "one_or_none",
                        lambda *args: calls.append(1) or original(*args))
    client = app.test_client()
    reply = client.post("/auth/login", data={"email": "al@example.org", "password": TEST_PASSWORD})
    assert reply.status_code == 302
    # The page's first read of what practice hides from the student runs in the request's
    # transaction; for a few seconds after, it is known without one.
    assert client.get("/practice/sigmoid-affine/7").status_code == 200
    reply = client.post("/practice/sigmoid-affine/7",
                        data={"answer": sigmoid_answers(7)["correct"]})
    assert reply.status_code == 200 and 'data-verdict="correct"' in reply.get_data(as_text=True)
    assert calls == [1] and _stored_elsewhere(other) == 1
