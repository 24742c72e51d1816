"""Task writes: status, deadline, note, role, undo. Each runs in one write transaction (``BEGIN IMMEDIATE``
on SQLite, the task row locked on PostgreSQL), bumps the task's ``version`` and appends a TaskEvent; a stale
``expected_version`` is refused.

``db`` is a SQLAlchemy ``Engine`` or a :class:`tracker.store.database.DirectDatabase` (the command line's
bare connection): the SQL below runs unchanged on both (see :mod:`tracker.store.writes`). ``_apply`` and
``_event`` also serve the other services, inside their own transaction, on the connection it yields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from tracker.config import STATUS_CODES
from tracker.dates import utcnow
from tracker.store import writes as w
from tracker.store.dbapi import as_date, as_utc
from tracker.store.services.errors import (
    ROLES,
    Change,
    NotFoundError,
    ServiceError,
    StaleWriteError,
)
from tracker.store.services.evidence import attach_evidence, evidence_pairs


class TaskState(NamedTuple):
    """The columns of a task a write looks at, as Python values."""

    id: int
    status: str
    due: date | None
    note: str
    role: str
    version: int
    updated_by: str
    updated_at: datetime | None


_TASK_STATE = "SELECT id, status, due, note, role, version, updated_by, updated_at FROM task WHERE id = :id"


def _load_task(conn: Any, task_id: int) -> TaskState:
    row = w.first(conn, _TASK_STATE + w.for_update(conn), {"id": task_id})
    if row is None:
        raise NotFoundError(f"找不到任务 {task_id}")
    return TaskState(int(row[0]), row[1], as_date(row[2]), row[3] or "", row[4], int(row[5]), row[6] or "",
                     as_utc(row[7]) if row[7] is not None else None)

def _check_version(row: TaskState, expected_version: int | None) -> None:
    if expected_version is not None and row.version != expected_version:
        raise StaleWriteError(row.id, expected_version, row.version, row.updated_by, row.updated_at)

def _event(conn: Any, task_id: int, by: str, at: datetime, field_: str, old, new, note: str = "") -> int:  # noqa: ANN001
    return w.insert(conn, "taskevent", {
        "task_id": task_id, "at": w.stamp(conn, at), "by": by, "field": field_,
        "old": None if old is None else str(old), "new": None if new is None else str(new), "note": note,
    })

def _bump(conn: Any, row: TaskState, by: str, at: datetime, **values: object) -> int:
    """Write ``values`` (status, due, role, note) with the next version, if the row is still at ``row.version``."""
    if "due" in values:
        values["due"] = w.day(conn, values["due"])  # type: ignore[arg-type]
    assignments = "".join(f", {column} = :{column}" for column in values)
    changed = w.execute(
        conn,
        f"UPDATE task SET version = :next, updated_at = :at, updated_by = :by{assignments} "
        "WHERE id = :id AND version = :version",
        {**values, "next": row.version + 1, "at": w.stamp(conn, at), "by": by, "id": row.id,
         "version": row.version},
    )
    if changed != 1:  # cannot happen inside the write transaction, but never overwrite silently
        current = _load_task(conn, row.id)
        raise StaleWriteError(row.id, row.version, current.version, current.updated_by, current.updated_at)
    return row.version + 1

def _apply(
    conn: Any,
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
    report: bool = False,
) -> Change:
    """``report``: a status someone reports (``set``, the status dialog), as opposed to an undo."""
    at = at or utcnow()
    row = _load_task(conn, task_id)
    _check_version(row, expected_version)
    if report and status is not None and report_leaves(row.status, status):
        # decided here, inside the transaction holding the row: a 销号 committed a moment before is never undone
        return Change(task_id, row.version, [])
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
    note_changed = note is not None and bool(note.strip()) and note.strip() != row.note
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

def report_leaves(current: str, stored: str) -> bool:
    """Whether a reported status leaves the task as it is: a completion report (stored as ``review``,
    待销号) never reopens a task already verified (``done``, 销号)."""
    return stored == "review" and current == "done"

def _check_status(status: str) -> None:
    if status not in STATUS_CODES:
        raise ServiceError(f"未知状态 {status!r}（可用：{', '.join(STATUS_CODES)}）")

def set_status(
    db: Any,
    task_id: int,
    status: str,
    *,
    by: str,
    note: str = "",
    due: date | None | object = ...,
    expected_version: int | None = None,
    evidence: Iterable[Any] = (),
) -> Change:
    """Change a task's status (and optionally its due date) with a progress note and evidence
    (``(ref, caption)`` pairs, attached to the status event)."""
    _check_status(status)
    pairs = evidence_pairs(evidence)
    at = utcnow()
    with w.write_tx(db) as conn:
        change = _apply(conn, task_id, by, status=status, note=note, due=due, expected_version=expected_version, at=at,
                        report=True)
        return with_evidence(conn, change, pairs, by=by, at=at)

def set_status_many(
    db: Any,
    task_ids: Sequence[int],
    status: str,
    *,
    by: str,
    note: str = "",
    due: date | None | object = ...,
    expected_versions: dict[int, int] | None = None,
    evidence: Iterable[Any] = (),
) -> list[Change]:
    """Update several tasks in one transaction: all or none. Each task gets its own copy of the evidence."""
    _check_status(status)
    pairs = evidence_pairs(evidence)
    expected_versions = expected_versions or {}
    at = utcnow()
    with w.write_tx(db) as conn:
        return [
            with_evidence(conn, _apply(conn, tid, by, status=status, note=note, due=due,
                                       expected_version=expected_versions.get(tid), at=at, report=True),
                          pairs, by=by, at=at)
            for tid in task_ids
        ]

def set_due(db: Any, task_id: int, due: date | None, *, by: str, note: str = "",
            expected_version: int | None = None) -> Change:
    with w.write_tx(db) as conn:
        return _apply(conn, task_id, by, due=due, expected_version=expected_version, event_note=note)

def add_note(db: Any, task_id: int, text: str, *, by: str, expected_version: int | None = None,
             evidence: Iterable[Any] = ()) -> Change:
    """Record a progress note (the task's latest note; the history keeps them all) with evidence."""
    if not text.strip():
        raise ServiceError("进展说明为空")
    pairs = evidence_pairs(evidence)
    at = utcnow()
    with w.write_tx(db) as conn:
        change = _apply(conn, task_id, by, note=text, expected_version=expected_version, at=at)
        return with_evidence(conn, change, pairs, by=by, at=at)

def with_evidence(conn: Any, change: Change, pairs: Sequence[tuple[str, str]], *, by: str, at: datetime) -> Change:
    """Attach evidence to the first event a write made; when it changed nothing, the evidence is
    recorded on its own (:func:`evidence_events`) rather than lost."""
    if not pairs:
        return change
    if change.event_ids:
        attach_evidence(conn, change.task_id, change.event_ids[0], pairs, by=by, at=at)
        return change
    return evidence_events(conn, _load_task(conn, change.task_id), pairs, by=by, at=at)

def evidence_events(conn: Any, row: TaskState, pairs: Sequence[tuple[str, str]], *, by: str, at: datetime) -> Change:
    """One ``evidence`` event per reference (new = the reference, note = its caption), the version bumped once."""
    version = _bump(conn, row, by, at)
    ids = []
    for ref, caption in pairs:
        event_id = _event(conn, row.id, by, at, "evidence", None, ref, caption)
        attach_evidence(conn, row.id, event_id, [(ref, caption)], by=by, at=at)
        ids.append(event_id)
    return Change(row.id, version, ids)

def set_role(db: Any, task_id: int, role: str, *, by: str, expected_version: int | None = None) -> Change:
    if role not in ROLES:
        raise ServiceError(f"未知角色 {role!r}（lead 或 support）")
    with w.write_tx(db) as conn:
        return _apply(conn, task_id, by, role=role, expected_version=expected_version)

def undo_event(db: Any, event_id: int, *, by: str) -> Change:
    """Revert the change one event recorded, if the task still holds the value it set."""
    with w.write_tx(db) as conn:
        ev = w.first(conn, "SELECT task_id, field, old, new FROM taskevent WHERE id = :id", {"id": event_id})
        if ev is None:
            raise NotFoundError(f"找不到变更记录 {event_id}")
        task_id, field_, old, new = ev
        row = _load_task(conn, task_id)
        current = {
            "status": row.status,
            "due": row.due.isoformat() if row.due else None,
            "role": row.role,
            "note": row.note or None,
        }
        if field_ not in current:
            raise ServiceError(f"变更记录 {event_id}（{field_}）不能撤销")
        if current[field_] != new:
            raise StaleWriteError(row.id, row.version, row.version, row.updated_by, row.updated_at)
        note = f"撤销：{field_} {new} → {old}"
        if field_ == "status":
            return _apply(conn, row.id, by, status=old, event_note=note)
        if field_ == "due":
            return _apply(conn, row.id, by, due=date.fromisoformat(old) if old else None, event_note=note)
        if field_ == "role":
            return _apply(conn, row.id, by, role=old, event_note=note)
        # note: restore the previous text
        at = utcnow()
        version = _bump(conn, row, by, at, note=old or "")
        return Change(row.id, version, [_event(conn, row.id, by, at, "note", new, old, note)])
