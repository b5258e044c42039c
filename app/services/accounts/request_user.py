"""The user row every logged-in request loads, read in one round trip.

On PostgreSQL `Session.get` opens the request's transaction for it: BEGIN, the SELECT, and
later a ROLLBACK or COMMIT, on top of the ORM's statement building. Read on its own
autocommit connection the row is one SELECT, about a third of the CPU (bench/request_cost.py);
the instance is then attached to the request's session as if loaded there, so relationships
and writes behave as usual. Other databases (SQLite in tests and `make run`) use
`Session.get`, which costs little there.
"""

from __future__ import annotations

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import make_transient_to_detached

from app.extensions import db
from app.models import User

_TABLE = User.__table__
_BY_ID = select(_TABLE).where(_TABLE.c.id == bindparam("user_id"))
# (attribute, column name): the mapped names differ from the columns' where a model says so.
_FIELDS = tuple((attr.key, attr.columns[0].name) for attr in inspect(User).column_attrs)


def load(user_id: int) -> User | None:
    """The user `user_id`, attached to the request's session, or None if there is none."""
    session = db.session()
    if db.engine.dialect.name != "postgresql" or session.in_transaction():
        # Inside a transaction the row must come from it (it may hold this request's writes).
        return session.get(User, user_id)
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        row = connection.execute(_BY_ID, {"user_id": user_id}).mappings().one_or_none()
    if row is None:
        return None
    user = User(**{key: row[name] for key, name in _FIELDS})
    # As though just loaded: no pending changes, so the session never writes it back.
    make_transient_to_detached(user)
    session.add(user)
    return user
