"""An open tracker database reached through bare DBAPI connections (``sqlite3`` or ``psycopg``).

This is how the command line and the app talk to a database that exists with a current schema: no
SQLAlchemy, SQLModel or pydantic at run time (they define the schema and migrate it; see
:mod:`tracker.store.engine`, used only to create, upgrade or refuse a database). Reads are the plain
SQL of :mod:`tracker.store.sql` and its siblings, writes the services over :mod:`tracker.store.writes`.

One connection per thread, opened on the thread's first transaction: the app reads in worker threads
while its UI thread writes, and a DBAPI connection holds one transaction at a time. The transactions
keep the engine's promises: SQLite in WAL with foreign keys and a busy timeout, a read inside one
``BEGIN`` (one snapshot for a list and its counts), a write inside ``BEGIN IMMEDIATE`` retried with
backoff while the database stays busy; PostgreSQL in read committed, rows locked with ``FOR UPDATE``.
"""

from __future__ import annotations

import sqlite3

# threading.local and threading.Lock are these two: the command line, which starts no thread, is spared
# importing threading (~0.7 ms of a ~40 ms command)
from _thread import _local as ThreadLocal
from _thread import allocate_lock
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tracker.store.writes import (
    BUSY_TIMEOUT_MS,
    WRITE_ATTEMPTS_WAIT_FACTOR,
    StoreError,
    begin_retrying,
    busy_message,
    is_busy,
)


class DirectDatabase:
    """The store's handle on an open database, for :meth:`read_tx` / :meth:`write_tx` (and every
    service, which takes it as ``db``). Close it when done (or use ``with``)."""

    def __init__(self, connect: Callable[[], Any], where: str, *, first: Any = None,
                 sqlite_path: Path | None = None, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 errors: tuple[type[BaseException], ...] = (sqlite3.Error,)) -> None:
        self.where = where  # for messages: a path, or a URL without its password
        self.sqlite_path = sqlite_path  # None on a server database
        self.is_sqlite = sqlite_path is not None
        self.write_wait_s = busy_timeout_ms / 1000 * WRITE_ATTEMPTS_WAIT_FACTOR
        self._connect = connect
        self._errors = errors
        self._local = ThreadLocal()
        self._lock = allocate_lock()
        self._opened: list[Any] = []
        if first is not None:
            self._adopt(first)

    @property
    def conn(self) -> Any:
        """This thread's connection (opened on first use)."""
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                conn = self._connect()
            except self._errors as exc:
                raise self.error(exc) from None
            self._adopt(conn)
        return conn

    def _adopt(self, conn: Any) -> None:
        self._local.conn = conn
        with self._lock:
            self._opened.append(conn)

    @contextmanager
    def read_tx(self) -> Iterator[Any]:
        """A read transaction (one snapshot on SQLite); nothing it does is kept. Inside another
        transaction of the same thread it reads in that one."""
        if getattr(self._local, "depth", 0):
            yield self.conn
            return
        conn = self.conn
        self._local.depth = 1
        try:
            if self.is_sqlite:
                conn.execute("BEGIN")
            try:
                yield conn
            finally:
                self._rollback(conn)
        except self._errors as exc:
            raise self.error(exc) from None
        finally:
            self._local.depth = 0

    @contextmanager
    def write_tx(self) -> Iterator[Any]:
        """A write transaction: commits on success, rolls back on any error."""
        if getattr(self._local, "depth", 0):  # a service calling another: it must use the connection it was given
            raise RuntimeError("write_tx inside a transaction: run the inner writes on the connection already yielded")
        conn = self.conn
        self._local.depth = 1
        try:
            if self.is_sqlite:
                begin_retrying(lambda: conn.execute("BEGIN IMMEDIATE"), is_busy, self.write_wait_s)
            try:
                yield conn
            except BaseException:
                self._rollback(conn)
                raise
            if self.is_sqlite:
                conn.execute("COMMIT")
            else:
                conn.commit()
        except self._errors as exc:
            raise self.error(exc) from None
        finally:
            self._local.depth = 0

    def _rollback(self, conn: Any) -> None:
        if not self.is_sqlite:
            conn.rollback()
        elif conn.in_transaction:
            conn.execute("ROLLBACK")

    def error(self, exc: BaseException) -> StoreError:
        """One Chinese line for a database failure: never the SQL statement or its parameters."""
        if is_busy(exc):
            return StoreError(busy_message(self.write_wait_s))
        text = str(exc).strip()
        return StoreError(f"数据库错误：{text.splitlines()[0] if text else type(exc).__name__}")

    def close(self) -> None:
        """Close every thread's connection (call it once no thread uses the database any more)."""
        with self._lock:
            opened, self._opened = self._opened, []
        for conn in opened:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - closing at the end: nothing left to protect
                pass
        self._local = ThreadLocal()

    def __enter__(self) -> DirectDatabase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _connect_sqlite(path: Path, busy_timeout_ms: int) -> sqlite3.Connection:
    """A write connection set up as the engine sets up its own (WAL, foreign keys, busy timeout,
    ``synchronous=NORMAL``, transactions begun by us); usable from the thread that first uses it."""
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=busy_timeout_ms / 1000,
                           isolation_level=None, check_same_thread=False)
    try:
        set_up_sqlite(conn, busy_timeout_ms)
    except BaseException:
        conn.close()
        raise
    return conn


def set_up_sqlite(conn: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, a busy timeout and ``synchronous=NORMAL``: every connection to a tracker file,
    bare or the engine's."""
    conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = NORMAL")


def open_sqlite(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> DirectDatabase:
    """An existing tracker SQLite file, opened without SQLAlchemy.

    Raises :class:`tracker.store.dbapi.SchemaNotCurrent` (a ``sqlite3.DatabaseError``) unless the file holds
    tracker's tables at the code's version: the engine then initialises, upgrades or refuses it. The file
    is never created, and its schema never changed, here.
    """
    from tracker.store import dbapi

    conn = dbapi.open_sqlite(path, busy_timeout_ms)  # checks the schema in a read transaction
    try:
        conn.execute("ROLLBACK")
        conn.execute("PRAGMA query_only = OFF")
        set_up_sqlite(conn, busy_timeout_ms)
    except BaseException:
        conn.close()
        raise
    return DirectDatabase(lambda: _connect_sqlite(path, busy_timeout_ms), str(path), first=conn, sqlite_path=path,
                          busy_timeout_ms=busy_timeout_ms)


def open_postgres(url: str) -> DirectDatabase:
    """A PostgreSQL database through psycopg (read committed, as the engine's), on a current schema only
    (else :class:`tracker.store.dbapi.SchemaNotCurrent`)."""
    import psycopg

    from tracker.store import dbapi
    from tracker.store.urls import safe_url

    def connect() -> Any:
        conn = psycopg.connect(dbapi.libpq_url(url))
        conn.isolation_level = None  # the server's default, read committed
        return conn

    conn = dbapi.open_postgres(url)  # checks the schema in a read-only transaction
    try:
        conn.rollback()
        conn.read_only = False
        conn.isolation_level = None
    except BaseException:
        conn.close()
        raise
    return DirectDatabase(connect, safe_url(url), first=conn, errors=(psycopg.Error,))


def open_database(url: str) -> DirectDatabase:
    """The database at ``url`` (SQLite file or PostgreSQL), when it exists with a current schema; else
    :class:`tracker.store.dbapi.SchemaNotCurrent` or the driver's error (the engine decides what to do)."""
    from tracker.store.urls import sqlite_path

    path = sqlite_path(url)
    if path is not None:
        return open_sqlite(path)
    if url.startswith("postgres"):
        return open_postgres(url)
    raise ValueError(f"no direct connection for {url.partition(':')[0]}")
