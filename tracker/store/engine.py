"""Engine creation and transactions.

SQLite: every connection gets ``journal_mode=WAL``, ``foreign_keys=ON`` and a
``busy_timeout``; the driver's own transaction handling is switched off so that
reads start with a plain ``BEGIN`` and writes with ``BEGIN IMMEDIATE`` (a
deferred transaction that later writes fails at once with "database is locked"
when another process wrote in between). A write that finds the database busy
past the timeout is retried with backoff, within a bounded total wait.

Opening a database looks at its schema version first (one read, no lock): a
current database is used as it is; an empty one is initialised, an older one
upgraded (:mod:`tracker.store.migrate`); a newer or foreign one is refused before
anything is changed.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlmodel import create_engine

from tracker.store import models as _models  # noqa: F401  (registers the tables on SQLModel.metadata)
from tracker.store.urls import safe_url, sqlalchemy_url, sqlite_path
from tracker.store.writes import (  # noqa: F401  (StoreError is raised and caught under this module's name too)
    BUSY_TIMEOUT_MS,
    WRITE_ATTEMPTS_WAIT_FACTOR,
    StoreError,
    begin_retrying,
    busy_message,
    is_busy,
)

_write_wait_s: weakref.WeakKeyDictionary[Engine, float] = weakref.WeakKeyDictionary()


def make_engine(url: str, *, create: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                upgrade: bool = True) -> Engine:
    """An engine on ``url`` whose schema is current: initialised, upgraded or refused as needed.

    ``create=False``: a SQLite file must already exist. ``upgrade=False``: leave the schema as it is
    (``tracker db current``/``check`` look without changing anything).
    """
    from tracker.store import schema

    state = None
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
            state = _sqlite_file_state(path, busy_timeout_ms)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        )
        _configure_sqlite(engine, busy_timeout_ms)
    else:
        engine = _make_server_engine(url)
    _write_wait_s[engine] = busy_timeout_ms / 1000 * WRITE_ATTEMPTS_WAIT_FACTOR
    if upgrade:
        from tracker.store.migrate import ensure_schema

        try:
            ensure_schema(engine, state)
        except BaseException:
            engine.dispose()
            raise
    return engine


def _sqlite_file_state(path, busy_timeout_ms: int):  # noqa: ANN001, ANN202
    """The schema state of a SQLite file, read without changing it; a foreign or newer one is refused
    here, before any connection of the engine switches it to WAL."""
    import sqlite3

    from tracker.store import schema

    try:
        state = schema.sqlite_file_state(path, busy_timeout_ms)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}：无法打开数据库（{_sqlite_reason(str(exc))}）") from None
    if state.kind == schema.FOREIGN:
        raise StoreError(schema.foreign_message(str(path), state))
    if state.kind == schema.NEWER:
        raise StoreError(schema.newer_message(str(path), state))
    return state


def _sqlite_reason(message: str) -> str:
    if "not a database" in message or "file is encrypted" in message:
        return "不是 SQLite 数据库文件"
    if "locked" in message or "busy" in message:
        return "数据库忙"
    if "unable to open" in message:
        return "无法打开文件"
    return message


def _make_server_engine(url: str) -> Engine:
    try:
        engine = create_engine(sqlalchemy_url(url), pool_pre_ping=True)
    except ImportError:
        raise StoreError("未安装 PostgreSQL 驱动：请安装 tracker[postgres]（psycopg 3）") from None
    except Exception as exc:  # noqa: BLE001 - a malformed URL: say which, without the password
        raise StoreError(f"{safe_url(url)}：数据库地址无效（{type(exc).__name__}）") from None
    return engine


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        from tracker.store.database import set_up_sqlite

        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves
        set_up_sqlite(dbapi_conn, busy_timeout_ms)  # the same connection settings as every bare connection

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection):
        if conn.get_execution_options().get("tracker_write"):
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            conn.exec_driver_sql("BEGIN")


def _begin(engine: Engine, options: dict) -> tuple[Connection, object]:
    """Connect and begin; a write that meets a busy database (past SQLite's own busy timeout) tries
    again after a randomised, growing pause until the engine's total write wait is used up."""
    write = bool(options.get("tracker_write"))

    def begin() -> tuple[Connection, object]:
        conn = engine.connect().execution_options(**options)
        try:
            return conn, conn.begin()
        except BaseException:
            conn.close()
            raise

    def retry(exc: BaseException) -> bool:
        return write and isinstance(exc, OperationalError) and is_busy(exc)

    return begin_retrying(begin, retry, _write_wait_s.get(engine, BUSY_TIMEOUT_MS / 1000))


@contextmanager
def _transaction(engine: Engine, **options: object) -> Iterator[Connection]:
    try:
        conn, tx = _begin(engine, options)
        try:
            try:
                yield conn
            except BaseException:
                tx.rollback()
                raise
            tx.commit()
        finally:
            conn.close()
    except IntegrityError:
        raise
    except DatabaseError as exc:
        raise store_error(exc, engine) from None


def write_tx(engine: Engine):
    """A write transaction (``BEGIN IMMEDIATE`` on SQLite); commits on success."""
    return _transaction(engine, tracker_write=True)


def read_tx(engine: Engine):
    """A read-only snapshot transaction."""
    return _transaction(engine)


def store_error(exc: DatabaseError, engine: Engine | None = None) -> StoreError:
    """One Chinese line for a database failure: never the SQL statement, never a password."""
    message = str(exc.orig) if exc.orig is not None else str(exc)
    if is_busy(exc):
        wait = _write_wait_s.get(engine, BUSY_TIMEOUT_MS / 1000) if engine is not None else BUSY_TIMEOUT_MS / 1000
        return StoreError(busy_message(wait))
    first = message.strip().splitlines()[0] if message.strip() else type(exc).__name__
    if engine is not None and engine.url.password:
        first = first.replace(str(engine.url.password), "***")
    if first.startswith("connection failed: "):  # psycopg: the server is unreachable or refused us
        where = engine.url.render_as_string(hide_password=True) if engine is not None else "服务器"
        return StoreError(f"无法连接数据库 {safe_url(where)}：{first[len('connection failed: '):]}")
    return StoreError(f"数据库错误：{first}")


def data_version(conn: Connection) -> int:
    """SQLite's ``PRAGMA data_version``: changes when another connection commits."""
    return int(conn.exec_driver_sql("PRAGMA data_version").scalar_one())
