"""Writes in plain SQL on any connection, and the write transaction they run in.

The write services (:mod:`tracker.store.services`) are written once, in SQL with ``:name`` parameters,
and run unchanged in

- ``write_tx(db)``: a :class:`tracker.store.database.DirectDatabase`, bare ``sqlite3`` or ``psycopg``
  connections on an existing database whose schema is current (the app, the command line): they never
  import SQLAlchemy, SQLModel or pydantic, which cost more than the write itself; and
- ``write_tx(engine)``: a SQLAlchemy ``Engine`` (creating or upgrading a database, the tests).

SQLModel defines the tables and Alembic migrates them; :mod:`tracker.store.sql` holds the reads, this
module the statements that change rows. Either transaction holds the same promises: ``BEGIN IMMEDIATE``
on SQLite (WAL, foreign keys, a busy timeout, retried with backoff when the database stays busy), one
transaction on PostgreSQL where ``for_update`` locks the rows read before changing them.

A service looks like this::

    from tracker.store import writes as w

    def rename(db, thing_id: int, name: str, *, by: str) -> int:
        with w.write_tx(db) as conn:
            found = w.first(conn, "SELECT version FROM thing WHERE id = :id" + w.for_update(conn), {"id": thing_id})
            if found is None:
                raise NotFoundError(f"找不到 {thing_id}")
            at = w.stamp(conn, utcnow())
            w.execute(conn, "UPDATE thing SET name = :name, updated_at = :at WHERE id = :id",
                      {"name": name, "at": at, "id": thing_id})
            return w.insert(conn, "thingevent", {"thing_id": thing_id, "at": at, "by": by, "new": name})

Many rows of one table go in with :func:`insert_many` (the driver's ``executemany``), not a loop of
:func:`insert`; when their ids are needed, read them back with one query.

Rules that keep both paths equal: name every column (the schema grows; never ``SELECT *`` or positional
values); pass datetimes through :func:`stamp` and dates through :func:`day`, which store them exactly as
SQLAlchemy does (so rows written either way read back the same through the ORM and through SQL); read
them back with :func:`tracker.store.sql.as_utc` and :func:`tracker.store.sql.as_date`. Raise
``ServiceError`` subclasses for refusals: the transaction rolls back and the error passes unchanged.
One transaction per call: a service that builds on another calls its connection-level part (such as
``task_writes._apply``) on the ``conn`` it holds, never the other service's ``write_tx`` (refused).

The app and the command line pass their one handle, a DirectDatabase (``ctx.db`` in :mod:`tracker.cli.context`);
the engine only creates, upgrades or refuses a database before it is opened. This module imports neither
SQLAlchemy nor psycopg until one of them is asked for.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timezone
from typing import Any, TypeVar

from tracker.store.dbapi import _pyformat, is_sqlite, rows

BUSY_TIMEOUT_MS = 10_000
WRITE_ATTEMPTS_WAIT_FACTOR = 3  # a write waits at most this many busy timeouts in all before giving up

T = TypeVar("T")


class StoreError(Exception):
    """A runtime failure of the store (unreadable file, locked beyond the timeout)."""


# --------------------------------------------------------------------------- statements


def first(conn: Any, sql: str, params: dict[str, object] | None = None) -> tuple | None:
    """The first row of a query, or None."""
    found = rows(conn, sql, params)
    return found[0] if found else None


def scalar(conn: Any, sql: str, params: dict[str, object] | None = None) -> Any:
    """The first column of the first row, or None."""
    row = first(conn, sql, params)
    return row[0] if row else None


def execute(conn: Any, sql: str, params: dict[str, object] | None = None) -> int:
    """Run an ``UPDATE``/``DELETE``/``INSERT``; returns the number of rows it touched."""
    return _cursor(conn, sql, params).rowcount


def insert(conn: Any, table: str, values: dict[str, object]) -> int:
    """``INSERT INTO table (columns…) VALUES (…)`` from a dict; returns the new row's id."""
    columns = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join(f":{c}" for c in values)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"
    if is_sqlite(conn):  # lastrowid: no RETURNING needed (SQLite < 3.35 has none)
        return int(_cursor(conn, sql, values).lastrowid)
    return int(rows(conn, sql + " RETURNING id", values)[0][0])


def execute_many(conn: Any, sql: str, params: Sequence[dict[str, object]]) -> None:
    """Run one statement for each dict of ``params`` through the driver's ``executemany`` (one prepared
    statement; psycopg pipelines the rows): bulk inserts, about 5× faster than a row at a time."""
    if not params:
        return
    if isinstance(conn, sqlite3.Connection):
        conn.executemany(sql, params)
    elif type(conn).__module__.startswith("psycopg"):
        with conn.cursor() as cursor:
            cursor.executemany(_pyformat(sql), params)
    else:
        from sqlalchemy import text

        conn.execute(text(sql), list(params))


def insert_many(conn: Any, table: str, values: Sequence[dict[str, object]]) -> int:
    """``INSERT INTO table (columns…) VALUES (…)`` for every dict (all with the first one's keys) in one
    :func:`execute_many`; returns the number of rows. Their ids are read back by a query when needed."""
    if not values:
        return 0
    columns = list(values[0])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(f":{c}" for c in columns)
    execute_many(conn, f"INSERT INTO {table} ({names}) VALUES ({marks})", values)
    return len(values)


def _cursor(conn: Any, sql: str, params: dict[str, object] | None) -> Any:
    if isinstance(conn, sqlite3.Connection):
        return conn.execute(sql, params or {})
    if type(conn).__module__.startswith("psycopg"):
        return conn.execute(_pyformat(sql), params or {})
    from sqlalchemy import text

    return conn.execute(text(sql), params or {})


def for_update(conn: Any) -> str:
    """``FOR UPDATE`` on PostgreSQL (a row lock until commit); nothing on SQLite, whose
    ``BEGIN IMMEDIATE`` already holds the database's write lock."""
    return "" if is_sqlite(conn) else " FOR UPDATE"


def stamp(conn: Any, moment: datetime | None) -> object:
    """An aware datetime as SQLAlchemy's ``UTCDateTime`` stores it: on SQLite naive UTC text with
    microseconds (``2022-11-15 08:30:00.000000``), on PostgreSQL the aware value."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("naive datetime given; tracker stores aware UTC datetimes only")
    moment = moment.astimezone(timezone.utc)
    if is_sqlite(conn):
        return moment.replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
    return moment


def day(conn: Any, value: date | None) -> object:
    """A date as SQLAlchemy's ``Date`` stores it: ISO text on SQLite, the date on PostgreSQL."""
    if value is None:
        return None
    return value.isoformat() if is_sqlite(conn) else value


# --------------------------------------------------------------------------- transactions


def write_tx(db: Any):
    """A write transaction on ``db`` (a SQLAlchemy ``Engine`` or a :class:`DirectDatabase`); yields a
    connection for the functions above; commits on success, rolls back on any error."""
    if hasattr(db, "write_tx"):  # a DirectDatabase
        return db.write_tx()
    from tracker.store.engine import write_tx as engine_write_tx

    return engine_write_tx(db)


def read_tx(db: Any):
    """A read transaction on ``db`` (an ``Engine`` or a :class:`DirectDatabase`), for a service that looks
    before it decides to write (one snapshot on SQLite; nothing it does is kept)."""
    if hasattr(db, "read_tx"):  # a DirectDatabase
        return db.read_tx()
    from tracker.store.engine import read_tx as engine_read_tx

    return engine_read_tx(db)


def is_busy(exc: BaseException) -> bool:
    text = str(getattr(exc, "orig", None) or exc).lower()
    return "locked" in text or "busy" in text


def begin_retrying(begin: Callable[[], T], retry: Callable[[BaseException], bool], total_wait_s: float) -> T:
    """``begin()``, tried again after a randomised, growing pause while it fails with an error
    ``retry`` accepts (a database busy past SQLite's own busy timeout), until ``total_wait_s`` is used."""
    deadline = time.monotonic() + total_wait_s
    pause = 0.02
    while True:
        try:
            return begin()
        except Exception as exc:
            left = deadline - time.monotonic()
            if not retry(exc) or left <= 0:
                raise
            import random  # only a busy database needs it; kept out of every command's start-up

            time.sleep(min(left, pause * random.uniform(0.5, 1.5)))
            pause = min(pause * 2, 1.0)


def busy_message(wait_s: float) -> str:
    return f"数据库忙：另一个写入者占用超过 {wait_s:g} 秒"
