"""Bringing a database's schema to the code's version, and the maintenance around it (backup, check).

Schema work happens only when :func:`tracker.store.schema.classify` says so, inside one transaction
that holds the schema lock — ``BEGIN IMMEDIATE`` on SQLite, a transaction-scoped advisory lock on
PostgreSQL — and looks at the version again under it, so concurrent first runs and upgrades do the
work once. Both databases run DDL transactionally: a process killed mid-upgrade leaves the old
version, and the next start upgrades again.

- empty database: tables from the models plus a stamp of the head revision (no Alembic needed);
- made before migrations (tracker's tables, no version) or older: a backup copy beside a SQLite
  file (``tracker.db.bak-<version>``), then Alembic's ``upgrade head``, then one line on stderr.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import SQLModel

from tracker.store import schema
from tracker.store.engine import StoreError, read_tx, write_tx
from tracker.store.urls import safe_url, sqlite_path

# PostgreSQL advisory lock key of schema changes: a fixed bigint other applications are unlikely to use
# ("track" 01; imports hold ``services.importing.IMPORT_LOCK_KEY``, "track" 02)
SCHEMA_LOCK_KEY = 0x747261636B01

_VERSION_DDL = (
    "CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL, "
    "CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num))"
)


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def where(engine: Engine) -> str:
    path = sqlite_path(str(engine.url))
    return str(path) if path is not None else safe_url(engine.url.render_as_string(hide_password=True))


def state_of(conn: Connection) -> schema.SchemaState:
    """The schema state seen through an open connection (any dialect)."""
    if conn.dialect.name == "sqlite":
        tables = {r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'table'")}
    else:
        tables = {r[0] for r in conn.execute(text(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))}
    version = None
    if "alembic_version" in tables:
        found = [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
        if len(found) != 1:
            return schema.SchemaState(schema.NEWER, "?")
        version = found[0]
        tables.discard("alembic_version")
    return schema.classify(tables, version)


@contextmanager
def schema_tx(engine: Engine) -> Iterator[Connection]:
    """A write transaction holding the schema lock (on SQLite the write lock is that lock)."""
    with write_tx(engine) as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": SCHEMA_LOCK_KEY})
        yield conn


def ensure_schema(engine: Engine, state: schema.SchemaState | None = None, *,
                  notify: Callable[[str], None] = _stderr) -> schema.SchemaState:
    """Initialise, upgrade or refuse; returns the state before any work. Cheap when current."""
    if state is None:
        with read_tx(engine) as conn:
            state = state_of(conn)
    _refuse(engine, state)
    if not state.needs_work:
        return state
    backup: Path | None = None
    with schema_tx(engine) as conn:
        state = state_of(conn)  # another process may have done it meanwhile
        _refuse(engine, state)
        if not state.needs_work:
            return state
        if state.kind == schema.EMPTY:
            SQLModel.metadata.create_all(conn)
            _stamp(conn, schema.code_head())
        else:
            path = sqlite_path(str(engine.url))
            if path is not None:
                backup = path.with_name(f"{path.name}.bak-{state.label}")
                backup_sqlite(path, backup)
            _alembic_upgrade(conn)
        _set_user_version(conn)
    if backup is not None or state.kind != schema.EMPTY:
        saved = f"（升级前的副本：{backup}）" if backup is not None else ""
        notify(f"已将数据库 {where(engine)} 的结构从版本 {state.label} 升级到 {schema.code_head()}{saved}")
    return state


def _refuse(engine: Engine, state: schema.SchemaState) -> None:
    if state.kind == schema.FOREIGN:
        raise StoreError(schema.foreign_message(where(engine), state))
    if state.kind == schema.NEWER:
        raise StoreError(schema.newer_message(where(engine), state))


def _stamp(conn: Connection, revision: str) -> None:
    conn.exec_driver_sql(_VERSION_DDL)
    conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"), {"v": revision})


def _set_user_version(conn: Connection) -> None:
    """SQLite files also carry the version in their header, for anyone looking with ``sqlite3``."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA user_version = {int(schema.code_head())}")


def alembic_config(conn: Connection | None = None):  # noqa: ANN201
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(schema.MIGRATIONS_DIR))
    if conn is not None:
        cfg.attributes["connection"] = conn
    return cfg


def _alembic_upgrade(conn: Connection, target: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(conn), target)


# --------------------------------------------------------------------------- backup and check


def backup_sqlite(source: Path, dest: Path, busy_timeout_ms: int = 10_000) -> None:
    """A consistent copy of a SQLite file while others may be writing (SQLite's online backup API).
    Written under a temporary name and renamed, so ``dest`` is never a half copy."""
    partial = dest.with_name(f".{dest.name}.partial")
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=busy_timeout_ms / 1000)
    try:
        out = sqlite3.connect(str(partial))
        try:
            src.backup(out)
            out.execute("PRAGMA journal_mode = DELETE")  # the copy is one self-contained file
        finally:
            out.close()
        os.replace(partial, dest)
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"{dest}：备份失败（{exc}）") from None
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(f"{dest}：备份失败（{exc.strerror}）") from None
    finally:
        src.close()


def check(engine: Engine) -> list[str]:
    """Problems found (an empty list when the database is sound): integrity, foreign keys, version."""
    problems: list[str] = []
    with read_tx(engine) as conn:
        state = state_of(conn)
        if state.kind != schema.CURRENT:
            problems.append(f"结构版本 {state.label}，程序为 {schema.code_head()}")
        if conn.dialect.name == "sqlite":
            found = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
            if found != ["ok"]:
                problems.append(f"完整性检查：{'；'.join(found[:3])}")
            orphans = list(conn.exec_driver_sql("PRAGMA foreign_key_check"))
            if orphans:
                tables = sorted({r[0] for r in orphans})
                problems.append(f"外键：{len(orphans)} 行引用了不存在的记录（{'、'.join(tables)}）")
    return problems
