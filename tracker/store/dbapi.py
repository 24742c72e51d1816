"""Running SQL on any connection — a bare ``sqlite3`` or ``psycopg`` one, or SQLAlchemy's — and opening the
bare ones on a tracker database whose schema is current.

The layer under :mod:`tracker.store.sql` (the reads) and :mod:`tracker.store.writes` (the writes): it holds
no query and no row type, so a write command loads neither the reads nor their rows.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any


def rows(conn: Any, sql: str, params: dict[str, object] | None = None) -> list[tuple]:
    """Run ``sql`` on a ``sqlite3.Connection``, a ``psycopg.Connection`` or a SQLAlchemy ``Connection``."""
    if isinstance(conn, sqlite3.Connection):
        return conn.execute(sql, params or {}).fetchall()
    if type(conn).__module__.startswith("psycopg"):
        return conn.execute(_pyformat(sql), params or {}).fetchall()
    from sqlalchemy import text

    return [tuple(r) for r in conn.execute(text(sql), params or {})]


def stream(conn: Any, sql: str, params: dict[str, object] | None = None) -> Iterator[tuple]:
    """Like :func:`rows`, but rows are read from the cursor as the caller consumes them."""
    if isinstance(conn, sqlite3.Connection):
        yield from conn.execute(sql, params or {})
        return
    if type(conn).__module__.startswith("psycopg"):
        with conn.cursor(name="tracker_stream") as cursor:  # server side: the client holds one batch
            cursor.execute(_pyformat(sql), params or {})
            yield from cursor
        return
    raw = getattr(getattr(conn, "connection", None), "driver_connection", None)
    if isinstance(raw, sqlite3.Connection):  # SQLAlchemy on SQLite: its own cursor, same transaction
        yield from raw.execute(sql, params or {})
        return
    from sqlalchemy import text

    for r in conn.execution_options(yield_per=1000).execute(text(sql), params or {}):
        yield tuple(r)


_NAMED = r"(?<![:\w]):(\w+)"  # compiled on first use (re caches it): SQLite never needs it


@lru_cache(maxsize=256)
def _pyformat(sql: str) -> str:
    """``:name`` parameters as psycopg's ``%(name)s`` (a literal ``%`` doubled)."""
    return re.sub(_NAMED, r"%(\1)s", sql.replace("%", "%%"))


def is_sqlite(conn: Any) -> bool:
    return isinstance(conn, sqlite3.Connection) or getattr(getattr(conn, "dialect", None), "name", "") == "sqlite"


def as_date(value: object) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value  # type: ignore[return-value]
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def as_utc(value: object) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def open_sqlite(path: Path, busy_timeout_ms: int = 10_000) -> sqlite3.Connection:
    """A plain read connection to a tracker SQLite file (no SQLAlchemy): the command line's fast path.

    Reads happen inside one ``BEGIN`` so a list and its counts come from the same snapshot.
    Raises :class:`SchemaNotCurrent` (a ``sqlite3.DatabaseError``, the connection closed) unless the
    file holds tracker's tables at the code's version: the engine then initialises, upgrades or
    refuses it. The file is never created or changed here.
    """
    from tracker.store.schema import sqlite_state

    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=busy_timeout_ms / 1000,
                           isolation_level=None, check_same_thread=False)  # closed by whichever thread closes the database

    def state(conn: sqlite3.Connection) -> Any:
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA query_only = ON")
        conn.execute("BEGIN")
        return sqlite_state(conn)

    return _current_or_closed(conn, state)


def open_postgres(url: str) -> Any:
    """A plain psycopg read connection (no SQLAlchemy), like :func:`open_sqlite`: one read-only
    snapshot transaction; :class:`SchemaNotCurrent` unless the schema is at the code's version."""
    import psycopg

    from tracker.store.schema import classify

    def state(conn: Any) -> Any:
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        tables = {r[0] for r in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        version = None
        if "alembic_version" in tables:
            tables.discard("alembic_version")
            found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
            version = found[0][0] if len(found) == 1 else "?"
        return classify(tables, version)

    return _current_or_closed(psycopg.connect(libpq_url(url)), state)


def _current_or_closed(conn: Any, read_state: Callable[[Any], Any]) -> Any:
    """``conn`` if ``read_state(conn)`` (which sets the connection up) finds the schema at the code's version;
    else (or if reading fails) the connection is closed and :class:`SchemaNotCurrent` (or the error) raised."""
    from tracker.store.schema import CURRENT

    try:
        state = read_state(conn)
    except BaseException:
        conn.close()
        raise
    if state.kind != CURRENT:
        conn.close()
        raise SchemaNotCurrent(state.kind)
    return conn


def libpq_url(url: str) -> str:
    """``postgresql+psycopg://…`` → ``postgresql://…`` (what libpq reads)."""
    scheme, sep, rest = url.partition("://")
    return f"{scheme.split('+', 1)[0]}{sep}{rest}"


class SchemaNotCurrent(sqlite3.DatabaseError):
    """The file is empty, older, newer or not tracker's: for the engine to handle."""
