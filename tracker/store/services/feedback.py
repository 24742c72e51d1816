"""Applying a batch of task updates returned by units (a filled-in 台账) in one transaction.

Each update is an ordinary task write (status, deadline, note) recorded with history as
made by the unit, and refused if the task moved on since the version the sheet was
exported at. One transaction for the batch: a file is applied whole or not at all. ``db`` is an
``Engine`` or a bare connection (:func:`tracker.store.writes.write_tx`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.dates import utcnow
from tracker.store import writes as w
from tracker.store.services.errors import Change
from tracker.store.services.task_writes import _apply, _check_status


@dataclass(frozen=True)
class TaskUpdate:
    task_id: int
    by: str
    expected_version: int
    status: str | None = None  # None: unchanged
    note: str | None = None  # None: unchanged
    due: date | None | object = ...  # ...: unchanged


def apply_updates(db: Any, updates: Sequence[TaskUpdate]) -> list[Change]:
    """All updates in one write transaction: all applied, or (on any error) none."""
    for update in updates:
        if update.status is not None:
            _check_status(update.status)
    at = utcnow()
    with w.write_tx(db) as conn:
        return [
            _apply(conn, u.task_id, u.by, status=u.status, note=u.note, due=u.due,
                   expected_version=u.expected_version, at=at)
            for u in updates
        ]
