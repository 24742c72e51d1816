"""Importing in plain SQL: the same rows through the engine and through a bare connection (SQLite and
PostgreSQL), an edited file keeping statuses and history on the bare path, new units safe against a
concurrent writer, and an import through a bare connection loading no ORM."""

from __future__ import annotations

import dataclasses
import sqlite3
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache

import pytest

from tests.conftest import REPO, SEEDS
from tests.store_data import (
    close_db,
    document,
    measure,
    open_via,
    run_together,
    sample_document,
    towns,
    unit,
)
from tracker.ingest.model import ParsedTarget
from tracker.store import database, writes
from tracker.store.services import importing, targets, task_writes
from tracker.store.sql import rows

T0 = datetime(2022, 11, 15, 8, 30, 0, tzinfo=timezone.utc)
TARGET = ParsedTarget("正规就业不少于40万人", ">=", 400000, "人", 2022, date(2022, 12, 31), "正规就业")
TABLES = ("document", "measure", "unit", "task", "taskevent", "target", "target_actual")


@lru_cache(maxsize=1)
def _seeds() -> tuple:
    from tracker.config import load_config
    from tracker.ingest import parse_file

    config = load_config(REPO / "config.toml")
    return tuple(parse_file(p, config) for p in sorted(SEEDS.glob("*.txt")))


def _edited():  # noqa: ANN202
    """The sample document edited: leads swapped and a town dropped on 三（一） (and a second target), a
    moved deadline, new text and a new unit on 三（二）, 四（一） gone, a new measure with a new unit (its
    code twice: the first wins), the context paragraph moved last."""
    doc = sample_document(version="v2")
    context = doc.measures[0]
    extra = ParsedTarget("新增岗位不少于910个", ">=", 910, "个", 2022, None, "新增岗位")
    doc.measures = [
        measure("三（一）", [unit("区财政局", "lead"), unit("区人力资源社会保障局")] + towns()[:-1], order=1,
                targets=[TARGET, extra]),
        measure("三（二）", [unit("区经委", "lead"), unit("区商务委")], order=2, due=date(2022, 12, 15),
                text="三（二）的新正文。"),
        measure("五（一）", [unit("区民政局", "lead", "agency")], order=3, due=None),
        measure("五（一）", [unit("区文旅局", "lead")], order=4),
        dataclasses.replace(context, order=5),
    ]
    return doc


def _scenario(db) -> list:  # noqa: ANN001
    """Every kind of import on ``db``, with a status and a figure recorded between them; returns what
    each import reported."""
    reported = []

    def imp(doc, **kw):  # noqa: ANN001, ANN202
        reported.append(importing.import_document(db, doc, by="导入员", **kw).to_json())

    imp(sample_document())
    task_writes.set_status(db, 3, "doing", by="甲", note="已排摸")
    targets.set_target_actual(db, 1, 310000.0, date(2022, 10, 31), by="乙")
    imp(_edited())
    imp(_edited())  # the same file again: nothing
    imp(dataclasses.replace(document([measure("六（一）", [unit("区人力资源社会保障局")])], version="other"),
                            title="另一份实施意见"))  # same path and 文号, another title: new, with a warning
    imp(dataclasses.replace(sample_document(version="v3"), title="测试实施意见（修订）"), replace=1)
    for doc in _seeds():
        imp(doc)
    imp(_seeds()[2])  # a seed again: unchanged
    return reported


def _ticking(monkeypatch) -> None:  # noqa: ANN001
    """One clock for every service, started afresh: 1.25 s further at every call."""
    ticks = iter(range(10_000))
    clock = lambda: T0 + timedelta(seconds=1.25 * next(ticks))  # noqa: E731
    for module in (importing, task_writes, targets):
        monkeypatch.setattr(module, "utcnow", clock)


def _new_database(url: str) -> None:
    from tracker.store.engine import make_engine

    make_engine(url).dispose()


def _raw(url: str) -> dict[str, list[tuple]]:
    """Every row of every table the import writes, as the driver returns it, with SQLite's storage class
    of every value (every column: a column one path fills and the other leaves to a default shows here)."""
    from tracker.store.sql import libpq_url
    from tracker.store.urls import sqlite_path

    path = sqlite_path(url)
    if path is not None:
        with sqlite3.connect(path) as conn:
            found = {}
            for t in TABLES:
                columns = [r[1] for r in conn.execute(f"PRAGMA table_info({t})")]
                typed = ", ".join(f'"{c}", typeof("{c}")' for c in columns)
                found[t] = conn.execute(f"SELECT {typed} FROM {t} ORDER BY id").fetchall()
            return found
    import psycopg

    with psycopg.connect(libpq_url(url)) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in TABLES}


def _orm(url: str) -> dict[str, list[tuple]]:
    """The same rows as the ORM reads them (Python values: comparable across databases). Target ids are
    left out: SQLite reuses the ids of targets a re-import replaced, a PostgreSQL sequence does not."""
    from sqlmodel import Session, select

    from tracker.store.engine import make_engine
    from tracker.store.models import Document, Measure, Target, Task, TaskEvent, Unit

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            found = {}
            for model in (Document, Measure, Unit, Task, TaskEvent, Target):
                got = session.exec(select(model).order_by(model.id)).all()
                found[model.__tablename__] = [
                    tuple(v for k, v in sorted(r.model_dump().items()) if not (model is Target and k == "id"))
                    for r in got
                ]
    finally:
        engine.dispose()
    return found


def _run(url: str, via: str, monkeypatch) -> tuple[list, dict, dict]:  # noqa: ANN001
    _new_database(url)
    _ticking(monkeypatch)
    db = open_via(url, via)
    try:
        assert isinstance(db, database.DirectDatabase) == (via == "direct")
        reported = _scenario(db)
    finally:
        close_db(db)
    return reported, _raw(url), _orm(url)


def test_imports_through_a_bare_sqlite_connection_equal_the_engine(tmp_path, monkeypatch):
    by_engine = _run(f"sqlite:///{tmp_path / 'engine.db'}", "engine", monkeypatch)
    direct = _run(f"sqlite:///{tmp_path / 'direct.db'}", "direct", monkeypatch)
    assert direct[0] == by_engine[0]
    assert direct[1] == by_engine[1]  # byte for byte, with the storage class of every value
    assert direct[2] == by_engine[2]
    reported, raw, _ = direct
    assert [r["created"] for r in reported][:5] == [True, False, False, True, False]
    assert reported[2]["unchanged"] and reported[-1]["unchanged"]
    assert "文号 测试〔2022〕1号 相同" in reported[3]["warnings"][0] and reported[4]["replaced"]
    assert len(raw["task"]) > 274 and len(raw["taskevent"]) > len(raw["task"])
    # stored as SQLAlchemy stores them: naive UTC text with microseconds, ISO dates, 0/1 booleans
    first_task = dict(zip(raw["task"][0][::2], raw["task"][0][1::2], strict=True))
    assert ("2022-12-31", "text") in first_task.items()
    assert ("2022-11-15 08:30:00.000000", "text") in first_task.items()
    assert {(r[14], r[15]) for r in raw["document"]} == {(1, "integer"), (0, "integer")}  # has_clauses


def test_imports_on_postgres_equal_sqlite_on_both_paths(tmp_path, pg_server, monkeypatch):
    from tests.test_store_writes import _new_pg_database

    expected = _run(f"sqlite:///{tmp_path / 'a.db'}", "engine", monkeypatch)
    runs = {via: _run(_new_pg_database(pg_server, f"imports_{via}"), via, monkeypatch) for via in ("engine", "direct")}
    assert runs["direct"][1] == runs["engine"][1]  # the same rows as psycopg reads them
    for via, (reported, _, orm) in runs.items():
        assert reported == expected[0], via
        assert orm == expected[2], via


# --------------------------------------------------------------------------- an edited file on the bare path


@pytest.fixture
def direct_db(tmp_path):
    path = tmp_path / "t.db"
    _new_database(f"sqlite:///{path}")
    with database.open_sqlite(path) as db:
        yield db


def _task(db, measure_code: str, unit_name: str, document_id: int = 1) -> tuple:  # noqa: ANN001
    with db.read_tx() as conn:
        found = rows(conn, "SELECT task.id, task.status, task.note, task.role, task.due, task.version FROM task "
                           "JOIN measure ON measure.id = task.measure_id JOIN unit ON unit.id = task.unit_id "
                           "WHERE measure.document_id = :doc AND measure.code = :code AND unit.name = :unit",
                     {"doc": document_id, "code": measure_code, "unit": unit_name})
    assert len(found) == 1
    return found[0]


def _history(db, task_id: int) -> list[tuple]:  # noqa: ANN001
    with db.read_tx() as conn:
        return rows(conn, "SELECT field, old, new, note FROM taskevent WHERE task_id = :id ORDER BY id", {"id": task_id})


def test_an_edited_file_through_a_bare_connection_keeps_statuses_and_history(direct_db):
    first = importing.import_document(direct_db, sample_document(), by="导入员")
    assert first.created and first.tasks_added == 16 and first.targets == 1
    assert sorted(first.units_added) == sorted(["区人力资源社会保障局", "区财政局", "区经委", "各区属公司", "区科委"]
                                               + [u.name for u in towns()])
    town = _task(direct_db, "三（一）", "夏阳街道")
    task_writes.set_status(direct_db, town[0], "doing", by="甲", note="已排摸")
    targets.set_target_actual(direct_db, 1, 310000.0, date(2022, 10, 31), by="乙")

    result = importing.import_document(direct_db, _edited(), by="导入员")
    assert (result.created, result.unchanged, result.document_id) == (False, False, first.document_id)
    assert result.measures_added == ["五（一）"] and result.measures_changed == ["三（二）"]
    assert result.measures_missing == ["四（一）"]
    assert result.tasks_added == 2 and result.tasks_role_changed == 2 and result.tasks_missing == 1
    assert result.units_added == ["区商务委", "区民政局", "区文旅局"] and result.targets == 2
    # the status, note and history of a kept task are untouched
    assert _task(direct_db, "三（一）", "夏阳街道")[:3] == (town[0], "doing", "已排摸")
    assert [h[0] for h in _history(direct_db, town[0])] == ["assign", "status", "note"]
    # the lead moved, recorded as a change of the file
    lead = _task(direct_db, "三（一）", "区财政局")
    assert lead[3] == "lead" and _history(direct_db, lead[0])[-1] == ("role", "support", "lead", "文件更新")
    # a task on the measure's old deadline follows the new one
    moved = _task(direct_db, "三（二）", "区经委")
    assert moved[4] == "2022-12-15"
    assert _history(direct_db, moved[0])[-1] == ("due", "2022-10-31", "2022-12-15", "文件更新")
    new = _task(direct_db, "三（二）", "区商务委")
    assert new[1:] == ("todo", "", "support", "2022-12-15", 1)
    assert _history(direct_db, new[0]) == [("assign", None, "区商务委", "随文件导入（配合）")]
    # the figure reported against a target is kept; the second target is new
    with direct_db.read_tx() as conn:
        assert rows(conn, "SELECT phrase, actual, actual_at FROM target ORDER BY phrase") == [
            ("新增岗位不少于910个", None, None), ("正规就业不少于40万人", 310000.0, "2022-10-31")]
    again = importing.import_document(direct_db, _edited(), by="导入员")
    assert again.unchanged and again.changes == 0


def test_replace_and_lookalikes_through_a_bare_connection(direct_db):
    importing.import_document(direct_db, sample_document(), by="甲")
    task_writes.set_status(direct_db, 1, "doing", by="甲")
    lookalike = dataclasses.replace(sample_document(version="x"), title="另一份实施意见")
    other = importing.import_document(direct_db, lookalike, by="甲")
    assert other.created and other.document_id == 2 and len(other.warnings) == 1
    assert "#1《测试实施意见》文号 测试〔2022〕1号 相同" in other.warnings[0]
    replaced = importing.import_document(direct_db, dataclasses.replace(sample_document(version="y"), title="修订"),
                                         by="甲", replace=1)
    assert replaced.replaced and replaced.document_id == 1 and replaced.tasks_added == 0
    assert _task(direct_db, "三（一）", "区人力资源社会保障局")[1] == "doing"
    with pytest.raises(importing.NotFoundError, match="没有编号为 7 的文件"):
        importing.import_document(direct_db, sample_document(version="z"), by="甲", replace=7)


def test_seeding_an_empty_database_through_a_bare_connection(direct_db):
    from tracker.config import load_config

    config = load_config(REPO / "config.toml").replace(seeds_dir=SEEDS)
    results = importing.seed_if_empty(direct_db, config, by="首次运行")
    assert len(results) == len(list(SEEDS.glob("*.txt"))) and all(r.created for r in results)
    assert sum(r.tasks_added for r in results) >= 274
    assert importing.seed_if_empty(direct_db, config, by="首次运行") == []


@pytest.mark.parametrize("via", ["engine", "direct"])
def test_units_another_writer_added_meanwhile_are_used_not_refused(db_url, via, monkeypatch):
    """Between the import's read of the units and its insert, another writer (an assignment) adds one of
    them: the insert skips it (ON CONFLICT DO NOTHING) and the import uses its id."""
    _new_database(db_url)
    db = open_via(db_url, via)
    try:
        with writes.write_tx(db) as conn:  # the unit the other writer added
            writes.insert(conn, "unit", {"name": "区财政局", "kind": "agency"})
        real = importing._all_units
        reads = iter((lambda conn: {}, real, real))  # the first read saw none of them
        monkeypatch.setattr(importing, "_all_units", lambda conn: next(reads)(conn))
        result = importing.import_document(db, sample_document(), by="导入员")
        with writes.read_tx(db) as conn:
            units = rows(conn, "SELECT id, name FROM unit WHERE name = '区财政局'")
            holders = rows(conn, "SELECT COUNT(*) FROM task WHERE unit_id = :id", {"id": units[0][0]})
    finally:
        close_db(db)
    assert len(units) == 1 and units[0][0] == 1 and holders == [(1,)]
    assert result.tasks_added == 16


def _import_directly(url: str, n: int, start, errors) -> None:  # noqa: ANN001
    from tests.conftest import build_document

    db = open_via(url, "direct")
    start.wait()
    try:  # different documents, all naming the same new units
        doc = build_document([("三（一）", [(f"新单位{k}", "lead" if k == 0 else "support", "agency") for k in range(6)],
                               date(2022, 12, 31))], path=f"{n}.txt", title=f"文件{n}", doc_number=f"测试〔2022〕{n}号")
        importing.import_document(db, doc, by=f"p{n}")
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        errors.put(f"{type(exc).__name__}: {exc}")
    close_db(db)


def test_concurrent_imports_through_bare_connections_all_succeed(db_url):
    """The import lock (PostgreSQL's advisory lock, SQLite's BEGIN IMMEDIATE) holds on the bare path."""
    _new_database(db_url)
    run_together(_import_directly, db_url, 4)
    db = open_via(db_url, "direct")
    try:
        with db.read_tx() as conn:
            assert rows(conn, "SELECT COUNT(*) FROM document") == [(4,)]
            assert sorted(r[0] for r in rows(conn, "SELECT name FROM unit")) == [f"新单位{k}" for k in range(6)]
            assert rows(conn, "SELECT COUNT(*) FROM task") == [(24,)]
    finally:
        close_db(db)


def test_the_import_lock_is_not_the_schema_lock():
    from tracker.store import migrate

    assert importing.IMPORT_LOCK_KEY != migrate.SCHEMA_LOCK_KEY


def test_importing_through_a_bare_connection_loads_no_orm(tmp_path):
    path = tmp_path / "t.db"
    _new_database(f"sqlite:///{path}")
    seed = next(SEEDS.glob("002_*.txt"))
    code = (
        "import sys\nfrom tracker.config import load_config\nfrom tracker.ingest import parse_file\n"
        "from pathlib import Path\nfrom tracker.store.database import open_sqlite\n"
        "from tracker.store.services import import_document, seed_if_empty\n"
        f"config = load_config({str(REPO / 'config.toml')!r})\n"
        f"db = open_sqlite(Path({str(path)!r}))\n"
        f"first = import_document(db, parse_file({str(seed)!r}, config), by='甲')\n"
        f"again = import_document(db, parse_file({str(seed)!r}, config), by='甲')\n"
        "print(first.tasks_added, again.unchanged, seed_if_empty(db, config, by='甲'))\n"
        "db.close()\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic', 'alembic'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines() == ["274 True []", "[]"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*), COUNT(DISTINCT created_at) FROM task").fetchone() == (274, 1)
