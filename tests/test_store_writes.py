"""Task writes in plain SQL: the same rows through the engine and through a bare connection, on SQLite and
PostgreSQL; stale versions refused and a busy database waited for on the bare path; the write commands
start without SQLAlchemy."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.store_data import close_db, open_via, sample_document
from tracker.store import database, writes
from tracker.store.services import task_writes
from tracker.store.services.errors import StaleWriteError

REPO = Path(__file__).resolve().parent.parent
T0 = datetime(2022, 11, 15, 8, 30, 0, tzinfo=timezone.utc)  # whole seconds: the stored text still has .000000


def _loaded(url: str) -> None:
    from tracker.store.engine import make_engine
    from tracker.store.services import import_document

    engine = make_engine(url)
    import_document(engine, sample_document(), by="导入员")
    engine.dispose()


def _script(db) -> list:  # noqa: ANN001
    """Every kind of task write, including a refused one; returns what each reported."""
    s = task_writes
    done = [
        s.set_status(db, 1, "doing", by="甲", note="已启动"),
        s.set_due(db, 1, date(2022, 12, 1), by="乙", note="延后一月"),
        s.set_due(db, 2, None, by="乙"),
        s.add_note(db, 2, "已完成调研", by="丙", expected_version=2),
        s.set_role(db, 3, "lead", by="丁"),
        s.set_status_many(db, [4, 5], "blocked", by="戊", note="等待资金", due=date(2023, 1, 15)),
        s.set_status(db, 6, "doing", by="甲"),  # no note
        s.set_status(db, 6, "doing", by="甲"),  # no change: no version, no event
    ]
    done.append(s.undo_event(db, done[0].event_ids[0], by="己"))
    done.append(s.undo_event(db, done[3].event_ids[-1], by="己"))  # a note: the previous text comes back
    with pytest.raises(StaleWriteError):
        s.add_note(db, 2, "晚到的进展", by="庚", expected_version=1)
    return [[(c.task_id, c.version, c.event_ids) for c in (x if isinstance(x, list) else [x])] for x in done]


def _read_back(url: str) -> dict:
    """The written rows as the ORM reads them and as tracker.store.sql reads them."""
    from sqlalchemy import select
    from sqlmodel import Session

    from tracker.store import sql
    from tracker.store.engine import make_engine, read_tx
    from tracker.store.models import Task, TaskEvent

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            tasks = [(t.id, t.status, t.due, t.note, t.role, t.version, t.updated_by, t.updated_at)
                     for t in session.exec(select(Task).where(Task.id <= 6).order_by(Task.id)).scalars()]
            first_new = min(e.id for e in session.exec(select(TaskEvent).where(TaskEvent.by == "甲")).scalars())
            events = [(e.id, e.task_id, e.at, e.by, e.field, e.old, e.new, e.note)
                      for e in session.exec(select(TaskEvent).where(TaskEvent.id >= first_new)
                                            .order_by(TaskEvent.id)).scalars()]
        with read_tx(engine) as conn:
            rows = [sql.get_task(conn, i) for i in range(1, 7)]
            via_sql = [(r.id, r.status, r.due, r.note, r.role, r.version, r.updated_by, r.updated_at) for r in rows]
    finally:
        engine.dispose()
    return {"tasks": tasks, "events": events, "sql": via_sql}


def _run(url: str, via: str, monkeypatch) -> tuple[list, dict]:  # noqa: ANN001
    """The script on a new database through ``via``, on a clock started afresh: 1.25 s further at every
    call (whole and fractional seconds both get written)."""
    _loaded(url)
    ticks = iter(range(1000))
    monkeypatch.setattr(task_writes, "utcnow", lambda: T0 + timedelta(seconds=1.25 * next(ticks)))
    db = open_via(url, via)
    try:
        assert isinstance(db, database.DirectDatabase) == (via == "direct")
        reported = _script(db)
    finally:
        close_db(db)
    return reported, _read_back(url)


def _new_pg_database(pg_server, name: str) -> str:
    import psycopg

    from tracker.store.sql import libpq_url

    admin_url = libpq_url(pg_server.get_uri())
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    base, _, query = admin_url.partition("?")
    return f"{base.rsplit('/', 1)[0]}/{name}?{query}"


def test_writes_through_a_bare_sqlite_connection_equal_the_engine(tmp_path, monkeypatch):
    reported_engine, engine_rows = _run(f"sqlite:///{tmp_path / 'engine.db'}", "engine", monkeypatch)
    reported_direct, direct_rows = _run(f"sqlite:///{tmp_path / 'direct.db'}", "direct", monkeypatch)
    assert reported_direct == reported_engine
    assert direct_rows == engine_rows
    tasks = {t[0]: t for t in direct_rows["tasks"]}
    assert tasks[1][1] == "todo" and tasks[1][2] == date(2022, 12, 1)  # the undo put the status back
    assert tasks[2][3] == "" and tasks[2][5] == 4  # the note undone: version 1 → 2 (due) → 3 (note) → 4
    assert tasks[4][1:3] == ("blocked", date(2023, 1, 15)) and tasks[4][7] == tasks[5][7]  # one transaction, one time
    assert all(t[7].tzinfo is not None for t in tasks.values())
    assert direct_rows["sql"] == direct_rows["tasks"]  # the ORM and the SQL layer read the same values
    # stored byte for byte as SQLAlchemy stores them (naive UTC text with microseconds, ISO dates)
    raw = "SELECT updated_at, typeof(updated_at), due, typeof(due) FROM task ORDER BY id"
    raw_events = "SELECT at, typeof(at), old, new FROM taskevent ORDER BY id"
    stored = []
    for name in ("engine.db", "direct.db"):
        with sqlite3.connect(tmp_path / name) as conn:
            stored.append((conn.execute(raw).fetchall(), conn.execute(raw_events).fetchall()))
    assert stored[0][0][:6] == stored[1][0][:6] and stored[0][1][-12:] == stored[1][1][-12:]
    assert ("2022-11-15 08:30:00.000000", "text") in [e[:2] for e in stored[1][1]]
    assert ("2022-11-15 08:30:01.250000", "text") in [e[:2] for e in stored[1][1]]


def test_writes_on_postgres_equal_sqlite_on_both_paths(tmp_path, pg_server, monkeypatch):
    runs = {"sqlite engine": _run(f"sqlite:///{tmp_path / 'a.db'}", "engine", monkeypatch)}
    for via in ("engine", "direct"):
        runs[f"postgresql {via}"] = _run(_new_pg_database(pg_server, f"writes_{via}"), via, monkeypatch)
    expected = runs.pop("sqlite engine")
    for name, got in runs.items():
        assert got == expected, name


def _version(path: Path, task_id: int) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        version = conn.execute("SELECT version FROM task WHERE id = ?", (task_id,)).fetchone()[0]
        events = conn.execute("SELECT COUNT(*) FROM taskevent WHERE task_id = ?", (task_id,)).fetchone()[0]
    return version, events


def test_a_stale_version_is_refused_on_the_bare_path(tmp_path):
    path = tmp_path / "t.db"
    _loaded(f"sqlite:///{path}")
    with database.open_sqlite(path) as db:
        task_writes.add_note(db, 1, "第一次", by="甲", expected_version=1)
        before = _version(path, 1)
        with pytest.raises(StaleWriteError, match="任务 1 已被 甲 于 .* 修改（当前版本 2，你读取的是 1）"):
            task_writes.set_status(db, 1, "done", by="乙", note="完成", expected_version=1)
        assert _version(path, 1) == before
        # the refusal rolled back: the connection writes again at once
        assert task_writes.set_status(db, 1, "done", by="乙", expected_version=2).version == 3


def _hold_write_lock(path: Path, seconds: float) -> threading.Thread:
    """Another writer holding the database's write lock for ``seconds``."""
    started = threading.Event()

    def hold() -> None:
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        started.set()
        time.sleep(seconds)
        conn.execute("COMMIT")
        conn.close()

    thread = threading.Thread(target=hold)
    thread.start()
    started.wait()
    return thread


def test_a_busy_database_is_waited_for_past_the_busy_timeout(tmp_path):
    path = tmp_path / "t.db"
    _loaded(f"sqlite:///{path}")
    with database.open_sqlite(path, busy_timeout_ms=100) as db:  # retries for 3 × 0.1 s in all
        holder = _hold_write_lock(path, 0.2)
        t = time.monotonic()
        change = task_writes.add_note(db, 1, "等到了", by="甲")
        waited = time.monotonic() - t
        holder.join()
    assert change.version == 2 and _version(path, 1) == (2, 2)
    assert waited >= 0.15  # it did wait, longer than one busy timeout


def test_a_database_busy_beyond_the_total_wait_fails_in_one_line(tmp_path):
    path = tmp_path / "t.db"
    _loaded(f"sqlite:///{path}")
    with database.open_sqlite(path, busy_timeout_ms=50) as db:
        holder = _hold_write_lock(path, 0.6)
        with pytest.raises(writes.StoreError, match=r"^数据库忙：另一个写入者占用超过 0.15 秒$"):
            task_writes.add_note(db, 1, "等不到", by="甲")
        holder.join()
    assert _version(path, 1) == (1, 1)


def test_the_bare_path_is_not_taken_for_a_database_that_needs_work(tmp_path):
    from tracker.store.sql import SchemaNotCurrent

    path = tmp_path / "t.db"
    _loaded(f"sqlite:///{path}")
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0001'")
    with pytest.raises(SchemaNotCurrent):
        database.open_sqlite(path)
    with pytest.raises(sqlite3.OperationalError):  # never created
        database.open_sqlite(tmp_path / "missing.db")
    assert not (tmp_path / "missing.db").exists()


def test_target_figures_and_archiving_equal_on_both_paths(tmp_path, monkeypatch):
    from tracker.store.services import documents, targets

    monkeypatch.setattr(targets, "utcnow", lambda: T0)
    monkeypatch.setattr(documents, "utcnow", lambda: T0 + timedelta(microseconds=5))
    stored = []
    for via in ("engine", "direct"):
        url = f"sqlite:///{tmp_path / via}.db"
        _loaded(url)
        db = open_via(url, via)
        try:
            targets.set_target_actual(db, 1, 310000.0, date(2022, 10, 31), by="甲")
            targets.set_target_actual(db, 1, 300000.0, date(2022, 9, 30), by="乙")  # back-dated: not current
            assert documents.set_archived(db, 1, True) is True
            assert documents.set_archived(db, 1, True) is False
        finally:
            close_db(db)
        with sqlite3.connect(tmp_path / f"{via}.db") as conn:
            stored.append((
                conn.execute("SELECT id, actual, actual_at FROM target").fetchall(),
                conn.execute("SELECT target_id, value, as_of, recorded_at, recorded_by FROM target_actual").fetchall(),
                conn.execute("SELECT id, archived_at FROM document").fetchall(),
            ))
    assert stored[0] == stored[1]
    assert stored[1][0] == [(1, 310000.0, "2022-10-31")]
    assert stored[1][2] == [(1, "2022-11-15 08:30:00.000005")]


def test_the_command_line_reads_and_writes_through_one_direct_database(tmp_path):
    """Every command gets the bare-connection database; a missing or empty file is first made by the engine."""
    import argparse

    from tracker.cli.context import make_ctx

    current, empty, missing = tmp_path / "current.db", tmp_path / "empty.db", tmp_path / "missing.db"
    _loaded(f"sqlite:///{current}")
    empty.touch()
    engines = {}
    for path in (current, empty, missing):
        ctx = make_ctx(argparse.Namespace(db=str(path), config=str(REPO / "config.toml"), today="2022-11-15"))
        try:
            assert type(ctx.db) is database.DirectDatabase
            engines[path.name] = ctx._engine is not None
            assert _version_table(path) is not None
            with ctx.read() as conn:
                tasks = conn.execute("SELECT COUNT(*) FROM task").fetchone()[0]
            if path == current:
                assert tasks > 0
                task_writes.add_note(ctx.db, 1, "直接写入", by="甲")
            else:
                assert tasks == 0
        finally:
            ctx.close()
        assert ctx._engine is None and ctx._db is None
    assert engines == {"current.db": False, "empty.db": True, "missing.db": True}
    assert _version(current, 1) == (2, 2)


def _version_table(path: Path) -> str | None:
    with sqlite3.connect(path) as conn:
        found = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return found[0] if found else None


def test_write_commands_need_neither_sqlalchemy_nor_sqlmodel(tmp_path):
    path = tmp_path / "w.db"
    _loaded(f"sqlite:///{path}")
    config = REPO / "config.toml"
    heavy = "{'sqlalchemy', 'sqlmodel', 'pydantic', 'textual', 'rich'}"
    code = (
        "import sys, io\nfrom tracker.cli import main\nout = sys.stdout\n"
        "def run(*argv):\n"
        "    sys.stdout = io.StringIO()\n"
        f"    assert main(['--db', {str(path)!r}, '--config', {str(config)!r}, '--today', '2022-12-01', *argv]) == 0\n"
        "    sys.stdout = out\n"
        "run('set', '1', '2', 'doing', '--note', '开始'); run('note', '3', '进展'); run('due', '4', '2023-01-31')\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))\n"
        "run('set', '5', 'blocked', '--version', '1', '--json'); run('archive', '1')\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    # plain writes load neither the ORM nor Rich; --json and archive's table printing may load Rich
    plain, printed = result.stdout.strip().splitlines()[-2:]
    assert plain == "[]" and printed in ("[]", "['rich']")
    with sqlite3.connect(path) as conn:
        got = conn.execute("SELECT id, status, note, due, version FROM task WHERE id <= 5 ORDER BY id").fetchall()
    assert got == [(1, "doing", "开始", "2022-12-31", 2), (2, "doing", "开始", "2022-12-31", 2),
                   (3, "todo", "进展", "2022-12-31", 2), (4, "todo", "", "2023-01-31", 2),
                   (5, "blocked", "", "2022-12-31", 2)]


def test_write_commands_on_postgres_need_no_sqlalchemy(pg_url):
    _loaded(pg_url)
    code = (
        "import sys; from tracker.cli import main; "
        f"rc = [main(['--db', {pg_url!r}, '--today', '2022-11-15', *argv]) for argv in "
        "(['set', '1', 'doing', '--note', '开始', '--by', '甲'], ['note', '2', '进展', '--by', '乙'], "
        "['due', '3', '2023-01-31', '--by', '丙'])]; "
        "print(rc, sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "[0, 0, 0] []", out.stderr
    import psycopg

    from tracker.store.sql import libpq_url

    with psycopg.connect(libpq_url(pg_url)) as conn:
        got = conn.execute("SELECT id, status, note, due, version FROM task WHERE id <= 3 ORDER BY id").fetchall()
        by = conn.execute("SELECT task_id, by, field FROM taskevent WHERE by IN ('甲', '乙', '丙') ORDER BY id").fetchall()
    assert got == [(1, "doing", "开始", date(2022, 12, 31), 2), (2, "todo", "进展", date(2022, 12, 31), 2),
                   (3, "todo", "", date(2023, 1, 31), 2)]
    assert by == [(1, "甲", "status"), (1, "甲", "note"), (2, "乙", "note"), (3, "丙", "due")]


def test_the_bare_connection_is_set_up_as_the_engine_sets_up_its_own(tmp_path):
    path = tmp_path / "t.db"
    _loaded(f"sqlite:///{path}")
    with database.open_sqlite(path, busy_timeout_ms=1234) as db:
        pragma = lambda name: db.conn.execute(f"PRAGMA {name}").fetchone()[0]  # noqa: E731
        assert (pragma("journal_mode"), pragma("foreign_keys"), pragma("busy_timeout"), pragma("query_only"),
                pragma("synchronous")) == ("wal", 1, 1234, 0, 1)
        with pytest.raises(writes.StoreError, match="^数据库错误：FOREIGN KEY constraint failed$"):
            with writes.write_tx(db) as conn:
                writes.insert(conn, "taskevent", {"task_id": 999, "at": writes.stamp(conn, T0), "by": "甲",
                                                  "field": "note", "note": ""})
        assert not db.conn.in_transaction  # rolled back; the connection writes again
        with writes.write_tx(db) as conn:
            assert writes.execute(conn, "UPDATE task SET note = :note WHERE id <= 2", {"note": "x"}) == 2


def test_a_write_transaction_inside_another_is_refused_and_the_outer_one_rolls_back(tmp_path):
    path = tmp_path / "t.db"
    _loaded(f"sqlite:///{path}")
    with database.open_sqlite(path) as db:
        with pytest.raises(RuntimeError, match="write_tx inside a transaction"):
            with writes.write_tx(db) as conn:
                writes.execute(conn, "UPDATE task SET note = 'outer' WHERE id = 1")
                task_writes.add_note(db, 1, "inner", by="甲")  # should have used conn
        assert task_writes.add_note(db, 1, "afterwards", by="甲").version == 2
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT note FROM task WHERE id = 1").fetchone()[0] == "afterwards"
