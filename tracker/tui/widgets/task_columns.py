"""The task table's columns: which fit in a width, and what each cell of a row says."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.segment import Segment
from rich.style import Style

from tracker.config import ROLE_LABELS
from tracker.store.queries import Counts, TaskRow
from tracker.tui.context import AppContext
from tracker.tui.widgets.cells import ago_phrase, fit, late_phrase, task_ref


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int  # 0: takes the remaining space
    priority: int  # columns with a higher number are dropped first when space is short
    align: str = "left"


COLUMNS = (
    Column("mark", "", 1, 0),
    Column("id", "编号", 7, 0),  # the task id the command line and the reports use: "#247"
    Column("doc", "文件", 4, 1),  # "文2": only when tasks come from several documents (the preview names it too)
    Column("code", "条目", 10, 0),  # the measure's code in its document: "三（一）"
    Column("title", "措施", 0, 0),
    Column("unit", "责任单位", 20, 0),
    Column("role", "角色", 4, 2),
    Column("status", "状态", 7, 0),
    Column("due", "截止日期", 10, 2),
    Column("late", "逾期/剩余", 12, 0),  # "逾期 1410 天"
    Column("updated", "更新", 10, 3),
)
MIN_TITLE = 14


def layout_columns(width: int, *, documents: bool = False, max_id: int = 0) -> list[tuple[Column, int]]:
    """Columns that fit in ``width`` cells and their widths (title takes what is left).

    ``documents``: tasks come from several documents, each row names its own (``文N``).
    ``max_id``: the largest task id, so that the 编号 column is as wide as ``#`` and its digits.
    """
    columns = [c for c in COLUMNS if documents or c.key != "doc"]
    if max_id:
        columns = [replace(c, width=max(4, len(str(max_id)) + 1)) if c.key == "id" else c for c in columns]
    while True:
        fixed = sum(c.width for c in columns if c.width) + len(columns) - 1
        title = width - fixed
        if title >= MIN_TITLE or max(c.priority for c in columns) == 0:
            break
        drop = max(columns, key=lambda c: c.priority)
        columns.remove(drop)
    title = max(4, title)
    return [(c, c.width or title) for c in columns]


def row_cells(row: TaskRow, ctx: AppContext, *, marked: bool) -> dict[str, str]:
    today = ctx.today
    status = ctx.config.status_label(row.status)
    if row.status == "blocked":
        status = "!" + status
    return {
        "mark": "✓" if marked else " ",
        "id": task_ref(row.id),
        "doc": f"文{row.document_id}",
        "code": row.measure_code,
        "title": row.measure_title,
        "unit": row.unit,
        "role": ROLE_LABELS.get(row.role, row.role),
        "status": status,
        "due": row.due.isoformat() if row.due else "—",
        "late": late_phrase(row.due, row.status, today),
        "updated": ago_phrase(row.updated_at, today),
    }


def row_segments(columns: list[tuple[Column, int]], cells: dict[str, str], style: Style,
                 cell_styles: dict[str, Style], width: int) -> list[Segment]:
    """One line of the table: each cell fitted to its column (cut with an ellipsis), one space between."""
    segments: list[Segment] = []
    for i, (column, w) in enumerate(columns):
        if i:
            segments.append(Segment(" ", style))
        segments.append(Segment(fit(cells[column.key], w, column.align), cell_styles.get(column.key, style)))
    used = sum(w for _, w in columns) + len(columns) - 1
    if used < width:
        segments.append(Segment(" " * (width - used), style))
    return segments


def describe_counts(counts: Counts) -> str:
    """The header line: ``总数 80 · 已完成 4 · 推进中 8 · 未启动 65 · 受阻 2 · 逾期 17``."""
    return (
        f"总数 {counts.total} · 已完成 {counts.done} · 推进中 {counts.doing} · 未启动 {counts.todo}"
        f" · 受阻 {counts.blocked} · 逾期 {counts.overdue} · 临期 {counts.due_soon}"
    )
