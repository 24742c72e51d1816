"""Reads the app needs beyond the shared query layer."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.engine import Connection

from tracker.store.models import Task


def max_task_id(conn: Connection) -> int:
    """The largest task id (0 with no task): how wide the app's 编号 column must be."""
    return int(conn.execute(select(func.coalesce(func.max(Task.id), 0))).scalar_one())
