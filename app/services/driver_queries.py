"""Statements that every request pays for, run through the database driver itself.

SQLAlchemy's Core `execute` costs CPU beyond psycopg's own work (a `Connection`, an
execution context, a cursor, the result's metadata), and on the request's session it also
opens a transaction, which psycopg begins and the commit ends with a round trip each. A
`DriverQuery` keeps what SQLAlchemy gives and drops the rest: the statement is written with
SQLAlchemy and compiled once per dialect, values come back through the columns' own result
processors (enums, `UTCDateTime`), and the driver's errors are raised as SQLAlchemy's, with
a lost connection invalidated in the pool as Core does, so the error handlers and the pool's
recovery see exactly what a Core execute would give them. PostgreSQL through psycopg 3 only
(`runs_on`): callers use Core or the ORM elsewhere.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Engine, Numeric, Select, TextualSelect
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError, MultipleResultsFound

_Compiled = tuple[str, tuple[str, ...], tuple[Callable[[Any], Any] | None, ...]]


def runs_on(dialect: Dialect) -> bool:
    return dialect.name == "postgresql" and dialect.driver == "psycopg"


class DriverQuery:
    """One statement giving at most one row, run on its own autocommit connection from the
    pool: a read, or a single statement that writes (PostgreSQL runs it as a transaction of
    its own, all or nothing, committed when the call returns).

    Autocommit: no BEGIN and no COMMIT (two round trips fewer), and the connection goes back
    to the pool idle. psycopg prepares the statement on the server once a connection has run
    it a few times, as it does for Core's statements. `text(...).columns(...)` gives a raw SQL
    statement its columns' names and types. Every value comes from the call's parameters:
    the statement may hold only named `bindparam()`s, no literal values nor expanding `IN`.
    """

    def __init__(self, statement: Select | TextualSelect):
        for column in statement.selected_columns:
            # Their processors depend on the type the driver reports, which Core reads from
            # the cursor; these are read without one.
            if isinstance(column.type, Numeric):
                raise TypeError(f"{column.key}: numeric columns are not supported here")
        for bind in statement.compile().binds.values():
            if bind.expanding or bind.value is not None or bind.callable is not None:
                raise ValueError(f"{bind.key}: only named parameters without a value")
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
            self._compiled[dialect.name] = compiled  # a race only compiles it twice
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
        with driver.cursor() as cursor:
            rows = cursor.execute(sql, params).fetchmany(2)
        driver.autocommit = False
    except dialect.loaded_dbapi.Error as exc:
        disconnected = driver.broken or dialect.is_disconnect(exc, driver, None)
        if disconnected:
            # As Core does on a disconnect: this connection and every other the pool opened
            # before it are replaced (a restarted server dropped them all), not just this one.
            # (Pool._invalidate is what Core's Connection calls for it.)
            engine.pool._invalidate(pooled, exc)
        elif not _out_of_autocommit(driver, dialect):
            pooled.invalidate(exc)  # never back to the pool in autocommit
        # The driver's own error, whatever the clean-up met: a connection whose socket closed
        # mid-query is not always marked broken, and its refusal to leave autocommit would
        # hide the outage (a 500 where the error pages answer a lost database with 503).
        raise _as_sqlalchemy(exc, dialect, sql, params, disconnected) from exc
    if len(rows) > 1:
        raise MultipleResultsFound("the statement gave more than one row")
    return rows[0] if rows else None


def _out_of_autocommit(driver, dialect: Dialect) -> bool:
    """Puts the connection back out of autocommit after a failed statement, if it can."""
    try:
        driver.autocommit = False
    except dialect.loaded_dbapi.Error:
        return False
    return True


def _as_sqlalchemy(exc: Exception, dialect: Dialect, sql: str | None, params,
                   disconnected: bool) -> DBAPIError:
    """The error SQLAlchemy would have raised (OperationalError for a lost connection)."""
    return DBAPIError.instance(sql, params, exc, dialect.loaded_dbapi.Error,
                               connection_invalidated=disconnected, dialect=dialect)
