"""Time and memory of tracker's commands and app, side by side with the floor, Taskwarrior and dooit.

    python bench/run.py                          # 1k, 10k, 100k tasks, 5 runs each
    python bench/run.py --sizes 10k --runs 3
    python bench/run.py --sizes 1m --runs 1 --only streaming   # a million tasks: the streaming paths
    python bench/run.py --quick                  # 1k tasks, 1 run, no tmux: a smoke run
    python bench/run.py --markdown results.md    # also write the table as markdown
    python bench/run.py --tracker-src DIR        # tracker's code from DIR (e.g. an earlier commit)

Every figure is a separate process started from here: wall time from spawn to exit, and
peak resident memory (``ru_maxrss`` from ``wait4``) of that process. One untimed warm-up run
precedes the timed ones (the page cache is warm, as it is for someone working all day);
the table shows medians. A command that is not there (yet) shows as "n/a".

The *floor* (``bench/floor.py``) is a bare Python loop over ``sqlite3`` reading the same rows
and writing them as they come: what the work costs without tracker. Taskwarrior, when
installed, gets the same tasks through ``task import`` into its own data directory, with its
default settings (garbage collection on) apart from ``confirmation=off`` and ``verbose=nothing``;
without it, its columns show n/a.

Databases come from ``bench/generate.py`` and are cached under ``bench/out/``: rebuilt when
:data:`generate.DATA_VERSION` changes or the file's schema is not the code's (a million tasks
take about two minutes to generate; see docs/performance.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench_measure import Result, Sample, repeat, repeat_probe, run_once, task_binary  # noqa: F401 (used by tests)
from bench_table import (  # noqa: F401
    Row,
    _fmt_m,
    _fmt_s,
    machine,
    parse_size,
    render_markdown,
    render_text,
    size_label,
)

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TODAY = "2022-11-15"
SEED = 1
UNIT = "区人力资源社会保障局"  # the busiest lead bureau
TEXT = "创业担保贷款"  # a measure topic: matches a few % of the tasks
SYNTH_MEASURES = 200

# --------------------------------------------------------------------------- the data


def _newer(target: Path, *sources: Path) -> bool:
    return target.exists() and all(target.stat().st_mtime >= s.stat().st_mtime for s in sources)


def _schema_current(db: Path) -> bool:
    """The file holds tracker's tables at the code's version (asked in a child process: importing
    tracker here would grow this process, and every child inherits its peak RSS in ``ru_maxrss``)."""
    code = (
        "import sqlite3, sys\nfrom tracker.store.schema import CURRENT, sqlite_state\n"
        "conn = sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True)\n"
        "sys.exit(0 if sqlite_state(conn).kind == CURRENT else 1)"
    )
    env = dict(os.environ, PYTHONPATH=str(TRACKER_SRC or REPO))
    return subprocess.run([sys.executable, "-P", "-c", code, str(db)], env=env, capture_output=True).returncode == 0


def data_version() -> str:
    """``generate.DATA_VERSION``, read without importing the generator (see :func:`_schema_current`)."""
    import re

    found = re.search(r"^DATA_VERSION = (\d+)", (BENCH / "generate.py").read_text(encoding="utf-8"), re.M)
    return found.group(1) if found else "0"


def ensure_db(out_dir: Path, size: int, *, taskwarrior: bool = True) -> Path:
    """The cached database of ``size`` tasks (and Taskwarrior's JSON of them when asked)."""
    version = data_version()
    db = out_dir / f"tasks-{size}-seed{SEED}-v{version}.db"
    tw = out_dir / f"tw-{size}-seed{SEED}-v{version}-{date.today().isoformat()}.json"
    need_db = not (db.exists() and _schema_current(db))
    need_tw = taskwarrior and not tw.exists()
    if need_db or need_tw:
        print(f"generating {size} tasks ...", file=sys.stderr, flush=True)
        argv = [sys.executable, str(BENCH / "generate.py"), "--tasks", str(size), "--today", TODAY, "--seed", str(SEED)]
        if need_db:
            argv += ["--out", str(db)]
        if need_tw:
            argv += ["--taskwarrior", str(tw)]
        subprocess.run(argv, check=True, cwd=REPO)
    return db


def ensure_synthetic(out_dir: Path) -> tuple[Path, Path]:
    doc = out_dir / f"synthetic-{SYNTH_MEASURES}.txt"
    tw = out_dir / f"synthetic-{SYNTH_MEASURES}-{date.today().isoformat()}.json"
    if not (_newer(doc, BENCH / "generate.py") and _newer(tw, BENCH / "generate.py")):
        subprocess.run(
            [sys.executable, str(BENCH / "generate.py"), "--document", str(doc), "--measures", str(SYNTH_MEASURES),
             "--document-taskwarrior", str(tw), "--today", TODAY],
            check=True, cwd=REPO, stdout=subprocess.DEVNULL,
        )
    return doc, tw


# --------------------------------------------------------------------------- Taskwarrior



def tw_env(data: Path) -> dict:
    rc = data / "taskrc"
    return dict(os.environ, TASKRC=str(rc), TASKDATA=str(data))


def ensure_taskwarrior(out_dir: Path, size: int) -> Path | None:
    """A Taskwarrior data directory holding the same tasks (imported once, then reused)."""
    task = task_binary()
    if task is None:
        return None
    data = out_dir / f"tw-{size}-seed{SEED}-v{data_version()}-{date.today().isoformat()}"
    source = out_dir / f"tw-{size}-seed{SEED}-v{data_version()}-{date.today().isoformat()}.json"
    done = data / "imported.ok"
    if done.exists() and _newer(done, source):
        return data
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    (data / "taskrc").write_text(
        f"data.location={data}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8"
    )
    print(f"task import of {size} tasks ...", file=sys.stderr, flush=True)
    s = run_once([task, "import", str(source)], env=tw_env(data))
    if s.rc != 0:
        raise SystemExit(f"task import failed: {s.err}")
    run_once([task, "count"], env=tw_env(data))  # first report: garbage collection and renumbering
    done.write_text(f"{s.wall:.2f} s {s.rss_kib / 1024:.0f} MiB\n", encoding="utf-8")
    return data


# --------------------------------------------------------------------------- tracker


TRACKER_SRC: Path | None = None  # --tracker-src: run tracker's code from this tree instead


def tracker_env() -> dict | None:
    if TRACKER_SRC is None:
        return None
    return dict(os.environ, PYTHONPATH=str(TRACKER_SRC))


def tracker_argv(db: Path, *args: str) -> list[str]:
    exe = Path(sys.executable).parent / "tracker"
    direct = exe.exists() and TRACKER_SRC is None
    # -P: the working directory (the repository) must not shadow the source tree given on PYTHONPATH
    head = [str(exe)] if direct else [sys.executable, "-P", "-c", "import sys; from tracker.cli import main; sys.exit(main())"]
    return [*head, "--db", str(db), "--today", TODAY, "--config", str((TRACKER_SRC or REPO) / "config.toml"), *args]


def tracker_available(sub: str) -> bool:
    """The sub-command exists (another part of the code base may not have landed yet)."""
    src = TRACKER_SRC or REPO
    if not ((src / "tracker" / "cli").is_dir() or (src / "tracker" / "cli.py").exists()):
        return False
    s = run_once(tracker_argv(Path(os.devnull), sub, "--help"), env=tracker_env())
    return s.rc == 0


def floor_argv(mode: str, *args: str) -> list[str]:
    return [sys.executable, str(BENCH / "floor.py"), mode, *args]


def app_available() -> bool:
    return (REPO / "tracker" / "tui" / "app.py").exists()


# --------------------------------------------------------------------------- operations


STREAMING = ("list-filtered", "list-json", "summary", "export-md", "export-xlsx")
OPS = ("list-filtered", "summary-overdue", "list-doing", "list-text", "list-json", "list-filtered-json", "summary",
       "export-md", "export-unit", "export-xlsx", "import", "app")


def measure_size(size: int, args, rows: list[Row], avail: dict[str, bool]) -> None:
    out_dir: Path = args.out_dir
    want_tw = not args.no_taskwarrior and task_binary() is not None
    db = ensure_db(out_dir, size, taskwarrior=want_tw)
    tw = ensure_taskwarrior(out_dir, size) if want_tw else None
    task = task_binary()
    runs = args.runs
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    label = size_label(size)
    only = set(args.only)

    def tr(*cmd: str, sub: str | None = None, check=None) -> Result:
        sub = sub or cmd[0]
        if not avail.setdefault(sub, tracker_available(sub)):
            return Result(note="n/a (not available)")
        return repeat(lambda: (tracker_argv(db, *cmd), tracker_env(), None), runs, check=check)

    def twr(*cmd: str) -> Result | None:
        if tw is None or task is None:
            return Result(note="n/a (task not installed)") if not args.no_taskwarrior else None
        return repeat(lambda: ([task, *cmd], tw_env(tw), None), runs)

    def fl(mode: str, *extra: str) -> Result:
        return repeat(lambda: (floor_argv(mode, str(db), *extra), None, None), runs)

    def add(key: str, op: str, tracker_cmd: tuple[str, ...], tw_cmd: tuple[str, ...] | None = None,
            floor: tuple[str, ...] | None = None) -> None:
        if key not in only:
            return
        result = tr(*tracker_cmd)
        base = fl(*floor) if floor and not args.no_floor else None
        other = twr(*tw_cmd) if tw_cmd else None
        rows.append(Row(op, label, result, other, "task " + " ".join(tw_cmd) if tw_cmd else "", base))
        _progress(rows[-1])

    project = f"project:{UNIT}"
    xlsx = str(tmp / "ledger.xlsx")
    add("list-filtered", f"list --overdue --unit {UNIT}", ("list", "--overdue", "--unit", UNIT),
        (project, "+OVERDUE", "list"), ("list-filtered", UNIT))
    add("summary-overdue", "summary (vs overdue count)", ("summary",), ("+OVERDUE", "count"))
    add("list-doing", "list --status doing", ("list", "--status", "doing"), ("+ACTIVE", "list"))
    add("list-text", f"list --text {TEXT}", ("list", "--text", TEXT), (f"/{TEXT}/", "list"))
    add("list-json", "list --json (all tasks)", ("list", "--json"), ("export",), ("list-json",))
    add("list-filtered-json", f"list --overdue --unit {UNIT} --json", ("list", "--overdue", "--unit", UNIT, "--json"),
        (project, "+OVERDUE", "export"))
    add("summary", "summary", ("summary",), ("summary",), ("summary",))
    add("export-md", "export (whole)", ("export",), ("export",), ("export-md",))
    add("export-unit", f"export --unit {UNIT}", ("export", "--unit", UNIT), (project, "export"))
    add("export-xlsx", "export -o 台账.xlsx (whole)", ("export", "-o", xlsx), None, ("export-xlsx", xlsx))
    if "import" not in only and "app" not in only:
        shutil.rmtree(tmp, ignore_errors=True)
        return

    # imports into a copy of the database (the copy is not timed)
    work = tmp / "work.db"

    def fresh_db() -> None:
        for suffix in ("-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
        shutil.copyfile(db, work)

    def imp(path: Path) -> Result:
        if not avail.setdefault("import", tracker_available("import")):
            return Result(note="n/a (not available)")
        return repeat(lambda: (tracker_argv(work, "import", "--by", "bench", str(path)), tracker_env(), None), runs,
                      setup=fresh_db)

    seeds = sorted((REPO / "seeds").glob("*.txt")) if "import" in only else []
    for seed in seeds:
        rows.append(Row(f"import seed {seed.name[:3]}", label, imp(seed)))
        _progress(rows[-1])
    synth, synth_tw = ensure_synthetic(out_dir)
    other = None
    if "import" in only and tw is not None and task is not None:
        tw_work = tmp / "tw"

        def fresh_tw() -> None:
            shutil.rmtree(tw_work, ignore_errors=True)
            shutil.copytree(tw, tw_work)
            (tw_work / "taskrc").write_text(
                f"data.location={tw_work}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")

        other = repeat(lambda: ([task, "import", str(synth_tw)], tw_env(tw_work), None), runs, setup=fresh_tw)
    if "import" in only:
        rows.append(Row(f"import synthetic {SYNTH_MEASURES}-measure document", label, imp(synth), other,
                        "task import (same tasks as JSON)" if other else ""))
        _progress(rows[-1])

    # the app
    if not args.no_app and "app" in only:
        import app_probe

        if not app_available():
            rows.append(Row("app: first screen (Pilot)", label, Result(note="n/a (not available)")))
            rows.append(Row("app: filter change (Pilot)", label, Result(note="n/a (not available)")))
        else:
            first = repeat_probe(lambda: app_probe.pilot(db, TODAY, "first"), runs)
            rows.append(Row("app: first screen, table filled (Pilot)", label, first))
            _progress(rows[-1])
            change = repeat_probe(lambda: app_probe.pilot(db, TODAY, "filter"), runs)
            rows.append(Row("app: overdue filter → table updated (Pilot)", label, change))
            _progress(rows[-1])
            if not args.no_tmux:
                real = repeat_probe(lambda: app_probe.tmux_tracker(db, TODAY), runs)
                rows.append(Row("app: first screen in a terminal (tmux)", label, real))
                _progress(rows[-1])
    shutil.rmtree(tmp, ignore_errors=True)


def measure_dooit(args, rows: list[Row]) -> None:
    import app_probe

    exe = app_probe.dooit_binary(args.dooit)
    if exe is None:
        rows.append(Row("dooit: first screen in a terminal (tmux, empty data)", "-", Result(note="n/a (dooit not installed)")))
        return
    rows.append(Row("dooit: first screen in a terminal (tmux, empty data)", "-",
                    repeat_probe(lambda: app_probe.tmux_dooit(exe), args.runs)))
    _progress(rows[-1])


def _progress(row: Row) -> None:
    print(f"  {row.size:>5}  {row.op:<50} {_fmt_s(row.tracker):>10} {_fmt_m(row.tracker):>6} MiB"
          f"  floor {_fmt_s(row.floor):>8} {_fmt_m(row.floor):>6}  other {_fmt_s(row.other):>10}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="comma list of task counts: 1000,10k,1m (default 1k,10k,100k)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median shown)")
    parser.add_argument("--quick", action="store_true", help="1k tasks, 1 run, no tmux (a smoke run)")
    parser.add_argument("--only", default=",".join(OPS),
                        help=f"comma list of operations ({', '.join(OPS)}) or 'streaming' ({', '.join(STREAMING)})")
    parser.add_argument("--out-dir", type=Path, default=BENCH / "out", help="where databases are cached")
    parser.add_argument("--tracker-src", type=Path, default=None,
                        help="run tracker from this source tree (e.g. git archive of an earlier commit)")
    parser.add_argument("--no-taskwarrior", action="store_true")
    parser.add_argument("--no-floor", action="store_true", help="skip the bare sqlite3 floor")
    parser.add_argument("--no-app", action="store_true", help="skip the app probes")
    parser.add_argument("--no-tmux", action="store_true", help="skip the real-terminal probes")
    parser.add_argument("--dooit", default=None, help="dooit executable (default: on PATH or DOOIT)")
    parser.add_argument("--markdown", type=Path, help="also write the table as markdown to this file")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.no_tmux = args.sizes or "1000", 1, True
    args.sizes = args.sizes or "1000,10000,100000"
    args.only = [k for part in args.only.split(",") for k in (STREAMING if part.strip() == "streaming" else [part.strip()])]
    unknown = sorted(set(args.only) - set(OPS))
    if unknown:
        parser.error(f"unknown operations: {', '.join(unknown)}")
    global TRACKER_SRC
    TRACKER_SRC = args.tracker_src.resolve() if args.tracker_src else None
    args.out_dir.mkdir(parents=True, exist_ok=True)
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    rows: list[Row] = []
    avail: dict[str, bool] = {}
    started = time.time()
    for size in sizes:
        measure_size(size, args, rows, avail)
    if not args.no_tmux and "app" in args.only:
        measure_dooit(args, rows)
    code = f"; tracker from {TRACKER_SRC}" if TRACKER_SRC else ""
    head = f"{machine()}\nmedians of {args.runs} run(s) after one warm-up; today = {TODAY}; " \
           f"took {time.time() - started:.0f} s{code}"
    print(head)
    print(render_text(rows))
    if args.markdown:
        args.markdown.write_text(head + "\n\n" + render_markdown(rows) + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([
            dict(op=r.op, size=r.size, tracker=r.tracker.__dict__, other=r.other.__dict__ if r.other else None,
                 other_command=r.other_label, floor=r.floor.__dict__ if r.floor else None) for r in rows
        ], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path[:0] = [str(BENCH), str(REPO)]
    raise SystemExit(main())
