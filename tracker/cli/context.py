"""What every command shares: settings, "today", the database URL and the database, opened once.

Every command reads and writes through one handle, ``ctx.db`` (a
:class:`tracker.store.database.DirectDatabase`: bare ``sqlite3``/``psycopg`` connections): reads in
``with ctx.read() as conn`` (one snapshot) with the queries of :mod:`tracker.store.queries`, writes by
passing ``ctx.db`` to a service of :mod:`tracker.store.services`. The SQLAlchemy engine is used only to
create, upgrade or refuse a database (and by ``tracker db``), once, before the database is opened.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.config import Config, load_config
from tracker.dates import pin_clock, resolve_today
from tracker.store.urls import resolve_url, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tracker.store.database import DirectDatabase


class _LazyModule:
    """A module imported on first use: a command loads only the store modules it calls."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name), attr)

q = _LazyModule("tracker.store.queries")

services = _LazyModule("tracker.store.services")


class Ctx:
    """One command's settings and its database (opened on first use, closed by :meth:`close`)."""

    def __init__(self, config: Config, today: date, url: str, args: argparse.Namespace) -> None:
        self.config = config
        self.today = today
        self.url = url
        self.args = args
        self._db: DirectDatabase | None = None
        self._engine: Engine | None = None

    @property
    def db(self) -> DirectDatabase:
        """The database, for reads (:meth:`read`) and for every write service.

        Opened directly when it exists with a current schema; a missing, empty or older one goes through the
        engine first, which creates or upgrades it (and says so) or refuses it with its reason."""
        if self._db is None:
            db = self.open_direct()
            if db is None:
                self.engine  # noqa: B018 - creates, upgrades or raises the reason it cannot
                db = self.open_direct()
                if db is None:
                    from tracker.store.urls import safe_url
                    from tracker.store.writes import StoreError

                    raise StoreError(f"无法打开数据库：{safe_url(self.url)}")
            self._db = db
        return self._db

    @contextmanager
    def read(self) -> Iterator[Any]:
        """A read transaction on :attr:`db` (one snapshot: a list and its counts agree)."""
        with self.db.read_tx() as conn:
            yield conn

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine: only to create, seed or upgrade a database, or for ``tracker db``."""
        if self._engine is None:
            from tracker.store.engine import make_engine

            self._engine = make_engine(self.url)
        return self._engine

    def open_direct(self) -> DirectDatabase | None:
        """The database through bare connections when it exists with a current schema, else None (the
        engine then creates, upgrades or refuses it)."""
        from tracker.store import database

        path = sqlite_path(self.url)
        if path is not None and not path.is_file():
            return None  # a new file: only the engine creates one
        try:
            return database.open_database(self.url)
        except Exception:  # noqa: BLE001 - not current, not a database, unreachable, no driver: the engine decides
            return None

    def close(self) -> None:
        """Close the database and dispose of the engine, if either was opened."""
        if self._db is not None:
            self._db.close()
            self._db = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

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
