"""A quick smoke run of the benchmark tools at tiny sizes. No timed assertions."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "bench"


def _generate(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(BENCH / "generate.py"), *args], cwd=REPO, capture_output=True,
                          text=True, check=True)


def test_generator_builds_a_realistic_database(tmp_path):
    db, tw = tmp_path / "t.db", tmp_path / "t.json"
    _generate("--tasks", "400", "--out", str(db), "--taskwarrior", str(tw), "--tw-today", "2022-11-15")
    con = sqlite3.connect(db)
    one = lambda sql: con.execute(sql).fetchone()[0]  # noqa: E731
    assert one("select count(*) from task") == 400
    assert one("select count(*) from unit") == 50
    assert one("select count(*) from unit where kind = 'town'") == 11
    assert {r[0] for r in con.execute("select distinct status from task")} == {"todo", "doing", "blocked", "done", "dropped"}
    overdue = one("select count(*) from task where status in ('todo','doing','blocked') and due < '2022-11-15'")
    assert 0 < overdue < 400
    assert one("select count(*) from taskevent") >= 400
    assert one("select count(*) from measure") > 10
    assert one("select count(*) from task t join measure m on m.id = t.measure_id") == 400  # foreign keys hold
    con.close()

    lines = [json.loads(line) for line in tw.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 400
    assert {t["status"] for t in lines} <= {"pending", "completed", "deleted"}
    assert all(t["project"] and t["description"] for t in lines)


def test_generator_is_deterministic(tmp_path):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    for out in (a, b):
        _generate("--tasks", "200", "--taskwarrior", str(out), "--tw-today", "2022-11-15", "--seed", "3")
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")


def test_synthetic_document_has_the_requested_measures(tmp_path):
    doc, tw = tmp_path / "doc.txt", tmp_path / "doc.json"
    _generate("--document", str(doc), "--measures", "45", "--document-taskwarrior", str(tw))
    text = doc.read_text(encoding="utf-8")
    assert text.count("（责任单位：") == 45
    assert len(tw.read_text(encoding="utf-8").splitlines()) >= 45


def test_run_prints_a_table(tmp_path):
    out = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--sizes", "300", "--no-app", "--out-dir", str(tmp_path),
         "--markdown", str(tmp_path / "table.md")],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    for op in ("list --overdue --unit", "summary", "export (whole)", "import synthetic 200-measure document"):
        assert op in out.stdout
    assert "| operation |" in (tmp_path / "table.md").read_text(encoding="utf-8")


def test_missing_commands_show_as_not_available():
    sys.path.insert(0, str(BENCH))
    try:
        import run
    finally:
        sys.path.remove(str(BENCH))
    rows = [run.Row("list", "1k", run.Result(note="n/a (not available)")),
            run.Row("summary", "1k", run.Result(0.5, 40.0), run.Result(1.0, 100.0), "task +OVERDUE count")]
    text = run.render_text(rows)
    assert "n/a (not available)" in text
    assert "0.50" in text and "0.40" in text  # time and memory ratios


def test_streaming_preset_sets_tracker_beside_the_floor(tmp_path):
    """The streaming paths (list --json, export md/xlsx, filtered list, summary) each get a floor
    figure; Taskwarrior is not needed (its columns say n/a when it is missing)."""
    out = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--sizes", "300", "--only", "streaming", "--no-app",
         "--out-dir", str(tmp_path), "--json", str(tmp_path / "r.json")],
        cwd=REPO, capture_output=True, text=True, timeout=600,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    results = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert {r["op"] for r in results} == {
        "list --overdue --unit 区人力资源社会保障局", "list --json (all tasks)", "summary", "export (whole)",
        "export -o 台账.xlsx (whole)"}
    for r in results:
        assert r["tracker"]["seconds"] > 0 and r["floor"]["seconds"] > 0, r
        assert r["tracker"]["mib"] > 0 and r["floor"]["mib"] > 0, r
    assert "import" not in out.stdout


@pytest.mark.parametrize("text, size", [("1000", 1000), ("10k", 10_000), ("1m", 1_000_000), ("1M", 1_000_000)])
def test_sizes_read_with_suffixes(text, size):
    sys.path.insert(0, str(BENCH))
    try:
        import run
    finally:
        sys.path.remove(str(BENCH))
    assert run.parse_size(text) == size


@pytest.mark.parametrize("size, label", [(300, "300"), (1000, "1k"), (100_000, "100k"), (1_000_000, "1M")])
def test_size_labels(size, label):
    sys.path.insert(0, str(BENCH))
    try:
        import run
    finally:
        sys.path.remove(str(BENCH))
    assert run.size_label(size) == label
