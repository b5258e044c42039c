"""A query run through psycopg itself (app.services.driver_queries) gives what Core gives:
the same values through the same result processors, and SQLAlchemy's errors, with a lost
connection dropped from the pool so the next request gets a working one."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import Numeric, bindparam, cast, create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import MultipleResultsFound, OperationalError

from app import db_events
from app.extensions import db
from app.models import Role, User
from app.services.accounts import users
from app.services.driver_queries import DriverQuery
from tests.conftest import _make_app

_TABLE = User.__table__
_BY_EMAIL = DriverQuery(select(_TABLE).where(_TABLE.c.email == bindparam("email")))
_ANY = DriverQuery(select(_TABLE.c.id))


@pytest.fixture
def pg_app(postgres_url, tmp_path):
    yield from _make_app(postgres_url, tmp_path)


def _add(app, email: str, role: Role = Role.INSTRUCTOR) -> None:
    with app.app_context():
        users.create_user(email, "Driver Row", "a-long-password-1", role)
        db.session.commit()


def test_values_are_what_core_returns(pg_app):
    _add(pg_app, "core@example.org")
    with pg_app.app_context():
        core = db.session.execute(select(_TABLE).where(_TABLE.c.email == "core@example.org"))
        expected = dict(core.mappings().one())
        for _ in range(7):  # psycopg prepares it on the server after a few
            row = _BY_EMAIL.one_or_none(db.engine, {"email": "core@example.org"})
            assert row == expected
        assert row["role"] is Role.INSTRUCTOR  # the enum's processor ran
        assert row["created_at"].utcoffset() is not None  # UTCDateTime's did
        assert _BY_EMAIL.one_or_none(db.engine, {"email": "none@example.org"}) is None


def test_the_connection_goes_back_idle_and_not_autocommit(pg_app, postgres_url):
    _add(pg_app, "idle@example.org")
    _add(pg_app, "other@example.org")
    # A pool of one: the connection checked out afterwards is the one the query used.
    engine = create_engine(make_url(postgres_url).set(drivername="postgresql+psycopg"),
                           pool_size=1, max_overflow=0)
    try:
        first = engine.raw_connection()
        used = first.driver_connection
        first.close()
        assert _BY_EMAIL.one_or_none(engine, {"email": "idle@example.org"}) is not None
        with pytest.raises(MultipleResultsFound):
            _ANY.one_or_none(engine, {})
        raw = engine.raw_connection()
        try:
            driver = raw.driver_connection
            assert driver is used
            assert not driver.autocommit
            assert driver.info.transaction_status.name == "IDLE"
        finally:
            raw.close()
    finally:
        engine.dispose()


def test_statements_it_cannot_run_faithfully_are_refused_when_built():
    with pytest.raises(ValueError):  # a literal value, which the call's parameters lack
        DriverQuery(select(_TABLE).where(_TABLE.c.id == 5))
    with pytest.raises(ValueError):  # an expanding IN
        DriverQuery(select(_TABLE).where(_TABLE.c.id.in_(bindparam("ids", expanding=True))))
    with pytest.raises(TypeError):  # a processor that needs the driver's type code
        DriverQuery(select(cast(_TABLE.c.id, Numeric(10, 2)).label("n"))
                    .where(_TABLE.c.id == bindparam("id")))


def test_a_lost_connection_is_sqlalchemys_error_and_the_pool_starts_afresh(
        pg_app, postgres_url, monkeypatch):
    # No ping on checkout: the query itself must notice, and the pool renew every connection.
    monkeypatch.setattr(db_events, "PING_AFTER_IDLE_SECONDS", 3600.0)
    _add(pg_app, "lost@example.org")
    with pg_app.app_context():
        held = [db.engine.raw_connection() for _ in range(3)]  # three pooled connections
        for connection in held:
            connection.close()
        _BY_EMAIL.one_or_none(db.engine, {"email": "lost@example.org"})
        admin = create_engine(make_url(postgres_url).set(drivername="postgresql+psycopg"))
        name = make_url(postgres_url).database
        with admin.connect() as connection:  # every pooled connection dies
            connection.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = :name AND pid <> pg_backend_pid()"),
                               {"name": name})
            connection.commit()
        admin.dispose()
        with pytest.raises(OperationalError) as caught:
            _BY_EMAIL.one_or_none(db.engine, {"email": "lost@example.org"})
        assert caught.value.connection_invalidated
        for _ in range(3):  # not one of the other dead ones either
            row = _BY_EMAIL.one_or_none(db.engine, {"email": "lost@example.org"})
            assert row["email"] == "lost@example.org"


def test_a_refused_connection_is_sqlalchemys_error(tmp_path):
    engine = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/none",
                           connect_args={"connect_timeout": 2})
    try:
        with pytest.raises(OperationalError):
            _BY_EMAIL.one_or_none(engine, {"email": "x@example.org"})
    finally:
        engine.dispose()


class _LosingConnection(psycopg.Connection):
    """A psycopg connection whose socket closes during its next query, as psycopg reports it
    when a proxy or the network drops it mid-flight: an OperationalError, the connection not
    marked broken, and any further request refused ("can't change 'autocommit' now")."""

    lost = False

    def cursor(self, *args, **kwargs):
        if self.autocommit:  # the query, not the pool's own statements
            self.lost = True
            raise psycopg.OperationalError("connection socket closed")
        return super().cursor(*args, **kwargs)

    def _set_autocommit(self, value):
        if self.lost:
            raise psycopg.ProgrammingError(
                "can't change 'autocommit' now: connection in transaction status ACTIVE")
        super()._set_autocommit(value)


def test_a_connection_lost_mid_query_keeps_its_own_error(pg_app, postgres_url):
    """The caller sees the outage (OperationalError, which the error pages answer with 503),
    not the driver refusing the clean-up's autocommit reset, and the connection is not given
    to a later request."""
    _add(pg_app, "mid@example.org")
    url = make_url(postgres_url)
    made: list[_LosingConnection] = []

    def connect():
        made.append(_LosingConnection.connect(
            url.set(drivername="postgresql").render_as_string(hide_password=False)))
        return made[-1]

    engine = create_engine(url.set(drivername="postgresql+psycopg"), creator=connect,
                           pool_size=1, max_overflow=0)
    try:
        with pytest.raises(OperationalError) as caught:
            _BY_EMAIL.one_or_none(engine, {"email": "mid@example.org"})
        assert "connection socket closed" in str(caught.value)
        raw = engine.raw_connection()
        try:
            assert raw.driver_connection is not made[0]
        finally:
            raw.close()
    finally:
        engine.dispose()
