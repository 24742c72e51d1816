"""The summary's floor replays the very statements summary ran: captured with their parameters bound, and
run again on a bare connection they return the same rows."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import bench_writes  # noqa: E402


def test_the_summary_floor_runs_what_summary_ran(tmp_path):
    base = bench_writes.ensure_db(tmp_path, 200)
    statements = bench_writes.capture_sql(["--db", str(base), *bench_writes.SUMMARY_ARGS], dict(os.environ), REPO)
    assert "PRAGMA journal_mode = WAL" in statements  # the connection's set-up is part of the floor
    reads = [s for s in statements if s.startswith("SELECT")]
    assert len(reads) >= 4 and any("GROUP BY" in s for s in reads)
    assert any(f"'{bench_writes.TODAY}'" in s for s in reads)  # parameters bound, not placeholders
    conn = sqlite3.connect(base, isolation_level=None)
    expected = sum(len(conn.execute(s).fetchall()) for s in statements)  # the pragmas answer a row too
    conn.close()
    out = subprocess.run([sys.executable, "-c", bench_writes.floor_replay(statements), str(base)],
                         capture_output=True, text=True, check=True, timeout=60)
    assert len(out.stdout.splitlines()) == expected > 0


def test_a_paired_run_times_every_command_on_both_trees(tmp_path):
    out = subprocess.run([sys.executable, str(REPO / "bench" / "bench_writes.py"), "--sizes", "200", "--runs", "1",
                          "--out-dir", str(tmp_path), "--before", str(REPO)],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    timed = [line.split(" | ")[0][2:] for line in out.stdout.splitlines() if line.startswith("| ") and "200 |" in line]
    commands = [op for op in bench_writes.operations(Path("x"), 1, "python", ["tracker"]) if not op.startswith("floor")]
    assert [op for op in timed if op.startswith("before: ")] == [f"before: {op}" for op in commands]
    assert [op for op in timed if not op.startswith("before: ")] == list(
        bench_writes.operations(Path("x"), 1, "python", ["tracker"]))
    first = next(line for line in out.stdout.splitlines() if line.startswith("| before: list"))
    assert first.split(" | ")[3] == "1.00"  # each side's "× list" is against its own list
