"""Reads of the supervision cycle's own tables in plain SQL, for any connection (bare ``sqlite3``,
``psycopg`` or SQLAlchemy): 延期申请 (pending and per task), 佐证材料 per task, the 待销号 queue.

Like :mod:`tracker.store.sql`, this module imports no database library itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tracker.store.rows import TaskRow
from tracker.store.sql import TASK_COLUMNS, TASK_FROM, _task_row, as_date, as_utc, rows


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass(frozen=True)
class ExtensionRow:
    """One 延期申请 with the task it is about."""

    id: int
    task_id: int
    requested_due: date
    old_due: date | None
    reason: str
    state: str  # pending | approved | rejected
    requested_at: datetime
    requested_by: str
    decided_at: datetime | None
    decided_by: str
    decision_note: str
    unit: str
    measure_code: str
    measure_title: str
    document_id: int
    task_due: date | None  # the deadline in force now
    task_status: str
    task_version: int

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "task_id": self.task_id,
            "unit": self.unit,
            "measure": self.measure_code,
            "measure_title": self.measure_title,
            "document_id": self.document_id,
            "state": self.state,
            "requested_due": _iso(self.requested_due),
            "old_due": _iso(self.old_due),
            "due": _iso(self.task_due),
            "reason": self.reason,
            "requested_at": _iso(self.requested_at),
            "requested_by": self.requested_by,
            "decided_at": _iso(self.decided_at),
            "decided_by": self.decided_by,
            "decision_note": self.decision_note,
            "task_status": self.task_status,
            "task_version": self.task_version,
        }


_EXTENSION_SELECT = (
    "SELECT extension_request.id, extension_request.task_id, extension_request.requested_due, "
    "extension_request.old_due, extension_request.reason, extension_request.state, "
    "extension_request.requested_at, extension_request.requested_by, extension_request.decided_at, "
    "extension_request.decided_by, extension_request.decision_note, unit.name, measure.code, measure.title, "
    "measure.document_id, task.due, task.status, task.version "
    "FROM extension_request JOIN task ON task.id = extension_request.task_id "
    "JOIN unit ON unit.id = task.unit_id JOIN measure ON measure.id = task.measure_id "
    "JOIN document ON document.id = measure.document_id "
)


def _extension_row(r: tuple) -> ExtensionRow:
    return ExtensionRow(
        r[0], r[1], as_date(r[2]), as_date(r[3]), r[4] or "", r[5], as_utc(r[6]), r[7] or "",
        as_utc(r[8]) if r[8] is not None else None, r[9] or "", r[10] or "", r[11], r[12], r[13] or "", r[14],
        as_date(r[15]), r[16], r[17],
    )


def pending_extensions(conn: Any, *, include_archived: bool = False) -> list[ExtensionRow]:
    """Requests awaiting the coordinator's decision, oldest first (archived documents' left out)."""
    sql = _EXTENSION_SELECT + "WHERE extension_request.state = 'pending' "
    if not include_archived:
        sql += "AND document.archived_at IS NULL "
    sql += "ORDER BY extension_request.requested_at, extension_request.id"
    return [_extension_row(r) for r in rows(conn, sql)]


def task_extensions(conn: Any, task_id: int) -> list[ExtensionRow]:
    """Every request made on one task, oldest first."""
    sql = _EXTENSION_SELECT + "WHERE extension_request.task_id = :task_id ORDER BY extension_request.id"
    return [_extension_row(r) for r in rows(conn, sql, {"task_id": task_id})]


@dataclass(frozen=True)
class EvidenceRow:
    """One 佐证材料: a path or URL as given, with its caption and the event it came with."""

    id: int
    task_id: int
    event_id: int | None
    ref: str
    caption: str
    added_at: datetime
    added_by: str
    event_field: str | None  # status, note, extend, verify, evidence …; None once the event is gone

    @property
    def is_url(self) -> bool:
        return "://" in self.ref

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "task_id": self.task_id,
            "event_id": self.event_id,
            "event": self.event_field,
            "ref": self.ref,
            "caption": self.caption,
            "url": self.is_url,
            "added_at": _iso(self.added_at),
            "added_by": self.added_by,
        }


def task_evidence(conn: Any, task_id: int) -> list[EvidenceRow]:
    """The task's evidence in the order it was attached."""
    sql = (
        "SELECT evidence.id, evidence.task_id, evidence.event_id, evidence.ref, evidence.caption, "
        "evidence.added_at, evidence.added_by, taskevent.field "
        "FROM evidence LEFT OUTER JOIN taskevent ON taskevent.id = evidence.event_id "
        "WHERE evidence.task_id = :task_id ORDER BY evidence.id"
    )
    return [
        EvidenceRow(r[0], r[1], r[2], r[3], r[4] or "", as_utc(r[5]), r[6] or "", r[7])
        for r in rows(conn, sql, {"task_id": task_id})
    ]


def evidence_counts(conn: Any, task_ids: list[int]) -> dict[int, int]:
    """How many pieces of evidence each of these tasks has (absent: none)."""
    if not task_ids:
        return {}
    marks = ", ".join(f":t{i}" for i in range(len(task_ids)))
    sql = f"SELECT task_id, COUNT(id) FROM evidence WHERE task_id IN ({marks}) GROUP BY task_id"
    return {r[0]: int(r[1]) for r in rows(conn, sql, {f"t{i}": t for i, t in enumerate(task_ids)})}


@dataclass(frozen=True)
class ReviewRow:
    """A task waiting for 销号: when and by whom it was reported complete."""

    task: TaskRow
    submitted_at: datetime | None  # the status event into review; None if it was set some other way
    submitted_by: str
    evidence: int  # how many pieces of evidence the task has

    def to_json(self, today: date) -> dict:
        return self.task.to_json(today) | {
            "submitted_at": _iso(self.submitted_at),
            "submitted_by": self.submitted_by,
            "evidence": self.evidence,
        }


def review_queue(conn: Any, *, include_archived: bool = False) -> list[ReviewRow]:
    """Tasks in 待销号 (``review``), longest waiting first."""
    sql = (
        f"SELECT {TASK_COLUMNS}, submitted.at, submitted.by, "
        "(SELECT COUNT(evidence.id) FROM evidence WHERE evidence.task_id = task.id) "
        f"FROM {TASK_FROM} "
        "LEFT OUTER JOIN taskevent submitted ON submitted.id = ("
        "SELECT MAX(e.id) FROM taskevent e WHERE e.task_id = task.id AND e.field = 'status' AND e.new = 'review') "
        "WHERE task.status = 'review' "
        + ("" if include_archived else "AND document.archived_at IS NULL ")
        + "ORDER BY submitted.at IS NULL, submitted.at, task.id"
    )
    n = len(TASK_COLUMNS.split(","))
    return [
        ReviewRow(_task_row(r[:n]), as_utc(r[n]) if r[n] is not None else None, r[n + 1] or "", int(r[n + 2]))
        for r in rows(conn, sql)
    ]


@dataclass(frozen=True)
class DocumentCadenceRow:
    """A document's own reporting cadence as stored (``None``: the config's default)."""

    id: int
    title: str
    doc_number: str | None
    kind: str  # document | adhoc
    cadence: str | None
    archived: bool


def document_cadences(conn: Any, *, document_id: int | None = None,
                      include_archived: bool = False) -> list[DocumentCadenceRow]:
    """Documents with their stored cadence, in import order (one when ``document_id`` is given,
    archived or not)."""
    sql = "SELECT id, title, doc_number, kind, cadence, archived_at FROM document "
    params: dict[str, object] = {}
    if document_id is not None:
        sql += "WHERE id = :id "
        params["id"] = document_id
    elif not include_archived:
        sql += "WHERE archived_at IS NULL "
    return [
        DocumentCadenceRow(r[0], r[1], r[2], r[3] or "document", r[4], r[5] is not None)
        for r in rows(conn, sql + "ORDER BY id", params)
    ]
