"""End-to-end: the installed ``tracker`` entry point in a subprocess, importing the seed documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

from tests.conftest import REPO, SEEDS
from tracker.cli import main

SEED_FILES = sorted(str(p) for p in SEEDS.glob("*.txt"))
QINGPU_DOC = "青府规发〔2022〕4号"


def tracker(tmp_path: Path, *argv: str, env: dict | None = None, config: Path | None = REPO / "config.toml"):
    """Run ``python -m``-free: the console script's function, in a fresh interpreter."""
    base = [sys.executable, "-c", "import sys; from tracker.cli import main; sys.exit(main())"]
    args = ["--db", str(tmp_path / "e2e.db"), "--today", "2022-11-15"]
    if config is not None:
        args += ["--config", str(config)]
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    full_env.update(env or {})
    proc = subprocess.run([*base, *args, *argv], capture_output=True, text=True, env=full_env, cwd=tmp_path, timeout=120)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def test_import_seeds_then_summary_shows_274_tasks(tmp_path):
    proc = tracker(tmp_path, "import", *SEED_FILES)
    assert proc.returncode == 0, proc.stderr
    assert "任务 274" in proc.stdout and "已保存：新文件" in proc.stdout
    summary = tracker(tmp_path, "summary", "--json")
    assert summary.returncode == 0
    data = json.loads(summary.stdout)
    docs = {d["doc_number"]: d for d in data["documents"]}
    assert docs[QINGPU_DOC]["tasks"] == 274 and docs[QINGPU_DOC]["measures"] == 18
    assert docs[QINGPU_DOC]["counts"]["total"] == 274
    kinds = {k["kind"]: k["counts"]["total"] for k in data["kinds"]}
    assert kinds["town"] == 198
    assert len(data["documents"]) == len(SEED_FILES)
    text = tracker(tmp_path, "summary")
    assert text.returncode == 0 and "274" in text.stdout and "青府规发〔2022〕4号" in text.stdout

    again = tracker(tmp_path, "import", "--json", *SEED_FILES)
    assert again.returncode == 0
    results = json.loads(again.stdout)
    assert isinstance(results, list) and all(r["unchanged"] for r in results)
    assert {"path", "document_id", "created", "measures_added", "tasks_added", "units_added"} <= set(results[0])


def test_dry_run_json_stores_nothing(tmp_path):
    (one,) = [p for p in SEED_FILES if "002_" in p]
    proc = tracker(tmp_path, "import", "--dry-run", "--json", one)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["doc_number"] == QINGPU_DOC and doc["task_count"] == 274
    assert {"path", "content_hash", "title", "issued", "measures", "warnings"} <= set(doc)
    several = json.loads(tracker(tmp_path, "import", "--dry-run", "--json", *SEED_FILES[:2]).stdout)
    assert isinstance(several, list) and len(several) == 2
    assert json.loads(tracker(tmp_path, "summary", "--json").stdout)["documents"] == []


def test_a_file_that_fails_to_parse_stores_nothing(tmp_path):
    missing = tmp_path / "missing.txt"
    proc = tracker(tmp_path, "import", *SEED_FILES, str(missing))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines[0].startswith(f"tracker: {missing}:")
    assert "未导入任何内容" in lines[-1]
    assert json.loads(tracker(tmp_path, "summary", "--json").stdout)["documents"] == []


def test_seed_workflow_list_set_export(tmp_path):
    assert tracker(tmp_path, "import", *SEED_FILES).returncode == 0
    listed = json.loads(tracker(tmp_path, "list", "--unit", "夏阳街道", "--json").stdout)
    assert listed["counts"]["total"] == 18
    first = listed["tasks"][0]["id"]
    assert tracker(tmp_path, "set", str(first), "推进中", "--note", "已召开推进会", "--by", "夏阳街道").returncode == 0
    report = tracker(tmp_path, "export", "--unit", "夏阳街道")
    assert report.returncode == 0
    assert report.stdout.startswith("# 夏阳街道 任务落实情况") and "已召开推进会" in report.stdout
    waiting = json.loads(tracker(tmp_path, "list", "--unassigned", "--json").stdout)["measures"]
    assert waiting and all(m["tasks"] == 0 for m in waiting)
    ambiguous = tracker(tmp_path, "assign", "E1", "区人力资源社会保障局")
    assert ambiguous.returncode == 2 and "--doc" in ambiguous.stderr and len(ambiguous.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    "argv, code",
    [
        (["show", "999"], 2),
        (["due", "1", "someday"], 2),
        (["frobnicate"], 2),
        (["list", "--status", "whatever"], 2),
    ],
)
def test_errors_are_one_line_without_traceback(tmp_path, argv, code):
    proc = tracker(tmp_path, *argv)
    assert proc.returncode == code
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("tracker: ")


def test_broken_config_and_unreadable_database(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('due_soon_days = -3\n', encoding="utf-8")
    proc = tracker(tmp_path, "list", config=bad)
    assert proc.returncode == 2 and proc.stderr.strip() == f"tracker: {bad}:1: due_soon_days: 应为 0 到 3650 之间的整数，实际为 -3"
    (tmp_path / "e2e.db").write_bytes(b"garbage" * 1000)
    proc = tracker(tmp_path, "list")
    assert proc.returncode == 1 and len(proc.stderr.strip().splitlines()) == 1


def test_help_does_not_load_the_store_or_the_app():
    code = (
        "import sys\nfrom tracker.cli import main\nmain(['--help'])\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'sqlmodel', 'sqlalchemy', 'rich'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_no_command_seeds_an_empty_database_then_opens_the_app(isolated_env, tmp_db_path, monkeypatch):
    seen = {}
    fake = types.ModuleType("tracker.tui.app")
    fake.run_app = lambda ctx: seen.setdefault("ctx", ctx)
    monkeypatch.setitem(sys.modules, "tracker.tui.app", fake)
    code = main(["--db", str(tmp_db_path), "--config", str(REPO / "config.toml"), "--today", "2022-11-15", "--by", "协调员"])
    assert code == 0
    ctx = seen["ctx"]
    assert ctx.today.isoformat() == "2022-11-15" and ctx.user == "协调员"
    from tracker.store.database import DirectDatabase, open_sqlite
    from tracker.store.queries import list_documents

    assert isinstance(ctx.db, DirectDatabase)  # the app reads and writes without SQLAlchemy
    with open_sqlite(tmp_db_path) as db, db.read_tx() as conn:
        docs = list_documents(conn)
    assert len(docs) == len(SEED_FILES)
    assert sum(d.tasks for d in docs) == 274
