"""Rows the read queries return: named tuples (no database library needed).

Named tuples rather than frozen dataclasses: a command builds every one of these classes when it starts,
and a named tuple costs a fraction of a dataclass to define (and of ``dataclasses``' own import).
They are immutable; ``row._replace(field=value)`` makes a changed copy.
"""

from datetime import date, datetime
from typing import NamedTuple

from tracker.dates import days_late, is_due_soon, is_overdue


class TaskRow(NamedTuple):
    id: int
    measure_id: int
    measure_code: str
    measure_title: str
    chapter_code: str
    chapter: str
    document_id: int
    document_title: str
    unit_id: int
    unit: str
    unit_kind: str
    role: str
    status: str
    due: date | None
    due_phrase: str | None
    note: str
    updated_at: datetime
    updated_by: str
    version: int

    def days_late(self, today: date) -> int | None:
        return days_late(self.due, today)

    def is_overdue(self, today: date) -> bool:
        return is_overdue(self.due, self.status, today)

    def is_due_soon(self, today: date, within_days: int) -> bool:
        return is_due_soon(self.due, self.status, today, within_days)

    def to_json(self, today: date) -> dict:
        return {
            "id": self.id,
            "document_id": self.document_id,
            "document": self.document_title,
            "measure_id": self.measure_id,
            "measure": self.measure_code,
            "measure_title": self.measure_title,
            "chapter": self.chapter_code,
            "unit": self.unit,
            "unit_kind": self.unit_kind,
            "role": self.role,
            "status": self.status,
            "due": self.due.isoformat() if self.due else None,
            "due_phrase": self.due_phrase,
            "overdue": self.is_overdue(today),
            "days_late": self.days_late(today),
            "note": self.note,
            "updated_at": self.updated_at.isoformat(),
            "updated_by": self.updated_by,
            "version": self.version,
        }


class Counts(NamedTuple):
    total: int = 0
    todo: int = 0
    doing: int = 0
    blocked: int = 0
    done: int = 0
    dropped: int = 0
    overdue: int = 0
    due_soon: int = 0
    review: int = 0  # 待销号: last, so positional construction from older column lists still lines up

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(*(mine + theirs for mine, theirs in zip(self, other, strict=True)))

    def pct(self, part: int) -> float:
        return 100.0 * part / self.total if self.total else 0.0

    def to_json(self) -> dict:
        keys = ("total", "todo", "doing", "blocked", "review", "done", "dropped", "overdue", "due_soon")
        return {k: getattr(self, k) for k in keys}


class MeasureRow(NamedTuple):
    id: int
    document_id: int
    document_title: str
    code: str
    chapter_code: str
    chapter: str
    title: str
    text: str
    order: int
    due: date | None
    due_phrase: str | None
    is_context: bool
    task_count: int = 0

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "document_id": self.document_id,
            "document": self.document_title,
            "code": self.code,
            "chapter": self.chapter_code,
            "chapter_title": self.chapter,
            "title": self.title,
            "due": self.due.isoformat() if self.due else None,
            "due_phrase": self.due_phrase,
            "context": self.is_context,
            "tasks": self.task_count,
        }


class UnitRow(NamedTuple):
    id: int
    name: str
    kind: str
    tasks: int
    done: int
    overdue: int

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "tasks": self.tasks, "done": self.done, "overdue": self.overdue}


class DocumentRow(NamedTuple):
    id: int
    title: str
    doc_number: str | None
    issuer: str | None
    issued: date | None
    source_path: str
    has_clauses: bool
    measures: int
    tasks: int
    archived_at: datetime | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "doc_number": self.doc_number, "issuer": self.issuer,
            "issued": self.issued.isoformat() if self.issued else None, "source_path": self.source_path,
            "has_clauses": self.has_clauses, "measures": self.measures, "tasks": self.tasks,
            "archived_at": self.archived_at.isoformat() if self.archived_at else None,
        }
