"""The supervision cycle's transitions on a task: 延期申请 (request, approve, reject), 销号 (verify or send
back) and 佐证材料 (evidence).

Each runs in one write transaction on an ``Engine`` or a bare connection (:func:`tracker.store.writes.write_tx`),
checks ``expected_version`` like every task write (a stale approval or verification is refused with
:class:`StaleWriteError`), bumps the task's version and appends TaskEvent rows:

- ``extend``: a unit's request (old = the deadline in force, new = the date asked for, note = the reason);
- ``extend_decision``: the coordinator's ruling (new = ``approved`` | ``rejected``); an approval also
  writes a ``due`` event, as any change of deadline does;
- ``verify``: 销号 (old = ``review``, new = ``done`` or the open status the task is sent back to);
- ``evidence``: evidence attached on its own (new = the reference, note = its caption).

``at`` (default: now) records the events at a given moment, for history entered after the fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tracker.config import Config
from tracker.dates import utcnow
from tracker.store import writes as w
from tracker.store.dbapi import as_date
from tracker.store.services.errors import Change, ServiceError
from tracker.store.services.evidence import attach_evidence, evidence_pairs
from tracker.store.services.task_writes import (
    TaskState,
    _bump,
    _check_version,
    _event,
    _load_task,
    evidence_events,
)

OPEN_STATUSES = ("todo", "doing", "blocked")


def completion_status(config: Config, status: str) -> str:
    """The status a unit's "done" is stored as: ``review`` (待销号) while verification is on."""
    return "review" if status == "done" and config.verify_done else status


# --------------------------------------------------------------------------- task rows and events


def _load(conn: Any, task_id: int, expected_version: int | None) -> TaskState:
    task = _load_task(conn, task_id)
    _check_version(task, expected_version)
    return task


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _day_text(value: date | None) -> str:
    return value.isoformat() if value else "未定"


# --------------------------------------------------------------------------- 延期申请


def _pending(conn: Any, task_id: int) -> tuple | None:
    return w.first(
        conn,
        "SELECT id, requested_due FROM extension_request WHERE task_id = :id AND state = 'pending' "
        "ORDER BY id DESC",
        {"id": task_id},
    )


def request_extension(
    db: Any,
    task_id: int,
    new_due: date,
    *,
    reason: str,
    by: str,
    evidence: Iterable[Any] = (),
    expected_version: int | None = None,
    today: date | None = None,
    at: datetime | None = None,
) -> Change:
    """A unit asks to move its deadline to ``new_due``; the task keeps its deadline until decided.

    Refused: an empty reason, a task already closed (待销号, 已完成, 不适用), a request while another is
    pending, a date not later than the deadline in force or (given ``today``) not after today."""
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError("延期申请须说明理由（--reason）")
    pairs = evidence_pairs(evidence)
    at = at or utcnow()
    with w.write_tx(db) as conn:
        task = _load(conn, task_id, expected_version)
        if task.status not in OPEN_STATUSES:
            raise ServiceError(f"任务 {task_id} 已办结或待销号，不能申请延期")
        pending = _pending(conn, task_id)
        if pending is not None:
            raise ServiceError(
                f"任务 {task_id} 已有待审批的延期申请（申请延至 {as_date(pending[1]).isoformat()}），请先审批"
            )
        if today is not None and new_due <= today:
            raise ServiceError(f"申请的截止日期 {new_due.isoformat()} 应晚于今天 {today.isoformat()}")
        if task.due is not None and new_due <= task.due:
            raise ServiceError(
                f"申请的截止日期 {new_due.isoformat()} 应晚于现行截止日期 {task.due.isoformat()}"
            )
        version = _bump(conn, task, by, at)
        event_id = _event(conn, task_id, by, at, "extend", _iso(task.due), new_due.isoformat(), reason)
        w.insert(conn, "extension_request", {
            "task_id": task_id, "requested_due": w.day(conn, new_due), "old_due": w.day(conn, task.due),
            "reason": reason, "state": "pending", "requested_at": w.stamp(conn, at), "requested_by": by,
            "decided_at": None, "decided_by": "", "decision_note": "",
        })
        attach_evidence(conn, task_id, event_id, pairs, by=by, at=at)
        return Change(task_id, version, [event_id])


def decide_extension(
    db: Any,
    task_id: int,
    *,
    approve: bool,
    note: str = "",
    by: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Change:
    """The coordinator approves (the task's deadline becomes the date asked for) or rejects (a note
    is required: the unit needs to know why) the task's pending request."""
    note = (note or "").strip()
    if not approve and not note:
        raise ServiceError("驳回延期申请须写明理由（--note）")
    at = at or utcnow()
    with w.write_tx(db) as conn:
        task = _load(conn, task_id, expected_version)
        pending = _pending(conn, task_id)
        if pending is None:
            raise ServiceError(f"任务 {task_id} 没有待审批的延期申请")
        request_id, requested_due = pending[0], as_date(pending[1])
        decision = "approved" if approve else "rejected"
        w.execute(
            conn,
            "UPDATE extension_request SET state = :state, decided_at = :at, decided_by = :by, "
            "decision_note = :note WHERE id = :id",
            {"state": decision, "at": w.stamp(conn, at), "by": by, "note": note, "id": request_id},
        )
        ids = [_event(conn, task_id, by, at, "extend_decision", "pending", decision, note)]
        if approve and requested_due != task.due:
            version = _bump(conn, task, by, at, due=requested_due)
            ids.append(_event(conn, task_id, by, at, "due", _iso(task.due), _iso(requested_due),
                              note or f"同意延期至 {requested_due.isoformat()}"))
        else:
            version = _bump(conn, task, by, at)
        return Change(task_id, version, ids)


# --------------------------------------------------------------------------- 销号


def _status_before_review(conn: Any, task_id: int) -> str:
    """The open status the task had when it was reported complete; todo when unknown."""
    found = w.scalar(
        conn,
        "SELECT old FROM taskevent WHERE task_id = :id AND field = 'status' AND new = 'review' "
        "ORDER BY id DESC",
        {"id": task_id},
    )
    return found if found in OPEN_STATUSES else "todo"


def verify_task(
    db: Any,
    task_id: int,
    *,
    approve: bool,
    note: str = "",
    by: str,
    evidence: Iterable[Any] = (),
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Change:
    """销号: a task in 待销号 becomes 已完成, or (``approve=False``, with a note saying what is missing)
    goes back to the open status it had before it was reported complete."""
    note = (note or "").strip()
    if not approve and not note:
        raise ServiceError("退回销号须写明理由（--note）")
    pairs = evidence_pairs(evidence)
    at = at or utcnow()
    with w.write_tx(db) as conn:
        task = _load(conn, task_id, expected_version)
        if task.status != "review":
            raise ServiceError(f"任务 {task_id} 不在待销号状态，无需销号")
        status = "done" if approve else _status_before_review(conn, task_id)
        version = _bump(conn, task, by, at, status=status)
        event_id = _event(conn, task_id, by, at, "verify", "review", status, note)
        attach_evidence(conn, task_id, event_id, pairs, by=by, at=at)
        return Change(task_id, version, [event_id])


# --------------------------------------------------------------------------- 佐证材料


def add_evidence(
    db: Any,
    task_id: int,
    refs: Iterable[Any],
    *,
    by: str,
    expected_version: int | None = None,
    at: datetime | None = None,
) -> Change:
    """Attach evidence on its own: one ``evidence`` event per reference (it counts as the unit reporting)."""
    pairs = evidence_pairs(refs)
    if not pairs:
        raise ServiceError("没有给出佐证材料")
    at = at or utcnow()
    with w.write_tx(db) as conn:
        return evidence_events(conn, _load(conn, task_id, expected_version), pairs, by=by, at=at)
