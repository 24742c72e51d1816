"""Running one benchmarked process: wall time from spawn to exit and peak RSS (``wait4``), medians."""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


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




def task_binary() -> str | None:
    return shutil.which("task")

