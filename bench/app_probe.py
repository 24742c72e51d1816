"""App probes for bench/run.py: time to a filled first screen and to an updated table.

Headless (Textual's Pilot) — a child process runs::

    python bench/app_probe.py pilot --db FILE --today DATE --mode first|filter --t0 EPOCH

and prints JSON: ``first`` = seconds from process spawn (``--t0``, taken by the parent just
before the spawn) until the task table holds rows; ``filter`` = seconds from pressing ``o``
(overdue) until the table shows the overdue rows. The parent reads the child's peak RSS.

In a real terminal (tmux): a detached tmux session on a private socket; the app is started in
its pane and ``tmux capture-pane`` is polled until text that only a filled table shows appears.
Memory is the app process's ``VmHWM`` (peak RSS) at that moment.

The app at large sizes (docs/performance.md, "The app at 1M tasks")::

    python bench/app_probe.py report --db bench/out/tasks-1000000.db --runs 5

runs every mode below ``--runs`` times in fresh child processes (after one warm-up) and prints the
medians as a markdown table. Modes (seconds unless named):
``first`` spawn → filled table; ``minimal`` spawn → a bare Textual app showing 200 rows read through
SQLModel (the floor the first screen is compared with); ``filter`` ``o`` → overdue rows and counts shown;
``end`` End → last row shown, then PageUp ×5, a jump to the middle, PageDown ×5 (medians of each);
``matrix`` / ``dashboard`` key → screen filled (``dashboard_full``: its chapters and targets too, when they
come later), and the process's RSS after going back home (``rss_after``);
``idle`` CPU share of one core over 10 s with nothing to do (the change poll runs);
``block`` the longest stall of the event loop (the UI thread) after the first screen, while the
filter panel, End, the matrix and the dashboard are used.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TIMEOUT = 120.0
SIZE = (160, 50)


# --------------------------------------------------------------------------- parent side


def pilot(db: Path, today: str, mode: str) -> tuple[float, float] | str:
    """(seconds, peak MiB) of one Pilot run, or an error text."""
    from run import run_once  # bench/ is on sys.path when run.py runs

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    try:
        argv = [sys.executable, str(Path(__file__)), "pilot", "--db", str(db), "--today", today, "--mode", mode,
                "--t0", repr(time.time())]
        s = run_once(argv, stdout=out)
        if s.rc != 0:
            return f"exit {s.rc}: {s.err}"
        data = json.loads(out.read_text(encoding="utf-8") or "{}")
    finally:
        out.unlink(missing_ok=True)
    if "error" in data:
        return data["error"]
    return data["first" if mode == "first" else "filter"], s.rss_kib / 1024


def probe(db: Path, today: str, mode: str) -> dict:
    """Every figure one child run of ``mode`` reports, plus its peak MiB (``rss``)."""
    from run import run_once

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    try:
        argv = [sys.executable, str(Path(__file__)), "pilot", "--db", str(db), "--today", today, "--mode", mode,
                "--t0", repr(time.time())]
        s = run_once(argv, stdout=out)
        if s.rc != 0:
            return {"error": f"exit {s.rc}: {s.err}"}
        data = json.loads(out.read_text(encoding="utf-8") or "{}")
    finally:
        out.unlink(missing_ok=True)
    data["rss"] = s.rss_kib / 1024
    return data


REPORT_MODES = ("minimal", "first", "filter", "end", "matrix", "dashboard", "idle", "block")


def report(db: Path, today: str, runs: int, modes: tuple[str, ...]) -> str:
    """Medians of ``runs`` runs (after one warm-up) of each mode, as markdown rows."""
    import statistics

    lines = ["| figure | median | runs |", "|---|---:|---|"]
    for mode in modes:
        probe(db, today, mode)  # warm-up: page cache
        samples: dict[str, list[float]] = {}
        for _ in range(runs):
            data = probe(db, today, mode)
            if "error" in data:
                lines.append(f"| {mode} | n/a ({data['error'][:60]}) | |")
                break
            for key, value in data.items():
                if isinstance(value, (int, float)) and key not in ("rows", "overdue_rows"):
                    samples.setdefault(key, []).append(float(value))
        for key, values in samples.items():
            unit = " MiB" if key in ("rss", "rss_after") else (" %" if key == "cpu_pct" else " s")
            shown = ", ".join(f"{v:.3f}" for v in values)
            lines.append(f"| {mode}: {key} | {statistics.median(values):.3f}{unit} | {shown} |")
            print(lines[-1], file=sys.stderr, flush=True)  # progress (and what a stopped run got so far)
    return "\n".join(lines)


def _tracker_cmd(db: Path, today: str) -> list[str]:
    exe = Path(sys.executable).parent / "tracker"
    head = [str(exe)] if exe.exists() else [sys.executable, "-c", "import sys; from tracker.cli import main; sys.exit(main())"]
    return [*head, "--db", str(db), "--today", today]


# a filled task table: the late column of a row ("逾期 12 天", "剩 3 天", "今天到期" ...)
TRACKER_READY = re.compile(r"逾期\s*\d+\s*(天|…)|剩\s*\d+\s*(天|…)")


def tmux_tracker(db: Path, today: str) -> tuple[float, float] | str:
    return tmux_first_screen(_tracker_cmd(db, today), TRACKER_READY, cwd=REPO)


_dooit_home: Path | None = None


def dooit_binary(explicit: str | None = None) -> str | None:
    for candidate in (explicit, os.environ.get("DOOIT"), shutil.which("dooit")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def tmux_dooit(exe: str) -> tuple[float, float] | str:
    """dooit with its own (empty) data in a private HOME, kept across runs like a returning user's."""
    global _dooit_home
    if _dooit_home is None:
        _dooit_home = Path(tempfile.mkdtemp(prefix="dooit-home-"))
    env = {"HOME": str(_dooit_home), "XDG_DATA_HOME": str(_dooit_home / "data"),
           "XDG_CONFIG_HOME": str(_dooit_home / "config"), "XDG_CACHE_HOME": str(_dooit_home / "cache")}
    return tmux_first_screen([exe], re.compile(r"Welcome to Dooit|NORMAL"), env=env)


_sessions = 0


def tmux_first_screen(argv: list[str], ready: re.Pattern, *, env: dict | None = None,
                      cwd: Path | None = None) -> tuple[float, float] | str:
    """Seconds from starting ``argv`` in a tmux pane until ``ready`` shows, and the app's peak MiB."""
    if shutil.which("tmux") is None:
        return "tmux not installed"
    import shlex

    global _sessions
    _sessions += 1
    sock = f"bench-{os.getpid()}-{_sessions}"  # a fresh server each time: no race with the last one's exit
    tmux = ["tmux", "-L", sock, "-f", os.devnull]
    exports = "".join(f"export {k}={shlex.quote(v)}; " for k, v in (env or {}).items())
    chdir = f"cd {shlex.quote(str(cwd))}; " if cwd else ""
    command = f"{exports}{chdir}exec {shlex.join(argv)}"
    try:
        # the server and the session exist before the clock starts: only the app is timed
        started = subprocess.run([*tmux, "new-session", "-d", "-s", "b", "-x", str(SIZE[0]), "-y", str(SIZE[1]),
                                  "sleep 600"], env=dict(os.environ, TERM="xterm-256color"), capture_output=True, text=True)
        if started.returncode != 0:
            return f"tmux: {started.stderr.strip()}"
        subprocess.run([*tmux, "set-option", "-g", "remain-on-exit", "on"], check=True)
        t0 = time.perf_counter()
        subprocess.run([*tmux, "respawn-pane", "-k", "-t", "b", command], check=True)
        pid = int(subprocess.run([*tmux, "display", "-p", "-t", "b", "#{pane_pid}"], capture_output=True,
                                 text=True, check=True).stdout.strip())
        screen = ""
        while time.perf_counter() - t0 < TIMEOUT:
            screen = subprocess.run([*tmux, "capture-pane", "-p", "-t", "b"], capture_output=True, text=True).stdout
            if ready.search(screen):
                elapsed = time.perf_counter() - t0
                return elapsed, _peak_mib(pid)
            dead = subprocess.run([*tmux, "display", "-p", "-t", "b", "#{pane_dead}"], capture_output=True,
                                  text=True).stdout.strip()
            if dead == "1":
                return "app exited: " + " / ".join(line for line in screen.splitlines() if line.strip())[-90:]
            time.sleep(0.005)
        return f"no first screen after {TIMEOUT:.0f} s"
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)


def _peak_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


# --------------------------------------------------------------------------- child side (Pilot)


async def _until(cond, what: str) -> None:
    deadline = time.perf_counter() + TIMEOUT
    while not cond():
        if time.perf_counter() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.002)


def _find_table(app):
    screen = app.screen
    try:
        return screen.query_one("#tasks")
    except Exception:
        for widget in screen.query("*"):
            if hasattr(widget, "loaded_once") and hasattr(widget, "row_at"):
                return widget
    raise LookupError("no task table on the first screen")


class _LagMonitor:
    """The longest stall of the event loop (the UI thread): a 5 ms sleep that wakes up late."""

    def __init__(self) -> None:
        self.worst = 0.0
        self.phase = ""  # what the probe is doing (named in the result: where the worst stall happened)
        self.worst_phase = ""
        self._task: asyncio.Task | None = None

    async def _run(self) -> None:
        while True:
            t0 = time.perf_counter()
            await asyncio.sleep(0.005)
            stall = time.perf_counter() - t0 - 0.005
            if stall > self.worst:
                self.worst, self.worst_phase = stall, self.phase

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()


def _rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def _minimal(args) -> dict:
    """The floor: a bare Textual app that reads 200 task rows through SQLModel and shows them."""
    from sqlalchemy import text
    from sqlmodel import create_engine
    from textual.app import App
    from textual.widgets import DataTable

    engine = create_engine(f"sqlite:///{args.db}")

    class Minimal(App):
        def compose(self):
            yield DataTable()

        def on_mount(self) -> None:
            with engine.connect() as conn:
                rows = conn.execute(text("SELECT task.id, unit.name, task.status, task.due FROM task "
                                         "JOIN unit ON unit.id = task.unit_id ORDER BY task.id LIMIT 200")).all()
            table = self.query_one(DataTable)
            table.add_columns("编号", "单位", "状态", "截止")
            table.add_rows([tuple(str(v) for v in r) for r in rows])

    app = Minimal()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(DataTable)
        await _until(lambda: table.row_count > 0, "rows")
        await pilot.pause()
        return {"first": time.time() - args.t0}


async def _press_until(pilot, key: str, cond, what: str) -> float:
    t0 = time.perf_counter()
    await pilot.press(key)
    await _until(cond, what)
    await pilot.pause()
    return time.perf_counter() - t0


async def _pilot(args) -> dict:
    from datetime import date
    from statistics import median

    if args.mode == "minimal":
        return await _minimal(args)

    from tracker.config import load_config
    from tracker.store.engine import make_engine
    from tracker.tui.app import create_app
    from tracker.tui.context import AppContext

    config = load_config()
    engine = make_engine(f"sqlite:///{args.db}")
    app = create_app(AppContext(engine, config, date.fromisoformat(args.today), "bench"))
    result: dict = {}
    lag = _LagMonitor()
    async with app.run_test(size=SIZE) as pilot:
        await _until(lambda: app.screen is not None and app.screen.is_current, "the first screen")
        table = None

        def filled() -> bool:
            nonlocal table
            if table is None:
                try:
                    table = _find_table(app)
                except LookupError:
                    return False
            return bool(table.loaded_once and table.total > 0 and table.row_at(0) is not None)

        await _until(filled, "rows in the task table")
        await pilot.pause()  # let the screen paint
        result["first"] = time.time() - args.t0
        result["rows"] = table.total
        if args.mode == "block":
            lag.start()
        if args.mode in ("filter", "block"):
            lag.phase = "filter"
            t1 = time.perf_counter()
            await pilot.press("o")

            def updated() -> bool:
                c = table.counts
                return bool(table.filter.overdue and table.loaded_once and c.total == c.overdue
                            and (c.total == 0 or table.row_at(table.cursor) is not None))

            await _until(updated, "the overdue rows")
            await pilot.pause()
            result["filter"] = time.perf_counter() - t1
            result["overdue_rows"] = table.total
        if args.mode == "block":
            lag.phase = "panel"
            await _panel_options(app, pilot)
            table.focus()  # the keys below go to the table again
            await pilot.pause()
        if args.mode in ("end", "block"):
            lag.phase = "end"
            shown = lambda: table.row_at(table.cursor) is not None
            result["end"] = await _press_until(pilot, "end", lambda: table.cursor == table.total - 1 and shown(),
                                               "the last row")
            ups = [await _press_until(pilot, "pageup", shown, "the page above") for _ in range(5)]
            t1 = time.perf_counter()
            table.move_cursor(table.total // 2)  # a jump with the scroll bar
            await _until(shown, "the middle row")
            await pilot.pause()
            result["middle"] = time.perf_counter() - t1
            downs = [await _press_until(pilot, "pagedown", shown, "the page below") for _ in range(5)]
            result["pageup"], result["pagedown"] = median(ups), median(downs)
        if args.mode in ("matrix", "dashboard", "block"):
            for key, name in (("4", "matrix"), ("5", "dashboard")):
                if args.mode not in (name, "block"):
                    continue
                lag.phase = name
                t1 = time.perf_counter()
                result[name] = await _press_until(pilot, key, lambda name=name: _view_filled(app, name), f"the {name}")
                if name == "dashboard":  # chapters and targets may follow the first figures
                    await _until(lambda: getattr(app.screen.data, "complete", True), "the whole dashboard")
                    await pilot.pause()
                    result["dashboard_full"] = time.perf_counter() - t1
                await pilot.press("1")
                await _until(lambda: app.screen is app.screen_stack[0], "the task list again")
                await pilot.pause()
                if args.mode != "block":  # a full collection is a stall of its own, not the app's
                    import gc

                    gc.collect()
                    result["rss_after"] = _rss_mib()
        if args.mode == "idle":
            await asyncio.sleep(2.0)  # let the first reads and the first poll finish
            c0, t0 = time.process_time(), time.perf_counter()
            await asyncio.sleep(10.0)
            result["cpu_pct"] = 100.0 * (time.process_time() - c0) / (time.perf_counter() - t0)
        if args.mode == "block":
            lag.stop()
            result["worst_stall"] = lag.worst
            result["worst_stall_in"] = lag.worst_phase
    return result


def _view_filled(app, name: str) -> bool:
    screen = app.screen
    if name == "matrix":
        return type(screen).__name__ == "MatrixScreen" and getattr(screen, "loaded", False)
    return type(screen).__name__ == "DashboardScreen" and getattr(screen, "data", None) is not None


async def _panel_options(app, pilot) -> None:
    """Open the document and measure choices of the filter panel, as a user looking for a measure would."""
    from textual.widgets import Select

    await pilot.pause(0.5)  # the options are read in a worker
    for selector in ("#filter-document", "#filter-measure"):
        try:
            select = app.screen.query_one(selector, Select)
        except Exception:
            continue
        select.expanded = True
        await pilot.pause()
        select.expanded = False
        await pilot.pause()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pilot")
    p.add_argument("--db", required=True)
    p.add_argument("--today", required=True)
    p.add_argument("--mode", choices=("first", "filter", *REPORT_MODES), default="first")
    p.add_argument("--t0", type=float, default=None)
    r = sub.add_parser("report", help="medians of every mode, as markdown")
    r.add_argument("--db", required=True, type=Path)
    r.add_argument("--today", default="2022-11-15")
    r.add_argument("--runs", type=int, default=5)
    r.add_argument("--modes", default=",".join(REPORT_MODES))
    args = parser.parse_args(argv)
    if args.cmd == "report":
        sys.path.insert(0, str(BENCH))
        print(report(args.db, args.today, args.runs, tuple(args.modes.split(","))))
        return 0
    if args.t0 is None:
        args.t0 = time.time()
    try:
        result = asyncio.run(_pilot(args))
    except Exception as exc:
        result = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
