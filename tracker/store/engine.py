"""Engine creation and transactions.

SQLite: every connection gets ``journal_mode=WAL``, ``foreign_keys=ON`` and a
``busy_timeout``; the driver's own transaction handling is switched off so that
reads start with a plain ``BEGIN`` and writes with ``BEGIN IMMEDIATE`` (a
deferred transaction that later writes fails at once with "database is locked"
when another process wrote in between).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlmodel import SQLModel, create_engine

from tracker.store.urls import resolve_url, sqlite_path
from tracker.store import models as _models  # noqa: F401  (registers the tables on SQLModel.metadata)

BUSY_TIMEOUT_MS = 10_000


class StoreError(Exception):
    """A runtime failure of the store (unreadable file, locked beyond the timeout)."""


def make_engine(url: str, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    """Create an engine; for SQLite, set pragmas and explicit transaction begins, and create tables."""
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            if path.exists() and path.is_dir():
                raise StoreError(f"{path}：是目录，不是数据库文件")
            if create:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(f"{path.parent}：无法创建目录（{exc.strerror}）") from None
            elif not path.exists():
                raise StoreError(f"{path}：找不到数据库文件")
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        )
        _configure_sqlite(engine, busy_timeout_ms)
    else:
        engine = create_engine(url, pool_pre_ping=True)
        _configure_generic(engine)
    if create:
        try:
            with write_tx(engine) as conn:
                SQLModel.metadata.create_all(conn)
        except StoreError as exc:
            raise StoreError(f"{url}：无法打开数据库（{exc}）") from None
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA journal_mode = WAL")
        cur.execute("PRAGMA foreign_keys = ON")
        cur.execute("PRAGMA synchronous = NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        if conn.get_execution_options().get("tracker_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _configure_generic(engine: Engine) -> None:
    """Other databases (PostgreSQL): row locks come from ``SELECT … FOR UPDATE`` in services."""


@contextmanager
def _transaction(engine: Engine, **options: object) -> Iterator[Connection]:
    try:
        with engine.connect().execution_options(**options) as conn:
            with conn.begin():
                yield conn
    except IntegrityError:
        raise
    except DatabaseError as exc:
        raise _store_error(exc) from None


def write_tx(engine: Engine):
    """A write transaction (``BEGIN IMMEDIATE`` on SQLite); commits on success."""
    return _transaction(engine, tracker_write=True)


def read_tx(engine: Engine):
    """A read-only snapshot transaction."""
    return _transaction(engine)


def _store_error(exc: DatabaseError) -> StoreError:
    message = str(exc.orig) if exc.orig is not None else str(exc)
    if "locked" in message or "busy" in message:
        return StoreError(f"数据库忙：另一个写入者占用超过 {BUSY_TIMEOUT_MS // 1000} 秒")
    return StoreError(f"数据库错误：{message}")


def data_version(conn: Connection) -> int:
    """SQLite's ``PRAGMA data_version``: changes when another connection commits."""
    return int(conn.exec_driver_sql("PRAGMA data_version").scalar_one())
