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
