"""The benchmark's table: rows of results against the floor and Taskwarrior, as text or markdown."""

from __future__ import annotations

import os
import platform
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench_measure import Result, task_binary


@dataclass
class Row:
    op: str
    size: str
    tracker: Result
    other: Result | None = None
    other_label: str = ""
    floor: Result | None = None  # the same rows through a bare sqlite3 loop (bench/floor.py)


def _fmt_s(r: Result | None) -> str:
    if r is None:
        return ""
    return f"{r.seconds:.3f}" if r.ok else r.note


def _fmt_m(r: Result | None) -> str:
    return f"{r.mib:.0f}" if r is not None and r.ok else ""


def _ratio(a: float | None, b: float | None) -> str:
    return f"{a / b:.2f}" if a and b else ""


def size_label(size: int) -> str:
    if size >= 1_000_000 and size % 1_000_000 == 0:
        return f"{size // 1_000_000}M"
    return f"{size // 1000}k" if size >= 1000 and size % 1000 == 0 else str(size)


def parse_size(text: str) -> int:
    """``1000``, ``10k``, ``1m`` / ``1M`` → a task count."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)



HEADER = ("operation", "tasks", "tracker s", "tracker MiB", "floor s", "floor MiB", "× floor s", "× floor MiB",
          "other s", "other MiB", "time ×", "mem ×", "other command")
_LEFT = (0, len(HEADER) - 1)


def table_rows(rows: list[Row]) -> list[tuple[str, ...]]:
    out = []
    for r in rows:
        o, f = r.other, r.floor
        out.append((
            r.op, r.size, _fmt_s(r.tracker), _fmt_m(r.tracker), _fmt_s(f), _fmt_m(f),
            _ratio(r.tracker.seconds, f.seconds if f else None), _ratio(r.tracker.mib, f.mib if f else None),
            _fmt_s(o), _fmt_m(o),
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
        cells = [c + " " * (w - _width(c)) if i in _LEFT else " " * (w - _width(c)) + c
                 for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_markdown(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join(["---"] * 2 + ["---:"] * (len(HEADER) - 3) + ["---"]) + "|"]
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

