"""The write benchmark: its floor does what the command does, and a tiny run prints every row. No timings."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"
sys.path.insert(0, str(BENCH))

import bench_writes  # noqa: E402


def _state(db: Path, tid: int) -> tuple:
    with sqlite3.connect(db) as conn:
        task = conn.execute("SELECT status, due, note, version, updated_by FROM task WHERE id = ?", (tid,)).fetchone()
        events = conn.execute("SELECT field, new, by FROM taskevent WHERE task_id = ? ORDER BY id", (tid,)).fetchall()
        stamps = conn.execute("SELECT updated_at FROM task WHERE id = ?", (tid,)).fetchone()
    return task, events, len(stamps[0])


def test_each_floor_writes_what_its_command_writes(tmp_path):
    base = bench_writes.ensure_db(tmp_path, 200)
    tid = bench_writes.pick_task(base)
    tracker = [sys.executable, "-c", "import sys; from tracker.cli import main; sys.exit(main())"]
    for op in ("set", "note", "due"):
        states = []
        for kind in (op, f"floor: {op}"):
            db = tmp_path / f"{op}-{len(states)}.db"
            shutil.copyfile(base, db)
            argv = next(a for name, a in bench_writes.operations(db, tid, sys.executable, tracker).items()
                        if name == kind or name.startswith(f"{kind} "))
            subprocess.run(argv, check=True, cwd=REPO, capture_output=True)
            states.append(_state(db, tid))
        assert states[0] == states[1], op
        assert states[0][0][3] == 2  # it did write: version 1 → 2


def test_a_tiny_run_prints_every_operation(tmp_path):
    out = subprocess.run([sys.executable, str(BENCH / "bench_writes.py"), "--sizes", "200", "--runs", "1",
                          "--out-dir", str(tmp_path), "--json", str(tmp_path / "t.json")],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    lines = [line for line in out.stdout.splitlines() if line.startswith("| ") and "200 |" in line]
    assert [line.split(" | ")[0][2:] for line in lines] == list(
        bench_writes.operations(Path("x"), 1, "python", ["tracker"]))
    assert (tmp_path / "t.json").exists()
