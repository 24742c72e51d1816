"""Shared fixtures: the repository's config, a temporary SQLite engine, a frozen "today"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FROZEN_TODAY = date(2022, 11, 15)


@pytest.fixture
def today() -> date:
    """The frozen "today" every test uses (never the real date)."""
    return FROZEN_TODAY


@pytest.fixture
def config():
    """The repository's shipped ``config.toml`` (the 11 街镇 of 青浦区, aliases, known units)."""
    from tracker.config import load_config

    return load_config(REPO / "config.toml")


@pytest.fixture
def tmp_db_path(tmp_path) -> Path:
    """Path of a fresh SQLite file (not yet created)."""
    return tmp_path / "tracker.db"


@pytest.fixture
def tmp_db(tmp_db_path):
    """An engine on a fresh SQLite file with the tables created."""
    from tracker.store.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_db_path}")
    yield engine
    engine.dispose()


@pytest.fixture
def isolated_env(monkeypatch, tmp_path):
    """No TRACKER_* variables leak in from the environment; the cwd holds no config.toml."""
    for name in ("TRACKER_CONFIG", "TRACKER_DB", "TRACKER_TODAY", "TRACKER_USER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    return work
