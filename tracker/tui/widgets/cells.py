"""Cell-width helpers: CJK characters take two terminal cells; never wrap, truncate with an ellipsis."""

from __future__ import annotations

from datetime import date, datetime

from tracker.dates import CLOSED_STATUSES, local_day
from tracker.labels import ELLIPSIS, fit, late_text, truncate

__all__ = ["ELLIPSIS", "ago_phrase", "day_label", "fit", "late_phrase", "task_ref", "truncate"]


def task_ref(task_id: int) -> str:
    """A task as the command line and the reports name it: ``#247``."""
    return f"#{task_id}"


def day_label(today: date, real_today: date | None = None) -> str:
    """The day overdue is measured against: ``今天 2022-11-22``, or ``基准日 2022-11-15`` when set to another day."""
    if today == (real_today or date.today()):
        return f"今天 {today.isoformat()}"
    return f"基准日 {today.isoformat()}"


def late_phrase(due: date | None, status: str, today: date) -> str:
    """``逾期 N 天`` / ``剩 N 天`` / ``今天到期`` / ``—`` (closed) / ``无期限`` (open, no deadline)."""
    if due is None and status not in CLOSED_STATUSES:
        return "无期限"
    return late_text(due, status, today)


def ago_phrase(when: datetime | None, today: date) -> str:
    """How long ago, in days relative to the app's "today": ``今天``, ``3天前``, or the date."""
    if when is None:
        return ""
    day = local_day(when)
    days = (today - day).days
    if days < 0:  # after "today" (a "today" set in the past): the plain date, never "今天"
        return day.isoformat()
    if days == 0:
        return "今天"
    if days == 1:
        return "昨天"
    if days < 100:
        return f"{days}天前"
    return day.isoformat()
