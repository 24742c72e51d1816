"""Where the database is: resolving ``--db`` / ``TRACKER_DB`` / config into a URL (stdlib only)."""

from __future__ import annotations

import os
import re
from pathlib import Path

from tracker.config import Config
from tracker.user_dirs import user_data_dir

__all__ = ["resolve_url", "safe_url", "sqlite_path"]


def resolve_url(config: Config, db_path: str | None = None) -> str:
    """``--db PATH`` > ``TRACKER_DB`` > config ``database_url`` > user data dir."""
    path = db_path or os.environ.get("TRACKER_DB")
    if path:
        if "://" in path:
            return path
        return f"sqlite:///{Path(path).expanduser()}"
    if config.database_url:
        return config.database_url
    return f"sqlite:///{user_data_dir() / 'tracker.db'}"


def sqlite_path(url: str) -> Path | None:
    if url.startswith("sqlite:///"):
        rest = url[len("sqlite:///"):]
        return Path(rest) if rest and rest != ":memory:" else None
    return None


def safe_url(url: str) -> str:
    """``url`` fit to print: a password in it is replaced by ``***``."""
    url = re.sub(r"(?i)(password=)[^&]*", r"\1***", url)
    head, sep, rest = url.partition("://")
    if not sep or "@" not in rest.split("/", 1)[0]:
        return url
    auth, _, host = rest.split("/", 1)[0].rpartition("@")
    tail = rest[len(auth) + 1 + len(host):]
    user, colon, _password = auth.partition(":")
    return f"{head}://{user}{':***' if colon else ''}@{host}{tail}"


def sqlalchemy_url(url: str) -> str:
    """``postgresql://…`` means psycopg 3 (SQLAlchemy alone would look for psycopg2)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url
