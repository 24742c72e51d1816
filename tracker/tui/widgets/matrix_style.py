"""Status colours and CJK-aware cell fitting shared by the matrix, bars and list screens.

Every table in these screens is laid out in terminal cells (``rich.cells.cell_len``), so a
Chinese character counts two columns and rows never wrap: long text is cut with an ellipsis.
"""

from __future__ import annotations

from datetime import date

from rich.style import Style
from rich.text import Text

from tracker.dates import days_late, is_due_soon, is_overdue
from tracker.tui.widgets.cells import ELLIPSIS, fit, truncate

__all__ = ["ELLIPSIS", "STATE_LABELS", "STATE_STYLES", "due_text", "fit", "fit_text", "legend", "state_style",
           "task_state", "truncate"]

# Traffic-light classes of a task, most urgent first.
STATE_STYLES: dict[str, Style] = {
    "overdue": Style(color="red", bold=True),
    "blocked": Style(color="magenta", bold=True),
    "due_soon": Style(color="yellow", bold=True),
    "doing": Style(color="cyan"),
    "todo": Style(),
    "done": Style(color="green", dim=True),
    "dropped": Style(dim=True, strike=True),
}

STATE_LABELS: dict[str, str] = {
    "overdue": "逾期",
    "blocked": "受阻",
    "due_soon": "将到期",
    "doing": "推进中",
    "todo": "未启动",
    "done": "已完成",
    "dropped": "不适用",
}


def task_state(status: str, due: date | None, today: date, due_soon_days: int) -> str:
    """The colour class of a task: overdue > blocked > due soon > its status."""
    if is_overdue(due, status, today):
        return "overdue"
    if status == "blocked":
        return "blocked"
    if is_due_soon(due, status, today, due_soon_days):
        return "due_soon"
    return status if status in STATE_STYLES else "todo"


def state_style(status: str, due: date | None, today: date, due_soon_days: int) -> Style:
    return STATE_STYLES[task_state(status, due, today, due_soon_days)]


def due_text(due: date | None, status: str, today: date) -> str:
    """``2022-12-31`` with ``逾期 12 天`` / ``剩 3 天`` when open."""
    if due is None:
        return "无期限"
    if status in ("done", "dropped"):
        return due.isoformat()
    late = days_late(due, today) or 0
    if late > 0:
        return f"{due.isoformat()} 逾期{late}天"
    if late == 0:
        return f"{due.isoformat()} 今天到期"
    return f"{due.isoformat()} 剩{-late}天"


def fit_text(text: str, width: int, style: Style | str = "", align: str = "left") -> Text:
    return Text(fit(text, width, align), style=style, no_wrap=True, overflow="crop")


def legend() -> Text:
    """One line explaining the colours."""
    out = Text(no_wrap=True, overflow="ellipsis")
    for state in ("overdue", "due_soon", "blocked", "doing", "todo", "done"):
        out.append("■ ", style=STATE_STYLES[state] if state != "todo" else Style(bold=True))
        out.append(STATE_LABELS[state] + "  ")
    return out
