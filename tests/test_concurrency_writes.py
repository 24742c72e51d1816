"""A bare-connection writer (the command line) and an engine writer (the app) on one SQLite file at once:
no update lost, no "database is locked", versions strictly in step with the events."""

from __future__ import annotations

import multiprocessing as mp
import sqlite3
from pathlib import Path

from tests.store_data import sample_document

UPDATES = 200


def _writer(path: str, via: str, task_ids: list[int], start, errors) -> None:  # noqa: ANN001
    from tracker.store import database
    from tracker.store.engine import make_engine
    from tracker.store.services import task_writes

    db = database.open_sqlite(Path(path)) if via == "direct" else make_engine(f"sqlite:///{path}", create=False)
    start.wait()
    try:
        for k in range(UPDATES):
            tid = task_ids[k % len(task_ids)]
            if k % 2:
                task_writes.add_note(db, tid, f"{via}-{k}", by=via)
            else:
                task_writes.set_status(db, tid, "doing" if k % 4 else "blocked", by=via, note=f"{via}-{k}")
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        errors.put(f"{via}: {type(exc).__name__}: {exc}")
    finally:
        if via == "direct":
            db.close()
        else:
            db.dispose()


def test_a_bare_writer_and_an_engine_writer_lose_nothing(tmp_path):
    from tracker.store.engine import make_engine
    from tracker.store.services import import_document

    path = tmp_path / "shared.db"
    engine = make_engine(f"sqlite:///{path}")
    import_document(engine, sample_document(), by="setup")
    engine.dispose()
    shared = [1, 2, 3]
    ctx = mp.get_context("spawn")
    start, errors = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(str(path), via, shared, start, errors)) for via in ("direct", "engine")]
    for p in procs:
        p.start()
    start.set()
    for p in procs:
        p.join(timeout=240)
    found = []
    while not errors.empty():
        found.append(errors.get())
    assert all(p.exitcode == 0 for p in procs) and found == []
    with sqlite3.connect(path) as conn:
        notes = conn.execute("SELECT new FROM taskevent WHERE field = 'note' AND by IN ('direct', 'engine')").fetchall()
        versions = dict(conn.execute("SELECT id, version FROM task WHERE id IN (1, 2, 3)").fetchall())
    # every write changed the note, so each wrote a note event and bumped the version once
    assert sorted(n[0] for n in notes) == sorted(f"{via}-{k}" for via in ("direct", "engine") for k in range(UPDATES))
    assert sum(v - 1 for v in versions.values()) == 2 * UPDATES
