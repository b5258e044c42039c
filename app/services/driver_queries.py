"""A read that every request pays for, run through the database driver itself.

SQLAlchemy's Core `execute` costs about 0.25 ms of CPU per statement beyond psycopg's own
work (a `Connection`, an execution context, a cursor, the result's metadata): in a web
process whose threads share one GIL that is a fifth of a logged-in page's Python time
(bench/request_cost.py, py-spy in bench/load/profile.py). A `DriverQuery` keeps what
SQLAlchemy gives and drops the rest: the statement is written with SQLAlchemy and compiled
once per dialect, values come back through the columns' own result processors (enums,
`UTCDateTime`), and the driver's errors are raised as SQLAlchemy's, with a dead connection
invalidated in the pool, so the error handlers and the pool's recovery see exactly what a
Core execute would give them. PostgreSQL only (psycopg 3): callers use Core or the ORM
elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine, Select
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError

_Compiled = tuple[str, tuple[str, ...], tuple[Callable[[Any], Any] | None, ...]]


class DriverQuery:
    """A SELECT of at most one row, run on its own autocommit connection from the pool.

    Autocommit: the read needs no transaction, so no BEGIN and no end of one (two round
    trips fewer), and the connection goes back to the pool idle. The statement is prepared
    on the server (psycopg's `prepare=True`), so PostgreSQL parses and plans it once per
    connection.
    """

    def __init__(self, statement: Select):
        self._statement = statement
        self._compiled: dict[str, _Compiled] = {}

    def _for(self, dialect: Dialect) -> _Compiled:
        compiled = self._compiled.get(dialect.name)
        if compiled is None:
            columns = tuple(self._statement.selected_columns)
            compiled = (
                str(self._statement.compile(dialect=dialect)),
                tuple(column.key for column in columns),
                tuple(column.type.dialect_impl(dialect).result_processor(dialect, None)
                      for column in columns),
            )
            self._compiled[dialect.name] = compiled
        return compiled

    def one_or_none(self, engine: Engine, params: Mapping[str, Any]) -> dict[str, Any] | None:
        """The row as {column key: value}, or None when there is none."""
        dialect = engine.dialect
        sql, keys, processors = self._for(dialect)
        try:
            pooled = engine.raw_connection()
        except dialect.loaded_dbapi.Error as exc:  # the pool connects with the driver's errors
            raise _as_sqlalchemy(exc, dialect, None, None,
                                 dialect.is_disconnect(exc, None, None)) from exc
        try:
            row = _fetch_one(engine, pooled, sql, params)
        finally:
            pooled.close()
        if row is None:
            return None
        return {key: value if process is None else process(value)
                for key, value, process in zip(keys, row, processors, strict=True)}


def _fetch_one(engine: Engine, pooled, sql: str, params: Mapping[str, Any]):
    dialect = engine.dialect
    driver = pooled.driver_connection
    try:
        driver.autocommit = True
        try:
            return driver.execute(sql, params, prepare=True).fetchone()
        finally:
            driver.autocommit = False
    except dialect.loaded_dbapi.Error as exc:
        disconnected = dialect.is_disconnect(exc, driver, None)
        if disconnected:
            # As Core does on a disconnect: this connection and every other the pool opened
            # before it are replaced (a restarted server dropped them all), not just this one.
            # (Pool._invalidate is what Core's Connection calls for it.)
            engine.pool._invalidate(pooled, exc)
        raise _as_sqlalchemy(exc, dialect, sql, params, disconnected) from exc


def _as_sqlalchemy(exc: Exception, dialect: Dialect, sql: str | None, params,
                   disconnected: bool) -> DBAPIError:
    """The error SQLAlchemy would have raised (OperationalError for a lost connection)."""
    return DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error,
                               connection_invalidated=disconnected, dialect=dialect)
