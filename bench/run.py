"""Time and memory of tracker's commands and app, side by side with Taskwarrior and dooit.

    python bench/run.py                          # 1k, 10k, 100k tasks, 5 runs each
    python bench/run.py --sizes 10000 --runs 3
    python bench/run.py --quick                  # 1k tasks, 1 run, no tmux: a smoke run
    python bench/run.py --markdown results.md    # also write the table as markdown

Every figure is a separate process started from here: wall time from spawn to exit, and
peak resident memory (``ru_maxrss`` from ``wait4``) of that process. One untimed warm-up run
precedes the timed ones (the page cache is warm, as it is for someone working all day);
the table shows medians. A command that is not there (yet) shows as "n/a".

Databases come from ``bench/generate.py`` and are cached under ``bench/out/`` (rebuilt when
the generator changes). Taskwarrior gets the same tasks through ``task import`` into its own
data directory, with its default settings (garbage collection on) apart from
``confirmation=off`` and ``verbose=nothing``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TODAY = "2022-11-15"
SEED = 1
UNIT = "区人力资源社会保障局"  # the busiest lead bureau
TEXT = "创业担保贷款"  # a measure topic: matches a few % of the tasks
SYNTH_MEASURES = 200


# --------------------------------------------------------------------------- measuring


@dataclass
class Sample:
    wall: float
    rss_kib: int
    rc: int
    err: str = ""


def run_once(argv: list[str], *, env: dict | None = None, cwd: Path = REPO, stdout: Path | None = None) -> Sample:
    """Run one process; wall time from spawn to exit and its peak RSS (from wait4)."""
    with open(stdout or os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        text = err.read().decode("utf-8", "replace").strip()
    return Sample(wall, usage.ru_maxrss, proc.returncode, text.splitlines()[-1] if text else "")


@dataclass
class Result:
    """Medians over the timed runs, or why there are none."""

    seconds: float | None = None
    mib: float | None = None
    note: str = ""
    runs: list[float] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.seconds is not None


def repeat(make: Callable[[], tuple[list[str], dict | None, Path | None]], runs: int,
           setup: Callable[[], None] | None = None, check: Callable[[Sample], str] | None = None) -> Result:
    """Warm up once, then time ``runs`` runs. ``make`` returns (argv, env, stdout file)."""
    samples: list[Sample] = []
    for i in range(runs + 1):
        if setup:
            setup()
        argv, env, out = make()
        s = run_once(argv, env=env, stdout=out)
        if s.rc != 0:
            return Result(note=f"n/a (exit {s.rc}: {s.err[:80]})")
        if i == 0:
            if check:
                problem = check(s)
                if problem:
                    return Result(note=f"n/a ({problem})")
            continue
        samples.append(s)
    walls = [s.wall for s in samples]
    return Result(statistics.median(walls), statistics.median(s.rss_kib for s in samples) / 1024, runs=walls)


def repeat_probe(probe: Callable[[], tuple[float, float] | str], runs: int) -> Result:
    """Like ``repeat`` for probes that measure themselves: they return (seconds, MiB) or an error text."""
    values: list[tuple[float, float]] = []
    for i in range(runs + 1):
        try:
            got = probe()
        except Exception as exc:  # noqa: BLE001 - one broken probe must not end the whole run
            got = f"{type(exc).__name__}: {exc}"
        if isinstance(got, str):
            return Result(note=f"n/a ({got[:90]})")
        if i:
            values.append(got)
    return Result(statistics.median(v[0] for v in values), statistics.median(v[1] for v in values),
                  runs=[v[0] for v in values])


# --------------------------------------------------------------------------- the data


def _newer(target: Path, *sources: Path) -> bool:
    return target.exists() and all(target.stat().st_mtime >= s.stat().st_mtime for s in sources)


def ensure_db(out_dir: Path, size: int) -> Path:
    db = out_dir / f"tasks-{size}-seed{SEED}.db"
    tw = out_dir / f"tw-{size}-seed{SEED}-{date.today().isoformat()}.json"
    schema = REPO / "tracker" / "store" / "models.py"  # new indexes: rebuild
    if not (_newer(db, BENCH / "generate.py", schema) and _newer(tw, BENCH / "generate.py")):
        print(f"generating {size} tasks ...", file=sys.stderr, flush=True)
        subprocess.run(
            [sys.executable, str(BENCH / "generate.py"), "--tasks", str(size), "--out", str(db),
             "--taskwarrior", str(tw), "--today", TODAY, "--seed", str(SEED)],
            check=True, cwd=REPO,
        )
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


def task_binary() -> str | None:
    return shutil.which("task")


def tw_env(data: Path) -> dict:
    rc = data / "taskrc"
    return dict(os.environ, TASKRC=str(rc), TASKDATA=str(data))


def ensure_taskwarrior(out_dir: Path, size: int) -> Path | None:
    """A Taskwarrior data directory holding the same tasks (imported once, then reused)."""
    task = task_binary()
    if task is None:
        return None
    data = out_dir / f"tw-{size}-seed{SEED}-{date.today().isoformat()}"
    source = out_dir / f"tw-{size}-seed{SEED}-{date.today().isoformat()}.json"
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


def tracker_argv(db: Path, *args: str) -> list[str]:
    exe = Path(sys.executable).parent / "tracker"
    head = [str(exe)] if exe.exists() else [sys.executable, "-c", "import sys; from tracker.cli import main; sys.exit(main())"]
    return [*head, "--db", str(db), "--today", TODAY, *args]


def tracker_available(sub: str) -> bool:
    """The sub-command exists (another part of the code base may not have landed yet)."""
    if not (REPO / "tracker" / "cli.py").exists():
        return False
    s = run_once(tracker_argv(Path(os.devnull), sub, "--help"))
    return s.rc == 0


def app_available() -> bool:
    return (REPO / "tracker" / "tui" / "app.py").exists()


# --------------------------------------------------------------------------- operations


@dataclass
class Row:
    op: str
    size: str
    tracker: Result
    other: Result | None = None
    other_label: str = ""


def _fmt_s(r: Result | None) -> str:
    if r is None:
        return ""
    return f"{r.seconds:.3f}" if r.ok else r.note


def _fmt_m(r: Result | None) -> str:
    return f"{r.mib:.0f}" if r is not None and r.ok else ""


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else ""


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def measure_size(size: int, args, rows: list[Row], avail: dict[str, bool]) -> None:
    out_dir: Path = args.out_dir
    db = ensure_db(out_dir, size)
    tw = ensure_taskwarrior(out_dir, size) if not args.no_taskwarrior else None
    task = task_binary()
    runs = args.runs
    tmp = Path(tempfile.mkdtemp(prefix="bench-"))
    label = size_label(size)

    def tr(*cmd: str, sub: str | None = None, check=None) -> Result:
        sub = sub or cmd[0]
        if not avail.setdefault(sub, tracker_available(sub)):
            return Result(note="n/a (not available)")
        return repeat(lambda: (tracker_argv(db, *cmd), None, None), runs, check=check)

    def twr(*cmd: str) -> Result | None:
        if tw is None or task is None:
            return Result(note="n/a (task not installed)") if not args.no_taskwarrior else None
        return repeat(lambda: ([task, *cmd], tw_env(tw), None), runs)

    def add(op: str, tracker_result: Result, tw_cmd: tuple[str, ...] | None = None) -> None:
        other = twr(*tw_cmd) if tw_cmd else None
        rows.append(Row(op, label, tracker_result, other, "task " + " ".join(tw_cmd) if tw_cmd else ""))
        _progress(rows[-1])

    project = f"project:{UNIT}"
    add(f"list --overdue --unit {UNIT}", tr("list", "--overdue", "--unit", UNIT), (project, "+OVERDUE", "list"))
    add("summary (vs overdue count)", tr("summary"), ("+OVERDUE", "count"))
    add("list --status doing", tr("list", "--status", "doing"), ("+ACTIVE", "list"))
    add(f"list --text {TEXT}", tr("list", "--text", TEXT), (f"/{TEXT}/", "list"))
    add("list --json (all tasks)", tr("list", "--json"), ("export",))
    add(f"list --overdue --unit {UNIT} --json", tr("list", "--overdue", "--unit", UNIT, "--json"),
        (project, "+OVERDUE", "export"))
    add("summary", tr("summary"), ("summary",))
    add("export (whole)", tr("export"), ("export",))
    add(f"export --unit {UNIT}", tr("export", "--unit", UNIT), (project, "export"))

    # imports into a copy of the database (the copy is not timed)
    work = tmp / "work.db"

    def fresh_db() -> None:
        for suffix in ("-wal", "-shm"):
            Path(str(work) + suffix).unlink(missing_ok=True)
        shutil.copyfile(db, work)

    def imp(path: Path) -> Result:
        if not avail.setdefault("import", tracker_available("import")):
            return Result(note="n/a (not available)")
        return repeat(lambda: (tracker_argv(work, "import", "--by", "bench", str(path)), None, None), runs,
                      setup=fresh_db)

    seeds = sorted((REPO / "seeds").glob("*.txt"))
    for seed in seeds:
        rows.append(Row(f"import seed {seed.name[:3]}", label, imp(seed)))
        _progress(rows[-1])
    synth, synth_tw = ensure_synthetic(out_dir)
    other = None
    if tw is not None and task is not None:
        tw_work = tmp / "tw"

        def fresh_tw() -> None:
            shutil.rmtree(tw_work, ignore_errors=True)
            shutil.copytree(tw, tw_work)
            (tw_work / "taskrc").write_text(
                f"data.location={tw_work}\nconfirmation=off\nverbose=nothing\n", encoding="utf-8")

        other = repeat(lambda: ([task, "import", str(synth_tw)], tw_env(tw_work), None), runs, setup=fresh_tw)
    rows.append(Row(f"import synthetic {SYNTH_MEASURES}-measure document", label, imp(synth), other,
                    "task import (same tasks as JSON)" if other else ""))
    _progress(rows[-1])

    # the app
    if not args.no_app:
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
    print(f"  {row.size:>5}  {row.op:<50} {_fmt_s(row.tracker):>10} {_fmt_s(row.other):>10}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- output


HEADER = ("operation", "tasks", "tracker s", "tracker MiB", "other s", "other MiB", "time ×", "mem ×", "other command")


def table_rows(rows: list[Row]) -> list[tuple[str, ...]]:
    out = []
    for r in rows:
        o = r.other
        out.append((
            r.op, r.size, _fmt_s(r.tracker), _fmt_m(r.tracker), _fmt_s(o), _fmt_m(o),
            _ratio(r.tracker.seconds, o.seconds if o else None), _ratio(r.tracker.mib, o.mib if o else None),
            r.other_label,
        ))
    return out


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render_text(rows: list[Row]) -> str:
    body = [HEADER, *table_rows(rows)]
    widths = [max(_width(r[i]) for r in body) for i in range(len(HEADER))]
    lines = []
    for n, r in enumerate(body):
        cells = [c + " " * (w - _width(c)) if i in (0, 8) else " " * (w - _width(c)) + c
                 for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * 6 + ["---"]) + "|"]
    for r in table_rows(rows):
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    return "\n".join(lines)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    tw = ""
    if task_binary():
        tw = ", Taskwarrior " + subprocess.run([task_binary(), "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} cores{mem}; "
            f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}{tw}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=None, help="comma list of task counts (default 1000,10000,100000)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per figure (median shown)")
    parser.add_argument("--quick", action="store_true", help="1k tasks, 1 run, no tmux (a smoke run)")
    parser.add_argument("--out-dir", type=Path, default=BENCH / "out", help="where databases are cached")
    parser.add_argument("--no-taskwarrior", action="store_true")
    parser.add_argument("--no-app", action="store_true", help="skip the app probes")
    parser.add_argument("--no-tmux", action="store_true", help="skip the real-terminal probes")
    parser.add_argument("--dooit", default=None, help="dooit executable (default: on PATH or DOOIT)")
    parser.add_argument("--markdown", type=Path, help="also write the table as markdown to this file")
    parser.add_argument("--json", type=Path, help="also write the raw results as JSON to this file")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.runs, args.no_tmux = args.sizes or "1000", 1, True
    args.sizes = args.sizes or "1000,10000,100000"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    rows: list[Row] = []
    avail: dict[str, bool] = {}
    started = time.time()
    for size in sizes:
        measure_size(size, args, rows, avail)
    if not args.no_tmux:
        measure_dooit(args, rows)
    head = f"{machine()}\nmedians of {args.runs} run(s) after one warm-up; today = {TODAY}; " \
           f"took {time.time() - started:.0f} s"
    print(head)
    print(render_text(rows))
    if args.markdown:
        args.markdown.write_text(head + "\n\n" + render_markdown(rows) + "\n", encoding="utf-8")
    if args.json:
        args.json.write_text(json.dumps([
            dict(op=r.op, size=r.size, tracker=r.tracker.__dict__, other=r.other.__dict__ if r.other else None,
                 other_command=r.other_label) for r in rows
        ], ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path[:0] = [str(BENCH), str(REPO)]
    raise SystemExit(main())
