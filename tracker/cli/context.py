"""What every command shares: settings, "today", the database URL and lazily opened connections."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.config import Config, load_config
from tracker.dates import pin_clock, resolve_today
from tracker.store import sql as fast
from tracker.store.urls import resolve_url, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


class _LazyModule:
    """A module imported on first use: the read commands never load SQLAlchemy or SQLModel."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name), attr)

q = _LazyModule("tracker.store.queries")

services = _LazyModule("tracker.store.services")

@dataclass
class Ctx:
    config: Config
    today: date
    url: str
    args: argparse.Namespace
    _engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from tracker.store.engine import make_engine

            self._engine = make_engine(self.url)
        return self._engine

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction through SQLAlchemy (every query available)."""
        from tracker.store.engine import read_tx

        with read_tx(self.engine) as conn:
            yield conn

    @contextmanager
    def fast_read(self) -> Iterator[Any]:
        """A read connection for the queries of :mod:`tracker.store.sql`: a bare ``sqlite3`` one when the
        database is an existing SQLite file (no SQLAlchemy start-up cost), else a SQLAlchemy one."""
        path = sqlite_path(self.url)
        if path is None and self._engine is None and self.url.startswith("postgres"):
            with self._fast_postgres() as conn:
                yield conn
            return
        if path is None or not path.is_file() or self._engine is not None:
            with self.read() as conn:
                yield conn
            return
        import sqlite3

        try:
            conn = fast.open_sqlite(path)
            ready = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'task'").fetchone()
        except sqlite3.Error:  # not a database, or unreadable: let the engine say so properly
            ready = None
        if not ready:  # also a new, empty file: the engine creates the tables
            with self.read() as conn2:
                yield conn2
            return
        try:
            yield conn
        except sqlite3.OperationalError as exc:
            from tracker.store.engine import StoreError

            raise StoreError(f"{path}: {exc}") from None
        finally:
            conn.close()

    @contextmanager
    def _fast_postgres(self) -> Iterator[Any]:
        """A bare psycopg connection; when the schema needs work or the server says no, the engine
        (which upgrades, or words the error) instead."""
        try:
            conn = fast.open_postgres(self.url)
        except Exception:  # noqa: BLE001 - psycopg missing, unreachable, not current: the engine decides
            conn = None
        if conn is None:
            with self.read() as conn2:
                yield conn2
            return
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def writer(self) -> Iterator[Any]:
        """The database for a write service (:mod:`tracker.store.services`): a bare ``sqlite3`` or
        psycopg connection when the database exists with a current schema (no SQLAlchemy start-up
        cost), else the engine, which creates, upgrades or refuses it and words any failure."""
        direct = None if self._engine is not None else self.open_direct()
        if direct is None:
            yield self.engine
            return
        with direct:
            yield direct

    def open_direct(self) -> Any:
        """The database through bare connections (a DirectDatabase) when it exists with a current schema,
        else None (the engine then creates, upgrades or refuses it)."""
        from tracker.store import database

        path = sqlite_path(self.url)
        if path is not None:
            if not path.is_file():
                return None
            import sqlite3

            try:
                return database.open_sqlite(path)
            except sqlite3.Error:  # not current, not a database, unreadable: the engine decides
                return None
        if self.url.startswith("postgres"):
            try:
                return database.open_postgres(self.url)
            except Exception:  # noqa: BLE001 - psycopg missing, unreachable, not current: the engine decides
                return None
        return None

    @property
    def user(self) -> str:
        return services.current_user(self.config, getattr(self.args, "by", None))

def make_ctx(args: argparse.Namespace) -> Ctx:
    config = load_config(getattr(args, "config", None))
    for warning in config.warnings:
        print(f"tracker: 警告：{warning}", file=sys.stderr)
    today = resolve_today(getattr(args, "today", None), config.today)
    pin_clock(today if today != date.today() else None)
    url = resolve_url(config, getattr(args, "db", None))
    return Ctx(config=config, today=today, url=url, args=args)
