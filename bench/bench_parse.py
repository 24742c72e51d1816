"""Time the importer on seed 002: prints the median of several runs, in milliseconds.

Usage: python bench/bench_parse.py [PATH] [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tracker.config import load_config  # noqa: E402
from tracker.ingest import parse_bytes  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(next((REPO / "seeds").glob("002_*.txt"))))
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    config = load_config(REPO / "config.toml")
    data = Path(args.path).read_bytes()
    parse_bytes(data, args.path, config)  # warm up imports and regex caches
    times = []
    for _ in range(max(1, args.runs)):
        start = time.perf_counter()
        doc = parse_bytes(data, args.path, config)
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{Path(args.path).name}: {len(doc.measures)} measures, {doc.task_count} tasks; "
        f"median {statistics.median(times):.2f} ms, min {min(times):.2f} ms, max {max(times):.2f} ms "
        f"over {len(times)} runs"
    )


if __name__ == "__main__":
    main()
