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
``matrix`` / ``dashboard`` key → screen filled (``dashboard_shown``: the chapters and targets on screen too, when they
come later; ``dashboard_full``: every chapter counted), and the process's RSS after going back home (``rss_after``);
``idle`` CPU share of one core over 10 s with nothing to do (the change poll runs);
``block`` the longest stall of the event loop (the UI thread) after the first screen, while the
filter panel, End, the matrix and the dashboard are used.

Before and after a change, on a shared machine (alternating runs, medians; ``first`` rounds also run
``minimal``, the floor)::

    git archive COMMIT | tar -x -C /tmp/before
    python bench/app_probe.py paired --db … --before /tmp/before --modes first,block --runs 7

Time with bytecode cached, as an installed package has it (``PYTHONDONTWRITEBYTECODE`` unset).
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


def probe(db: Path, today: str, mode: str, tree: Path = REPO) -> dict:
    """Every figure one child run of ``mode`` reports, plus its peak MiB (``rss``); ``tree``: the source tree
    whose probe (and so whose app) runs."""
    from run import run_once

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = Path(fh.name)
    try:
        argv = [sys.executable, str(tree / "bench" / "app_probe.py"), "pilot", "--db", str(db), "--today", today,
                "--mode", mode, "--t0", repr(time.time())]
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


def paired(db: Path, today: str, runs: int, modes: tuple[str, ...], before: Path) -> str:
    """Medians of ``runs`` alternating runs of each mode on the tree ``before`` and on this one (the order
    reversed every other round, so that a busy moment of a shared machine falls on both), after one warm-up
    each. ``first`` rounds also run the bare app (``minimal``, the floor) and give each side's ratio to it."""
    import statistics

    lines = ["| figure | before | after | runs (before / after) |", "|---|---:|---:|---|"]
    for mode in modes:
        sides = [("before", before, mode), ("after", REPO, mode)]
        if mode == "first":
            sides.insert(0, ("floor", REPO, "minimal"))
        for _name, tree, side_mode in sides:
            probe(db, today, side_mode, tree)  # warm-up: page cache, bytecode
        samples: dict[str, dict[str, list[float]]] = {name: {} for name, _, _ in sides}
        for i in range(runs):
            for name, tree, side_mode in (sides if i % 2 == 0 else sides[::-1]):
                data = probe(db, today, side_mode, tree)
                if "error" in data:
                    raise SystemExit(f"{name} {side_mode}: {data['error']}")
                for key, value in data.items():
                    if isinstance(value, (int, float)) and key not in ("rows", "overdue_rows"):
                        samples[name].setdefault(key, []).append(float(value))

        def median(name: str, key: str, samples: dict = samples) -> float | None:
            values = samples[name].get(key)
            return statistics.median(values) if values else None

        for key in samples["after"]:
            got = [median("before", key), median("after", key)]
            shown = " / ".join(", ".join(f"{x:.3f}" for x in samples[n].get(key, [])) for n in ("before", "after"))
            cells = " | ".join("n/a" if v is None else f"{v:.3f}" for v in got)
            lines.append(f"| {mode}: {key} | {cells} | {shown} |")
        if mode == "first":
            floor = median("floor", "first")
            lines.append(f"| bare app (floor): first | {floor:.3f} | {floor:.3f} | "
                         f"{', '.join(f'{x:.3f}' for x in samples['floor']['first'])} |")
            lines.append("| first ÷ floor | " + " | ".join(f"{median(n, 'first') / floor:.2f}×"
                                                          for n in ("before", "after")) + " | |")
        print("\n".join(lines[-3:]), file=sys.stderr, flush=True)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("pilot")
    p.add_argument("--db", required=True)
    p.add_argument("--today", required=True)
    p.add_argument("--mode", choices=("first", "filter", *REPORT_MODES), default="first")
    p.add_argument("--t0", type=float, default=None)
    p.add_argument("--gc-freeze", action="store_true",
                   help="gc.freeze() once more when the first screen is filled (the app freezes its heap itself "
                        "since 704abf7: with this, also whatever the probe's wait left young)")
    r = sub.add_parser("report", help="medians of every mode, as markdown")
    r.add_argument("--db", required=True, type=Path)
    r.add_argument("--today", default="2022-11-15")
    r.add_argument("--runs", type=int, default=5)
    r.add_argument("--modes", default=",".join(REPORT_MODES))
    c = sub.add_parser("paired", help="before/after: alternating runs on an older tree and this one, medians")
    c.add_argument("--db", required=True, type=Path)
    c.add_argument("--before", required=True, type=Path, help="source tree of the earlier code "
                   "(git archive COMMIT | tar -x -C DIR)")
    c.add_argument("--today", default="2022-11-15")
    c.add_argument("--runs", type=int, default=7)
    c.add_argument("--modes", default="first", help="comma-separated; first also runs the bare app")
    args = parser.parse_args(argv)
    if args.cmd == "report":
        sys.path.insert(0, str(BENCH))
        print(report(args.db, args.today, args.runs, tuple(args.modes.split(","))))
        return 0
    if args.cmd == "paired":
        sys.path.insert(0, str(BENCH))
        print(paired(args.db.resolve(), args.today, args.runs, tuple(args.modes.split(",")), args.before.resolve()))
        return 0
    if args.t0 is None:
        args.t0 = time.time()
    try:
        from app_pilot import run_pilot

        result = asyncio.run(run_pilot(args))
    except Exception as exc:
        result = {"error": f"{type(exc).__name__}: {exc}"}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
