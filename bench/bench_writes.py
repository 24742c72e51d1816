"""Start-up and run time of the write commands (``set``, ``note``, ``due``; also ``actual`` and ``archive``)
against ``list`` and the floor.

    python bench/bench_writes.py                         # 1k and 10k tasks, 5 paired rounds
    python bench/bench_writes.py --sizes 1000 --runs 9
    python bench/bench_writes.py --quick                 # 1k tasks, 1 round: a smoke run
    python bench/bench_writes.py --tree /path/to/other/checkout   # the same figures for another version
    python bench/bench_writes.py --before /path/to/older/checkout # each command also on that tree, paired

The floor is a bare ``python -c`` with ``sqlite3`` doing the same SQL as the command (connect with the same
pragmas, read the schema version, ``BEGIN IMMEDIATE``, read the task, update it, append its events, commit,
print one line; for ``list``: the same filtered query, one printed line a task; for ``summary``: the very
statements ``summary`` ran, captured from its connection and replayed, one printed line a row). The goal
(docs/performance.md): a write within 1.5× ``list`` and within 1.5× its floor.

Each round runs every operation once, in turn (paired: a busy moment hits all of them alike), each on a
fresh copy of the database made before the clock starts (a write finds the database as the last one left
it: no WAL file). One untimed warm-up round first; the table shows medians of wall time and of CPU time
(user + system of that process: steadier than wall time on a shared machine). Bytecode is cached (under
``out/pycache``) as it is for an installed package, even where ``PYTHONDONTWRITEBYTECODE`` is set: else
every run would compile tracker's modules again. ``--tree`` runs another source tree's ``tracker`` (put
first on ``PYTHONPATH``), for before/after figures on the same data.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TODAY = "2022-11-15"
SEED = 1
UNIT = "区人力资源社会保障局"  # the busiest lead bureau (as in run.py)
# the same list run as a user runs it: no ./config.toml, no --db (the other commands run in the repository with
# its config.toml and --db, the floor's conditions; a user's settings and database are in their own directories)
AT_HOME = f"list --overdue --unit {UNIT} (no ./config.toml, default database)"


def _sources() -> list[Path]:
    """What the cached database depends on: the generator and the schema (a new migration: rebuild)."""
    versions = REPO / "tracker" / "store" / "migrations" / "versions"
    return [BENCH / "generate.py", REPO / "tracker" / "store" / "models.py", *versions.glob("*.py")]


def ensure_db(out_dir: Path, size: int) -> Path:
    db = out_dir / f"writes-{size}-seed{SEED}.db"
    if not (db.exists() and all(db.stat().st_mtime >= s.stat().st_mtime for s in _sources())):
        print(f"generating {size} tasks ...", file=sys.stderr, flush=True)
        subprocess.run([sys.executable, str(BENCH / "generate.py"), "--tasks", str(size), "--out", str(db),
                        "--today", TODAY, "--seed", str(SEED)], check=True, cwd=REPO)
    return db


def pick_task(db: Path) -> int:
    """An open task with a deadline, so that set, note and due each change something."""
    import sqlite3

    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT id FROM task WHERE status = 'todo' AND due IS NOT NULL ORDER BY id").fetchone()[0]


# --------------------------------------------------------------------------- the floor

_FLOOR_OPEN = """
import sqlite3, sys, datetime
db = sys.argv[1]
c = sqlite3.connect(db, timeout=10, isolation_level=None)
c.execute("PRAGMA busy_timeout = 10000")
for pragma in ("journal_mode = WAL", "foreign_keys = ON", "synchronous = NORMAL"):
    c.execute("PRAGMA " + pragma)
tables = c.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
version = c.execute("SELECT version_num FROM alembic_version").fetchall()
"""

# one write: read the task, update it with the next version, append its events; ``CHANGES`` is filled in
_FLOOR_WRITE = _FLOOR_OPEN + """
tid = int(sys.argv[2])
c.execute("BEGIN IMMEDIATE")
row = c.execute("SELECT id, status, due, note, role, version, updated_by, updated_at FROM task WHERE id = ?",
                (tid,)).fetchone()
at = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None).isoformat(" ", "microseconds")
changes = CHANGES
sets = "".join(f", {col} = ?" for col, _old, _new in changes)
c.execute(f"UPDATE task SET version = ?, updated_at = ?, updated_by = ?{sets} WHERE id = ? AND version = ?",
          (row[5] + 1, at, "bench", *[new for _c, _o, new in changes], tid, row[5]))
for col, old, new in changes:
    c.execute('INSERT INTO taskevent (task_id, "at", "by", "field", "old", "new", "note") VALUES (?, ?, ?, ?, ?, ?, ?)',
              (tid, at, "bench", col, row[OLD[col]], new, ""))
c.execute("COMMIT")
print(f"任务 #{tid} 已更新（版本 {row[5] + 1}）")
"""

_FLOOR_LIST = _FLOOR_OPEN + """
c.execute("BEGIN")
for r in c.execute(
    "SELECT task.id, measure.code, measure.title, unit.name, task.role, task.status, task.due, task.updated_at, "
    "task.updated_by FROM task JOIN measure ON measure.id = task.measure_id JOIN unit ON unit.id = task.unit_id "
    "JOIN document ON document.id = measure.document_id "
    "WHERE document.archived_at IS NULL AND unit.name = ? AND task.status IN ('todo', 'doing', 'blocked') "
    "AND task.due < ? ORDER BY task.due, measure.document_id, measure.\\"order\\", task.id",
    (sys.argv[2], sys.argv[3]),
):
    print(" │ ".join("" if v is None else str(v) for v in r))
"""

# a read command's floor: the statements the command ran (captured from its connection, parameters bound),
# replayed on a bare connection, each row printed as one line
_FLOOR_REPLAY = """
import sqlite3, sys
c = sqlite3.connect(sys.argv[1], timeout=10, isolation_level=None)
for sql in STATEMENTS:
    for r in c.execute(sql):
        print(" │ ".join("" if v is None else str(v) for v in r))
"""

# runs a command in-process with every sqlite3 connection traced; writes the statements as JSON to argv[1]
_CAPTURE = """
import json, sqlite3, sys
statements = []
connect = sqlite3.connect
def traced(*args, **kwargs):
    conn = connect(*args, **kwargs)
    conn.set_trace_callback(statements.append)
    return conn
sqlite3.connect = traced
from tracker.cli import main
rc = main(sys.argv[2:])
with open(sys.argv[1], "w", encoding="utf-8") as out:
    json.dump(statements, out, ensure_ascii=False)
sys.exit(rc)
"""

_OLD_COLUMN = {"status": 1, "due": 2, "note": 3}


def floor_write(changes: list[tuple[str, str]]) -> str:
    """The floor's code for a write setting ``(column, new value)`` pairs."""
    triples = [(col, None, new) for col, new in changes]
    return _FLOOR_WRITE.replace("CHANGES", repr(triples)).replace("OLD[col]", f"{_OLD_COLUMN!r}[col]")


def floor_replay(statements: list[str]) -> str:
    """The floor's code for a read command that ran ``statements``."""
    return _FLOOR_REPLAY.replace("STATEMENTS", repr(statements))


def capture_sql(argv: list[str], env: dict[str, str], cwd: Path) -> list[str]:
    """The SQL statements tracker runs for ``argv`` (its arguments after the program), in order."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "statements.json"
        subprocess.run([sys.executable, "-c", _CAPTURE, str(out), *argv], env=env, cwd=cwd, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        return json.loads(out.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- running


def run_once(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int, str]:
    """Wall time from spawn to exit, CPU time (user + system), exit code, last line of stderr."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL, env=env,
                                cwd=cwd)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    return wall, usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status), lines[-1] if lines else ""


SUMMARY_ARGS = ["--today", TODAY, "summary"]


def operations(db: Path, tid: int, python: str, tracker: list[str],
               summary_sql: list[str] | None = None) -> dict[str, list[str]]:
    """Every timed command line; ``summary_sql``: the statements ``summary`` runs (its floor replays them)."""
    common = [*tracker, "--db", str(db), "--today", TODAY]
    return {
        f"list --overdue --unit {UNIT}": [*common, "list", "--overdue", "--unit", UNIT],
        AT_HOME: [*tracker, "--today", TODAY, "list", "--overdue", "--unit", UNIT],
        "summary": [*tracker, "--db", str(db), *SUMMARY_ARGS],
        "set (status + note)": [*common, "set", str(tid), "doing", "--note", "已推进", "--by", "bench"],
        "note": [*common, "note", str(tid), "已完成调研", "--by", "bench"],
        "due": [*common, "due", str(tid), "2023-03-31", "--by", "bench"],
        "actual (target figure)": [*common, "actual", "1", "39万", "--as-of", "2022-11-30"],
        "archive (document)": [*common, "archive", "1"],
        "floor: python -c 'import sqlite3'": [python, "-c", "import sqlite3"],
        "floor: list (same query)": [python, "-c", _FLOOR_LIST, str(db), UNIT, TODAY],
        "floor: set": [python, "-c", floor_write([("status", "doing"), ("note", "已推进")]), str(db), str(tid)],
        "floor: note": [python, "-c", floor_write([("note", "已完成调研")]), str(db), str(tid)],
        "floor: due": [python, "-c", floor_write([("due", "2023-03-31")]), str(db), str(tid)],
        "floor: summary": [python, "-c", floor_replay(summary_sql or []), str(db)],
    }


def tree_env(out_dir: Path, tree: Path | None) -> tuple[dict[str, str], Path]:
    """The environment and working directory that run ``tree``'s tracker (this repository's: None)."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(out_dir / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    cwd = REPO  # ``python -c`` puts the working directory first on sys.path: the tree's own, for --tree
    if tree is not None:
        cwd = tree
        env["PYTHONPATH"] = os.pathsep.join([str(tree), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    where = subprocess.run([sys.executable, "-c", "import tracker; print(tracker.__file__)"], env=env, cwd=cwd,
                           capture_output=True, text=True, check=True).stdout.strip()
    if not Path(where).resolve().is_relative_to((tree or REPO).resolve()):
        raise SystemExit(f"tracker is imported from {where}, not from {tree or REPO}")
    return env, cwd


def measure(size: int, runs: int, out_dir: Path, tree: Path | None,
            before: Path | None = None) -> dict[str, list[tuple[float, float]]]:
    """Timings per operation; with ``before``, every tracker operation also runs on that tree (``before: …``),
    right before or right after this one's run (swapped every other round)."""
    base = ensure_db(out_dir, size)
    tid = pick_task(base)
    work_dir = Path(tempfile.mkdtemp(prefix="bench-writes-"))
    # where a user's default database is (XDG_DATA_HOME below): ``AT_HOME`` finds it without --db
    work = work_dir / "data" / "tracker" / "tracker.db"
    work.parent.mkdir(parents=True)
    python = sys.executable
    tracker = [python, "-c", "import sys; from tracker.cli import main; sys.exit(main())"]
    shutil.copyfile(base, work)
    summary_sql = capture_sql(["--db", str(work), *SUMMARY_ARGS], *tree_env(out_dir, tree))
    ops = operations(work, tid, python, tracker, summary_sql)

    def placed(op: str, tree_: Path | None) -> tuple[dict[str, str], Path]:
        env, cwd = tree_env(out_dir, tree_)
        if op != AT_HOME:
            return env, cwd
        # run as a user would: from a directory with no config.toml, the settings and the database looked up
        # in the user's own directories (none there for the settings)
        return dict(env, XDG_DATA_HOME=str(work_dir / "data"), XDG_CONFIG_HOME=str(work_dir / "config")), work_dir

    # groups run back to back: an operation and, with ``before``, its earlier version
    groups = [[(op, argv, *placed(op, tree))] for op, argv in ops.items()]
    if before is not None:
        for group in groups:
            op, argv = group[0][:2]
            if not op.startswith("floor"):
                group.insert(0, (f"before: {op}", argv, *placed(op, before)))
    times: dict[str, list[tuple[float, float]]] = {g[0]: [] for group in groups for g in group}
    try:
        for round_ in range(runs + 1):  # round 0: warm-up, not counted
            for group in groups:
                for op, argv, op_env, op_cwd in (group if round_ % 2 else reversed(group)):
                    for suffix in ("-wal", "-shm"):
                        Path(f"{work}{suffix}").unlink(missing_ok=True)
                    shutil.copyfile(base, work)
                    wall, cpu, rc, err = run_once(argv, op_env, op_cwd)
                    if rc != 0:
                        raise SystemExit(f"{op} at {size} tasks failed (exit {rc}): {err}")
                    if round_:
                        times[op].append((wall, cpu))
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return times


def report(results: dict[int, dict[str, list[tuple[float, float]]]]) -> str:
    lines = ["| operation | tasks | wall s | × list | × its floor | CPU s | × list | × its floor |",
             "|---|---|---|---|---|---|---|---|"]
    listing = f"list --overdue --unit {UNIT}"
    for size, times in results.items():
        label = f"{size // 1000}k" if size % 1000 == 0 else str(size)
        for op, samples in times.items():
            side = "before: " if op.startswith("before: ") else ""  # the earlier tree's runs (--before)
            command = op.removeprefix(side)
            floor = "floor: list (same query)" if command.startswith(listing) else f"floor: {command.split(' ')[0]}"
            cells = []
            for i in (0, 1):  # wall, CPU
                m = statistics.median(s[i] for s in samples)
                ref_list = statistics.median(s[i] for s in times[side + listing])
                ref_floor = statistics.median(s[i] for s in times[floor]) if floor in times else None
                mine = not op.startswith("floor")
                cells += [f"{m:.3f}", f"{m / ref_list:.2f}" if mine else "",
                          f"{m / ref_floor:.2f}" if mine and ref_floor else ""]
            lines.append(f"| {op} | {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma list of task counts")
    parser.add_argument("--runs", type=int, default=5, help="timed rounds (medians shown)")
    parser.add_argument("--quick", action="store_true", help="1k tasks, 1 round (a smoke run)")
    parser.add_argument("--out-dir", type=Path, default=BENCH / "out", help="where databases are cached")
    parser.add_argument("--tree", type=Path, help="benchmark the tracker package of this source tree instead")
    parser.add_argument("--before", type=Path,
                        help="also run every command on this source tree's tracker, paired with this one's run")
    parser.add_argument("--json", type=Path, help="also write every timing as JSON to this file")
    args = parser.parse_args(argv)
    sizes = [1000] if args.quick else [int(s) for s in args.sizes.split(",")]
    runs = 1 if args.quick else args.runs
    results = {size: measure(size, runs, args.out_dir, args.tree, args.before) for size in sizes}
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps({str(k): v for k, v in results.items()}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
