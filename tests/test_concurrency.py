"""Two processes writing the same SQLite file at once lose no update and never see "database is locked"."""

from __future__ import annotations

import multiprocessing as mp

from tests.store_data import sample_document
from tracker.store import queries as q
from tracker.store import services as s
from tracker.store.engine import make_engine, read_tx
from tracker.store.filters import TaskFilter

UPDATES = 300
TODAY_ISO = "2022-11-15"


def _blind_writer(url: str, task_ids: list[int], name: str, start, errors) -> None:
    """Writes without a version (like `tracker note`): every write must land."""
    engine = make_engine(url, create=False)
    start.wait()
    try:
        for k in range(UPDATES):
            s.add_note(engine, task_ids[k % len(task_ids)], f"{name}-{k}", by=name)
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        errors.put(f"{name}: {type(exc).__name__}: {exc}")


def _optimistic_writer(url: str, task_id: int, name: str, start, errors) -> None:
    """Read-modify-write with a version (like the app): retries when refused, never overwrites."""
    engine = make_engine(url, create=False)
    start.wait()
    try:
        done = 0
        while done < UPDATES:
            with read_tx(engine) as conn:
                row = q.get_task(conn, task_id)
            try:
                s.add_note(engine, task_id, f"{name}-{done}", by=name, expected_version=row.version)
            except s.StaleWriteError:
                continue
            done += 1
    except Exception as exc:  # noqa: BLE001
        errors.put(f"{name}: {type(exc).__name__}: {exc}")


def _run(target, args_a, args_b):
    ctx = mp.get_context("spawn")
    start = ctx.Event()
    errors = ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args, start, errors)) for args in (args_a, args_b)]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=240)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert all(p.exitcode == 0 for p in procs), found
    assert found == []


def _setup(tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.db'}"
    engine = make_engine(url)
    s.import_document(engine, sample_document(), by="setup")
    from datetime import date

    with read_tx(engine) as conn:
        rows = q.list_tasks(conn, TaskFilter(), date.fromisoformat(TODAY_ISO), sort="measure")
    return url, engine, [r.id for r in rows]


def test_two_processes_blind_writes_lose_nothing(tmp_path):
    url, engine, ids = _setup(tmp_path)
    shared = ids[:3]  # both processes hammer the same three tasks
    _run(_blind_writer, (url, shared, "A"), (url, shared, "B"))
    with read_tx(engine) as conn:
        events = [e for tid in shared for e in q.task_history(conn, tid) if e.field == "note"]
        versions = {tid: q.get_task(conn, tid).version for tid in shared}
    assert len(events) == 2 * UPDATES
    assert sorted(e.new for e in events) == sorted([f"A-{k}" for k in range(UPDATES)] + [f"B-{k}" for k in range(UPDATES)])
    assert sum(v - 1 for v in versions.values()) == 2 * UPDATES


def test_two_processes_optimistic_writes_lose_nothing(tmp_path):
    url, engine, ids = _setup(tmp_path)
    tid = ids[0]
    _run(_optimistic_writer, (url, tid, "A"), (url, tid, "B"))
    with read_tx(engine) as conn:
        events = [e for e in q.task_history(conn, tid) if e.field == "note"]
        row = q.get_task(conn, tid)
    assert len(events) == 2 * UPDATES
    assert row.version == 1 + 2 * UPDATES
    # each writer's notes landed in its own order
    for name in "AB":
        mine = [e.new for e in events if e.by == name]
        assert mine == [f"{name}-{k}" for k in range(UPDATES)]


# --------------------------------------------------------------------------- the write lock held elsewhere


class _LockHolder:
    """Another connection holding SQLite's write lock (``BEGIN IMMEDIATE``) until released."""

    def __init__(self, path, seconds: float | None = None) -> None:
        import sqlite3
        import threading

        self.conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute("UPDATE task SET note = 'held' WHERE id = 1")
        self.timer = threading.Timer(seconds, self.release) if seconds is not None else None
        if self.timer:
            self.timer.start()

    def release(self) -> None:
        if self.conn is not None:
            self.conn.execute("ROLLBACK")
            self.conn.close()
            self.conn = None


def test_a_write_outlasting_the_busy_timeout_is_retried_until_it_lands(tmp_path):
    url, engine, ids = _setup(tmp_path)
    impatient = make_engine(url, busy_timeout_ms=100)  # SQLite gives up after 0.1 s; the helper waits 0.3 s
    holder = _LockHolder(tmp_path / "shared.db", seconds=0.2)
    try:
        s.add_note(impatient, ids[1], "等到了", by="B")
    finally:
        holder.release()
    with read_tx(engine) as conn:
        assert q.get_task(conn, ids[1]).note == "等到了"


def test_a_write_that_cannot_get_the_lock_says_how_long_it_waited(tmp_path):
    import time

    from tracker.store.engine import StoreError

    url, engine, ids = _setup(tmp_path)
    impatient = make_engine(url, busy_timeout_ms=200)
    holder = _LockHolder(tmp_path / "shared.db")
    started = time.monotonic()
    try:
        try:
            s.add_note(impatient, ids[1], "等不到", by="B")
        except StoreError as exc:
            message = str(exc)
        else:
            raise AssertionError("the write got through a held lock")
    finally:
        holder.release()
    assert time.monotonic() - started >= 0.6
    assert message == "数据库忙：另一个写入者占用超过 0.6 秒"


def test_readers_and_read_commands_do_not_wait_for_a_writer(tmp_path, isolated_env, capsys):
    import time

    from tests.conftest import REPO
    from tracker.cli import main

    url, engine, ids = _setup(tmp_path)
    engine.dispose()
    holder = _LockHolder(tmp_path / "shared.db")
    try:
        started = time.monotonic()
        reader = make_engine(url, busy_timeout_ms=10_000)
        with read_tx(reader) as conn:
            assert q.get_task(conn, ids[0]) is not None
        reader.dispose()
        db = ["--db", str(tmp_path / "shared.db"), "--config", str(REPO / "config.toml"), "--today", TODAY_ISO]
        for command in (["show", str(ids[0])], ["export", "-o", str(tmp_path / "out.md")],
                        ["targets"], ["list"]):
            assert main([*db, *command]) == 0, capsys.readouterr().err
        assert time.monotonic() - started < 5
    finally:
        holder.release()
