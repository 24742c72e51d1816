"""The dashboard's reads alone, without the app: seconds per read on one database, medians.

    python bench/dashboard_sql.py --db bench/out/tasks-1000000.db --runs 7
    python bench/dashboard_sql.py --db … --before DIR --runs 7    # DIR: git archive COMMIT | tar -x -C DIR

Each read runs in a child process per tree (``--before`` and this repository), the trees alternating round by
round so that a busy moment of the machine falls on both; within a round every read runs once, on a read-only
connection, after one untimed warm-up. The rows of ``progress_by_chapter`` must be equal on both trees.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TODAY = "2022-11-15"

_CHILD = r"""
import json, sqlite3, sys, time
from datetime import date
from tracker.store import progress_sql as ps
from tracker.store.dashboard_reads import unassigned_count, unit_progress
from tracker.store.filters import TaskFilter

conn = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
today = date.fromisoformat(sys.argv[2])
keys = ps.chapter_keys(conn)
reads = {
    "figures: unit_progress": lambda: unit_progress(conn, today, 14),
    "figures: unassigned_count": lambda: unassigned_count(conn),
    "breakdown: chapter_keys": lambda: ps.chapter_keys(conn),
    "breakdown: progress_of_chapters (first 120)": lambda: ps.progress_of_chapters(conn, keys[:120], today, 14),
    "breakdown: targets": lambda: list(ps.iter_report_targets(conn)),
    "every chapter: progress_by_chapter": lambda: ps.progress_by_chapter(conn, TaskFilter(), today, 14),
}
out = {}
for name, read in reads.items():
    read()  # warm-up: page cache
    t0 = time.perf_counter()
    found = read()
    out[name] = time.perf_counter() - t0
chapters = ps.progress_by_chapter(conn, TaskFilter(), today, 14)
out["rows"] = [[c.extra["document_id"], c.key, c.label, *c.counts] for c in chapters]
print(json.dumps(out))
"""


def child(tree: Path, db: Path, today: str) -> dict:
    done = subprocess.run([sys.executable, "-P", "-c", _CHILD, str(db), today], cwd=tree, capture_output=True,
                          text=True, env={"PYTHONPATH": str(tree), "PATH": ""}, check=False)
    if done.returncode:
        raise SystemExit(f"{tree}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
    return json.loads(done.stdout)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, type=Path)
    parser.add_argument("--before", type=Path, help="source tree of the earlier code")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--today", default=TODAY)
    args = parser.parse_args(argv)
    trees = {"before": args.before.resolve(), "after": REPO} if args.before else {"after": REPO}
    samples: dict[str, dict[str, list[float]]] = {side: {} for side in trees}
    rows: dict[str, list] = {}
    for i in range(args.runs):
        order = list(trees.items()) if i % 2 == 0 else list(reversed(trees.items()))
        for side, tree in order:
            got = child(tree, args.db.resolve(), args.today)
            rows[side] = got.pop("rows")
            for name, seconds in got.items():
                samples[side].setdefault(name, []).append(seconds)
    if args.before and rows["before"] != rows["after"]:
        raise SystemExit("progress_by_chapter differs between the trees")
    sides = list(trees)
    print("| read | " + " | ".join(sides) + f" | runs |\n|---|" + "---:|" * len(sides) + "---|")
    for name in samples["after"]:
        medians = [f"{statistics.median(samples[s][name]):.3f} s" for s in sides]
        shown = " / ".join(", ".join(f"{x:.3f}" for x in samples[s][name]) for s in sides)
        print(f"| {name} | " + " | ".join(medians) + f" | {shown} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
