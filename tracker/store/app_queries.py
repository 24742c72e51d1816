"""Reads the app needs beyond the shared query layer."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from tracker.config import STATUS_CODES
from tracker.store import sql
from tracker.store.filters import TaskFilter
from tracker.store.models import Task
from tracker.store.rows import Counts


def max_task_id(conn: Connection) -> int:
    """The largest task id (0 with no task): how wide the app's 编号 column must be."""
    return int(conn.execute(select(func.coalesce(func.max(Task.id), 0))).scalar_one())


def any_archived(conn: Any) -> bool:
    return bool(sql.rows(conn, "SELECT 1 FROM document WHERE archived_at IS NOT NULL LIMIT 1"))


def _index_countable(flt: TaskFilter) -> bool:
    """Whether the filter names only columns of the task indexes (status, due, unit)."""
    rest = flt.replace(statuses=(), overdue=False, due_within=None, units=(), include_archived=False)
    return rest == TaskFilter()


def quick_counts(conn: Any, flt: TaskFilter, today: date, due_soon_days: int = 14) -> Counts:
    """:func:`tracker.store.sql.count_tasks`, but counted from the (status, due) indexes when the filter allows.

    ``count_tasks`` evaluates eight CASE expressions on every task (about a second at a million tasks);
    one ``COUNT`` per status over an index range reads no table row (a tenth of that). Same figures.
    """
    if not _index_countable(flt) or (not flt.include_archived and any_archived(conn)):
        return sql.count_tasks(conn, flt, today, due_soon_days)
    flt = flt.replace(include_archived=True)  # nothing archived: the same tasks, without the subquery
    where, params = flt.where_sql(today)
    params = dict(params, today=today.isoformat(), soon_end=(today + timedelta(days=due_soon_days)).isoformat())
    source = sql.count_from(flt)
    names = [f.name for f in fields(Counts)]
    statuses = [s for s in STATUS_CODES if s in names]

    def count(extra: str) -> str:
        return f"(SELECT COUNT(task.id) FROM {source} WHERE ({where}) AND {extra})"

    parts = {"total": count("1 = 1")}
    for status in statuses:
        parts[status] = count(f"task.status = '{status}'")
    parts["overdue"] = count(f"{sql.OPEN} AND task.due < :today")
    parts["due_soon"] = count(f"{sql.OPEN} AND task.due >= :today AND task.due <= :soon_end")
    found = sql.rows(conn, "SELECT " + ", ".join(parts.values()), params)[0]
    return Counts(**{name: int(value or 0) for name, value in zip(parts, found)})
