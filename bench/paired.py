"""Before/after of one tracker command in paired runs: two source trees, alternating, medians.

    python bench/paired.py --before DIR --db bench/out/tasks-1000000-seed1-v1.db --runs 3 -- export
    python bench/paired.py --before DIR --db … -- list --overdue --unit 区人力资源社会保障局

DIR holds the earlier code (``git archive COMMIT | tar -x -C DIR``); *after* is this repository.
One untimed warm-up, then ``--runs`` pairs, the order swapped every other pair so that a busy
moment of the machine falls on both sides. Each run is its own process: wall time from spawn to
exit and peak RSS (``ru_maxrss`` from ``wait4``); output goes to /dev/null.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TODAY = "2022-11-15"


def run(src: Path, db: Path, args: list[str]) -> tuple[float, float]:
    """(seconds, MiB) of one run of tracker from ``src``."""
    env = dict(os.environ, PYTHONPATH=str(src))
    # -P: the working directory must not shadow the tree on PYTHONPATH
    argv = [sys.executable, "-P", "-c", "import sys; from tracker.cli import main; sys.exit(main())",
            "--db", str(db), "--today", TODAY, "--config", str(src / "config.toml"), *args]
    with open(os.devnull, "wb") as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=tempfile.gettempdir())
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if status:
            err.seek(0)
            raise SystemExit(f"{src}: exit {os.waitstatus_to_exitcode(status)}: {err.read().decode()[-300:]}")
    return seconds, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, required=True, help="source tree of the earlier code")
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3, help="pairs of timed runs")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then tracker's arguments")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    sides = {"before": args.before.resolve(), "after": REPO}
    args.db = args.db.resolve()
    if not args.db.is_file():
        raise SystemExit(f"no database {args.db}")
    run(REPO, args.db, command)  # warm-up: the page cache
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in sides}
    for i in range(args.runs):
        order = list(sides) if i % 2 == 0 else list(reversed(sides))
        for name in order:
            results[name].append(run(sides[name], args.db, command))
    for name, values in results.items():
        print(f"{' '.join(command)}  {name:6}  {statistics.median(v[0] for v in values):8.2f} s "
              f"{statistics.median(v[1] for v in values):7.0f} MiB  runs {[round(v[0], 2) for v in values]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
