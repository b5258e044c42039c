"""Per-connection settings and pool behaviour.

SQLite by default ignores foreign keys and fails at once when another connection holds the
write lock: the pragmas fix both. PostgreSQL connections can go stale while they sit in the
pool (the server restarted, a proxy dropped them): one idle for a while is pinged when it is
checked out, and replaced if that fails, so the first request after the database comes back
does not fail. Connections in steady use are not pinged, so a busy service pays nothing.

Sessions note whether their transaction has run anything on the database yet
(`untouched`): a statement that is its own transaction may run beside one that has not.
"""

import sqlite3
import time

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

# A connection unused for this long is pinged before it is handed out.
PING_AFTER_IDLE_SECONDS = 1.0


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _checked_in(_dbapi_connection, record) -> None:
    record.info["idle_since"] = time.monotonic()


def _checked_out(dbapi_connection, record, _proxy) -> None:
    if isinstance(dbapi_connection, sqlite3.Connection):
        return
    idle_since = record.info.get("idle_since")
    if idle_since is None or time.monotonic() - idle_since < PING_AFTER_IDLE_SECONDS:
        return
    try:
        # Outside a transaction (the driver would begin one before the statement, and ending
        # it would cost a round trip): the connection is handed out idle, as one that needed
        # no ping is, and an autocommit read (app.services.accounts.request_user) can only be
        # set up on an idle one.
        was_autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            cursor = dbapi_connection.cursor()
            cursor.execute("SELECT 1")
            cursor.close()
        finally:
            dbapi_connection.autocommit = was_autocommit
    except Exception as exc:
        # The pool discards this connection and checks out (or opens) another.
        raise DisconnectionError(f"a pooled connection was dead: {exc}") from exc


_RAN = "gradwork.ran_on_database"


def _began(session, _transaction, _connection) -> None:
    session.info[_RAN] = True


def _ended(session, transaction) -> None:
    if transaction.parent is None:
        session.info.pop(_RAN, None)


def untouched(session: Session) -> bool:
    """Whether `session`'s transaction has run nothing on the database (no read, no write,
    no flush: it holds no connection, hence no lock) and has no change waiting to be
    flushed."""
    return not (session.info.get(_RAN) or session.new or session.dirty or session.deleted)


def register() -> None:
    """Install the listeners (once per process, however many apps)."""
    for target, name, listener in ((Engine, "connect", _sqlite_pragmas),
                                   (Pool, "checkin", _checked_in),
                                   (Pool, "checkout", _checked_out),
                                   (Session, "after_begin", _began),
                                   (Session, "after_transaction_end", _ended)):
        if not event.contains(target, name, listener):
            event.listen(target, name, listener)
