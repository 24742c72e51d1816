"""Task writes: status, deadline, note, role, undo. Each runs in one ``BEGIN IMMEDIATE`` transaction,
bumps the task's ``version`` and appends a TaskEvent; a stale ``expected_version`` is refused."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Connection, Engine

from tracker.config import STATUS_CODES
from tracker.dates import utcnow
from tracker.store.engine import write_tx
from tracker.store.models import Task, TaskEvent
from tracker.store.services.errors import (
    ROLES,
    Change,
    NotFoundError,
    ServiceError,
    StaleWriteError,
)

if TYPE_CHECKING:  # the importer is loaded only by the commands that import documents
    pass


def _load_task(conn: Connection, task_id: int):
    row = conn.execute(
        select(Task.id, Task.status, Task.due, Task.note, Task.role, Task.version, Task.updated_by, Task.updated_at)
        .where(Task.id == task_id)
        .with_for_update()  # a row lock on PostgreSQL; SQLite already holds the write lock (BEGIN IMMEDIATE)
    ).first()
    if row is None:
        raise NotFoundError(f"找不到任务 {task_id}")
    return row

def _check_version(row, expected_version: int | None) -> None:
    if expected_version is not None and row.version != expected_version:
        raise StaleWriteError(row.id, expected_version, row.version, row.updated_by, row.updated_at)

def _event(conn: Connection, task_id: int, by: str, at: datetime, field_: str, old, new, note: str = "") -> int:
    result = conn.execute(
        insert(TaskEvent).values(
            task_id=task_id, at=at, by=by, field=field_,
            old=None if old is None else str(old), new=None if new is None else str(new), note=note,
        )
    )
    return int(result.inserted_primary_key[0])

def _bump(conn: Connection, row, by: str, at: datetime, **values) -> int:
    result = conn.execute(
        update(Task)
        .where(Task.id == row.id, Task.version == row.version)
        .values(version=row.version + 1, updated_at=at, updated_by=by, **values)
    )
    if result.rowcount != 1:  # cannot happen inside BEGIN IMMEDIATE, but never overwrite silently
        current = _load_task(conn, row.id)
        raise StaleWriteError(row.id, row.version, current.version, current.updated_by, current.updated_at)
    return row.version + 1

def _apply(
    conn: Connection,
    task_id: int,
    by: str,
    *,
    status: str | None = None,
    due: date | None | object = ...,
    note: str | None = None,
    role: str | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
    event_note: str | None = None,
) -> Change:
    at = at or utcnow()
    row = _load_task(conn, task_id)
    _check_version(row, expected_version)
    values: dict = {}
    events: list[tuple[str, object, object]] = []
    if status is not None and status != row.status:
        values["status"] = status
        events.append(("status", row.status, status))
    if due is not ... and due != row.due:
        values["due"] = due
        events.append(("due", row.due.isoformat() if row.due else None, due.isoformat() if due else None))
    if role is not None and role != row.role:
        values["role"] = role
        events.append(("role", row.role, role))
    note_changed = note is not None and bool(note.strip()) and note.strip() != (row.note or "")
    if note_changed:
        values["note"] = note.strip()
    if not values:
        return Change(task_id, row.version, [])
    version = _bump(conn, row, by, at, **values)
    text = (event_note if event_note is not None else (note or "")).strip()
    ids = [_event(conn, task_id, by, at, f, old, new, text) for f, old, new in events]
    if note_changed:
        # its own event, so the history keeps every note and undo can restore the previous one;
        # when it rides on a status change the note text already stands on that event
        ids.append(_event(conn, task_id, by, at, "note", row.note or None, note.strip(), "" if events else text))
    return Change(task_id, version, ids)

def _check_status(status: str) -> None:
    if status not in STATUS_CODES:
        raise ServiceError(f"未知状态 {status!r}（可用：{', '.join(STATUS_CODES)}）")

def set_status(
    engine: Engine,
    task_id: int,
    status: str,
    *,
    by: str,
    note: str = "",
    due: date | None | object = ...,
    expected_version: int | None = None,
) -> Change:
    """Change a task's status (and optionally its due date) with a progress note."""
    _check_status(status)
    with write_tx(engine) as conn:
        return _apply(conn, task_id, by, status=status, note=note, due=due, expected_version=expected_version)

def set_status_many(
    engine: Engine,
    task_ids: Sequence[int],
    status: str,
    *,
    by: str,
    note: str = "",
    due: date | None | object = ...,
    expected_versions: dict[int, int] | None = None,
) -> list[Change]:
    """Update several tasks in one transaction: all or none."""
    _check_status(status)
    expected_versions = expected_versions or {}
    at = utcnow()
    with write_tx(engine) as conn:
        return [
            _apply(conn, tid, by, status=status, note=note, due=due, expected_version=expected_versions.get(tid), at=at)
            for tid in task_ids
        ]

def set_due(engine: Engine, task_id: int, due: date | None, *, by: str, note: str = "",
            expected_version: int | None = None) -> Change:
    with write_tx(engine) as conn:
        return _apply(conn, task_id, by, due=due, expected_version=expected_version, event_note=note)

def add_note(engine: Engine, task_id: int, text: str, *, by: str, expected_version: int | None = None) -> Change:
    """Record a progress note (the task's latest note; the history keeps them all)."""
    if not text.strip():
        raise ServiceError("进展说明为空")
    with write_tx(engine) as conn:
        return _apply(conn, task_id, by, note=text, expected_version=expected_version)

def set_role(engine: Engine, task_id: int, role: str, *, by: str, expected_version: int | None = None) -> Change:
    if role not in ROLES:
        raise ServiceError(f"未知角色 {role!r}（lead 或 support）")
    with write_tx(engine) as conn:
        return _apply(conn, task_id, by, role=role, expected_version=expected_version)

def undo_event(engine: Engine, event_id: int, *, by: str) -> Change:
    """Revert the change one event recorded, if the task still holds the value it set."""
    with write_tx(engine) as conn:
        ev = conn.execute(
            select(TaskEvent.task_id, TaskEvent.field, TaskEvent.old, TaskEvent.new).where(TaskEvent.id == event_id)
        ).first()
        if ev is None:
            raise NotFoundError(f"找不到变更记录 {event_id}")
        row = _load_task(conn, ev.task_id)
        current = {
            "status": row.status,
            "due": row.due.isoformat() if row.due else None,
            "role": row.role,
            "note": row.note or None,
        }
        if ev.field not in current:
            raise ServiceError(f"变更记录 {event_id}（{ev.field}）不能撤销")
        if current[ev.field] != ev.new:
            raise StaleWriteError(row.id, row.version, row.version, row.updated_by, row.updated_at)
        note = f"撤销：{ev.field} {ev.new} → {ev.old}"
        if ev.field == "status":
            return _apply(conn, row.id, by, status=ev.old, event_note=note)
        if ev.field == "due":
            return _apply(conn, row.id, by, due=date.fromisoformat(ev.old) if ev.old else None, event_note=note)
        if ev.field == "role":
            return _apply(conn, row.id, by, role=ev.old, event_note=note)
        # note: restore the previous text
        at = utcnow()
        version = _bump(conn, row, by, at, note=ev.old or "")
        return Change(row.id, version, [_event(conn, row.id, by, at, "note", ev.new, ev.old, note)])
