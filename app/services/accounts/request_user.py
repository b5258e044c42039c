"""The user row every logged-in request loads, read with one SELECT.

`Session.get` builds an ORM statement and loads through the ORM's machinery, and on
PostgreSQL it opens the request's transaction: about 0.7 ms of CPU. Read on an autocommit
connection (no BEGIN, nothing to end) the row cost a third of that with Core, and less
through the driver itself (`app.services.driver_queries`; bench/request_cost.py). The
instance is then attached to the request's session as if loaded there, so relationships and
writes behave as usual. Other databases (SQLite in tests and
`make run`) use `Session.get`, which costs little there.
"""

from __future__ import annotations

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import make_transient_to_detached

from app.extensions import db
from app.models import User
from app.services.driver_queries import DriverQuery, runs_on

_TABLE = User.__table__
_BY_ID = DriverQuery(select(_TABLE).where(_TABLE.c.id == bindparam("user_id")))
# (attribute, column key): the mapped names may differ from the columns' where a model says so.
_FIELDS = tuple((attr.key, attr.columns[0].key) for attr in inspect(User).column_attrs)


def load(user_id: int) -> User | None:
    """The user `user_id`, attached to the request's session, or None if there is none."""
    session = db.session()
    if (not runs_on(db.engine.dialect) or session.in_transaction()
            or (session.identity_map  # empty at a request's start: no key to build
                and session.identity_key(User, user_id) in session.identity_map)):
        # Inside a transaction the row must come from it (it may hold this request's writes);
        # an instance the session already has is the one to return (a second would clash).
        return session.get(User, user_id)
    row = _BY_ID.one_or_none(db.engine, {"user_id": user_id})
    if row is None:
        return None
    user = User(**{key: row[name] for key, name in _FIELDS})
    # As though just loaded: no pending changes, so the session never writes it back.
    make_transient_to_detached(user)
    session.add(user)
    return user
