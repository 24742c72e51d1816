"""Rich output for the command line: tables with traffic-light rows, count lines, JSON."""

from __future__ import annotations

import json
import sys
from datetime import date
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracker.labels import late_text  # noqa: F401  (re-exported for the commands)
from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS, Config

NON_TTY_WIDTH = 200


def console(file=None) -> Console:  # noqa: ANN001
    """A console on the *current* stdout. Not a terminal: wide, so scripted text is not cut short."""
    out = file or sys.stdout
    is_tty = bool(getattr(out, "isatty", lambda: False)())
    return Console(
        file=out,
        width=None if is_tty else NON_TTY_WIDTH,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def T(value: Any, style: str = "") -> Text:  # noqa: N802 - short cell constructor
    """A table cell holding plain text (never interpreted as Rich markup)."""
    return Text("" if value is None else str(value), style=style)


def fmt_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def row_style(status: str, overdue: bool, due_soon: bool) -> str:
    if status in ("done", "dropped"):
        return "dim"
    if overdue:
        return "red"
    if due_soon:
        return "yellow"
    return ""


def status_cell(status: str, config: Config) -> Text:
    label = config.status_label(status)
    if status == "blocked":
        return Text(f"{label} !", style="bold magenta")
    if status == "done":
        return Text(label, style="green")
    return Text(label)


def kind_label(kind: str) -> str:
    return UNIT_KIND_LABELS.get(kind, kind)


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def pct(part: int, total: int) -> str:
    return f"{100.0 * part / total:.1f}%" if total else "—"


def tasks_table(rows, today: date, config: Config) -> Table:  # noqa: ANN001
    table = Table(show_edge=False, pad_edge=False, header_style="bold")
    # fixed-width columns keep their width on a narrow terminal; measure, unit and update shrink (…)
    table.add_column("编号", justify="right", no_wrap=True, min_width=4)
    table.add_column("措施", no_wrap=True, overflow="ellipsis", max_width=40, min_width=8)
    table.add_column("单位", no_wrap=True, overflow="ellipsis", max_width=24, min_width=10)
    table.add_column("角色", no_wrap=True, min_width=4)
    table.add_column("状态", no_wrap=True, min_width=6)
    table.add_column("截止", no_wrap=True, min_width=10)
    table.add_column("逾期/剩余", no_wrap=True, min_width=10)
    table.add_column("更新", no_wrap=True, overflow="ellipsis", max_width=24, min_width=5)
    for r in rows:
        overdue = r.is_overdue(today)
        soon = r.is_due_soon(today, config.due_soon_days)
        updated = f"{r.updated_at.date().isoformat()} {r.updated_by}".strip()
        table.add_row(
            T(r.id),
            T(f"{r.measure_code} {r.measure_title}".strip()),
            T(r.unit),
            T(role_label(r.role)),
            status_cell(r.status, config),
            T(fmt_date(r.due)),
            T(late_text(r.due, r.status, today)),
            T(updated),
            style=row_style(r.status, overdue, soon),
        )
    return table


def counts_line(counts, config: Config, shown: int | None = None) -> str:  # noqa: ANN001
    parts = [
        f"总数 {counts.total}",
        f"{config.status_label('done')} {counts.done}",
        f"{config.status_label('doing')} {counts.doing}",
        f"{config.status_label('todo')} {counts.todo}",
        f"{config.status_label('blocked')} {counts.blocked}",
        f"逾期 {counts.overdue}",
    ]
    if counts.dropped:
        parts.insert(5, f"{config.status_label('dropped')} {counts.dropped}")
    line = " · ".join(parts)
    if shown is not None and shown < counts.total:
        line += f"（显示 {shown} 项）"
    return line


def counts_cells(counts) -> list[Text]:  # noqa: ANN001
    return [
        T(counts.total), T(counts.todo), T(counts.doing), T(counts.blocked), T(counts.done),
        T(counts.overdue, "red" if counts.overdue else ""), T(pct(counts.done, counts.total)),
    ]


def add_count_columns(table: Table, config: Config) -> None:
    table.add_column("任务", justify="right")
    for code in ("todo", "doing", "blocked", "done"):
        table.add_column(config.status_label(code), justify="right")
    table.add_column("逾期", justify="right")
    table.add_column("完成率", justify="right")
