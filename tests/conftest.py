"""Shared fixtures: the repository's config, a temporary SQLite engine, a frozen "today"."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FROZEN_TODAY = date(2022, 11, 15)


@pytest.fixture(autouse=True)
def _real_clock():
    """A command run in-process pins the clock to its "today" (tracker.dates.pin_clock); the next test
    starts from the real clock again."""
    yield
    from tracker.dates import pin_clock

    pin_clock(None)


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
    import tracker.store.models  # noqa: F401 - registers the tables make_engine creates
    from tracker.store.engine import make_engine

    engine = make_engine(f"sqlite:///{tmp_db_path}")
    yield engine
    engine.dispose()


@pytest.fixture
def zone(monkeypatch):
    """Switch the process's local zone, e.g. ``zone("CST-8")`` (POSIX rules: no zone database needed); undone, and
    re-read, afterwards."""
    import time

    def switch(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield switch
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def beijing(zone):
    """The machine's clock in Beijing (UTC+8), where coordinators are."""
    zone("CST-8")


@pytest.fixture(autouse=True, scope="session")
def _session_cache_dir(tmp_path_factory):
    """What commands keep between runs (the parsed config.toml) goes to the session's own directory, never the
    user's; commands the tests start inherit it."""
    patch = pytest.MonkeyPatch()
    patch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
    yield
    patch.undo()


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


def build_document(
    measures: list[tuple[str, list[tuple[str, str, str]], date | None]],
    *,
    path: str = "sample.txt",
    title: str = "测试实施意见",
    doc_number: str | None = "测试〔2022〕1号",
    version: str = "v1",
):
    """A hand-built ParsedDocument (no parser involved).

    ``measures``: ``(code, [(unit name, role, kind), …], due)``; the chapter is the code's first character.
    """
    import hashlib

    from tracker.ingest.model import ParsedDocument, ParsedMeasure, ParsedUnit

    parsed = []
    for order, (code, units, due) in enumerate(measures, start=1):
        parsed.append(ParsedMeasure(
            code=code, chapter_code=code[0], chapter=f"第{code[0]}部分", title=f"措施{code}", text=f"{code}的正文。",
            order=order, line=order * 2, units=[ParsedUnit(n, k, r, n) for n, r, k in units],
            due=due, due_phrase=f"{due.year}年底前" if due else None,
        ))
    digest = hashlib.sha256(f"{path}|{doc_number}|{version}".encode()).hexdigest()
    return ParsedDocument(
        path=path, content_hash=digest, title=title, doc_number=doc_number, issuer="测试区人民政府",
        issued=date(2022, 8, 29), has_clauses=any(m.units for m in parsed), measures=parsed,
    )


def sample_measures(towns: tuple[str, ...]):
    """Three measures: a bureau lead + a supporter + the towns (due 2022-12-31), one overdue (2022-10-31),
    one due soon (2022-11-20) led by a group; and a measure with no unit yet."""
    return [
        ("三（一）", [("区人力资源社会保障局", "lead", "agency"), ("区财政局", "support", "agency")]
         + [(t, "support", "town") for t in towns], date(2022, 12, 31)),
        ("三（二）", [("区经委", "lead", "agency")], date(2022, 10, 31)),
        ("四（一）", [("各区属公司", "lead", "group"), ("区科委", "support", "agency")], date(2022, 11, 20)),
        ("五（一）", [], date(2022, 12, 31)),
    ]


@pytest.fixture
def loaded_db(tmp_db, config):
    """``tmp_db`` holding the sample document (16 tasks; task ids follow import order). Returns the engine."""
    from tracker.config import QINGPU_TOWNS
    from tracker.store.services import import_document

    import_document(tmp_db, build_document(sample_measures(QINGPU_TOWNS)), by="导入员")
    return tmp_db


# --------------------------------------------------------------------------- PostgreSQL


@pytest.fixture(scope="session")
def pg_server():
    """A real PostgreSQL for the whole run, started from the ``pgserver`` wheel in a temporary directory
    (no system installation needed; never skipped). Not under pytest's own temporary directory: run as
    root, the server runs as another user, and each pytest run makes that directory private again."""
    import shutil
    import tempfile

    import pgserver

    data = tempfile.mkdtemp(prefix="tracker-pg-")
    server = pgserver.get_server(data, cleanup_mode="stop")
    yield server
    server.cleanup()
    shutil.rmtree(data, ignore_errors=True)


_pg_databases = iter(range(1, 1_000_000))


@pytest.fixture
def pg_url(pg_server) -> str:
    """``postgresql://…`` of a new, empty database on the session's server (dropped afterwards)."""
    import psycopg

    from tracker.store.sql import libpq_url

    name = f"t{next(_pg_databases)}"
    admin_url = libpq_url(pg_server.get_uri())
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    base, _, query = admin_url.partition("?")
    yield f"{base.rsplit('/', 1)[0]}/{name}?{query}"
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """The URL of a new, empty database on each backend in turn."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'tracker.db'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def run(isolated_env, loaded_db, tmp_db_path, capsys):
    """Run ``tracker`` in-process on the sample database with the shipped config and the frozen today;
    returns ``(exit code, stdout, stderr)``."""
    from tracker.cli import main

    def _run(*argv: str, db: Path | None = None, today: str | None = FROZEN_TODAY.isoformat(),
             config: Path | None = REPO / "config.toml"):
        args = ["--db", str(db or tmp_db_path)]
        if config is not None:
            args += ["--config", str(config)]
        if today is not None:
            args += ["--today", today]
        code = main([*args, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return _run


@pytest.fixture
def ctx(tmp_path):
    """The app's context on the populated sample database (the Pilot tests; some files bring their own)."""
    from tests.tui_helpers import make_context

    return make_context(tmp_path)
