"""Read-side queries: plain rows (dataclasses) for the CLI, the app and the reports.

Every function takes an open connection (see ``engine.read_tx``) and, where overdue or
due-soon matters, ``today`` as a parameter. The hot queries (task lists and counts, units,
documents, unassigned measures) live in :mod:`tracker.store.sql` as plain SQL that also runs
on a bare ``sqlite3`` connection; they are re-exported here.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from sqlalchemy import case, func, select
from sqlalchemy.engine import Connection

from tracker.store.filters import OPEN_STATUSES, TaskFilter
from tracker.store.models import Document, Measure, Task, TaskEvent, Unit
from tracker.store.ordering import unit_key
from tracker.store.rows import (
    Counts,
    DocumentRow,
    EventRow,
    GroupProgress,
    Matrix,
    MatrixCell,
    MeasureRow,
    TargetRow,
    TaskRow,
    UnitRow,
)
if TYPE_CHECKING:
    from tracker.config import Config

from tracker.store.progress_sql import progress_by_chapter, progress_by_unit
from tracker.store.targets_sql import list_targets
from tracker.store.sql import (
    SORTS,
    count_by,
    count_tasks,
    document_ids,
    get_task,
    list_documents,
    list_tasks,
    list_units,
    unassigned_measures,
    unit_names,
)

__all__ = [
    "SORTS", "Counts", "DocumentRow", "EventRow", "GroupProgress", "Matrix", "MatrixCell", "MeasureRow",
    "TargetRow", "TaskRow", "UnitRow", "change_token", "count_by", "count_tasks", "document_ids", "find_measures",
    "get_measure", "get_task", "latest_notes", "list_documents", "list_measures", "list_targets", "list_tasks",
    "list_units", "progress_by_chapter", "progress_by_measure", "progress_by_unit", "responsibility_matrix",
    "task_base_select", "task_history", "unassigned_measures", "unit_names",
]


def task_base_select(*columns):
    """``SELECT columns FROM task JOIN measure JOIN unit JOIN document`` (for ``TaskFilter.clauses``)."""
    return (
        select(*columns)
        .select_from(Task)
        .join(Measure, Measure.id == Task.measure_id)
        .join(Unit, Unit.id == Task.unit_id)
        .join(Document, Document.id == Measure.document_id)
    )


@lru_cache(maxsize=16)
def _count_columns(today: date, due_soon_days: int):
    """Built once per (today, window): a summary asks for hundreds of counts."""
    open_ = Task.status.in_(OPEN_STATUSES)
    soon_end = today + timedelta(days=due_soon_days)
    return (
        func.count(Task.id),
        func.sum(case((Task.status == "todo", 1), else_=0)),
        func.sum(case((Task.status == "doing", 1), else_=0)),
        func.sum(case((Task.status == "blocked", 1), else_=0)),
        func.sum(case((Task.status == "done", 1), else_=0)),
        func.sum(case((Task.status == "dropped", 1), else_=0)),
        func.sum(case((open_ & (Task.due < today), 1), else_=0)),
        func.sum(case((open_ & (Task.due >= today) & (Task.due <= soon_end), 1), else_=0)),
        func.sum(case((Task.status == "review", 1), else_=0)),
    )


def _counts(row) -> Counts:
    return Counts(*(int(v or 0) for v in row))


def progress_by_measure(conn: Connection, flt: TaskFilter, today: date, due_soon_days: int = 14) -> list[GroupProgress]:
    stmt = (
        task_base_select(
            Measure.id, Measure.code, Measure.title, Measure.document_id, Measure.chapter_code, Measure.due,
            *_count_columns(today, due_soon_days),
        )
        .where(*flt.clauses(today))
        .group_by(Measure.id)
        .order_by(Measure.document_id, Measure.order)
    )
    return [
        GroupProgress(
            r[1], r[2], _counts(r[6:]),
            {"measure_id": r[0], "document_id": r[3], "chapter": r[4], "due": r[5]},
        )
        for r in conn.execute(stmt)
    ]


def _measure_select():
    n_tasks = select(func.count(Task.id)).where(Task.measure_id == Measure.id).scalar_subquery()
    return (
        select(
            Measure.id, Measure.document_id, Document.title, Measure.code, Measure.chapter_code, Measure.chapter,
            Measure.title, Measure.text, Measure.order, Measure.due, Measure.due_phrase, Measure.is_context, n_tasks,
        )
        .join(Document, Document.id == Measure.document_id)
        .order_by(Measure.document_id, Measure.order)
    )


def list_measures(conn: Connection, document_id: int | None = None, *, include_context: bool = False) -> list[MeasureRow]:
    stmt = _measure_select()
    if document_id is not None:
        stmt = stmt.where(Measure.document_id == document_id)
    if not include_context:
        stmt = stmt.where(Measure.is_context.is_(False))
    return [MeasureRow(*r) for r in conn.execute(stmt)]


def get_measure(conn: Connection, measure_id: int) -> MeasureRow | None:
    row = conn.execute(_measure_select().where(Measure.id == measure_id)).first()
    return MeasureRow(*row) if row else None


def find_measures(conn: Connection, code: str, document_id: int | None = None) -> list[MeasureRow]:
    """Measures by code (``三（一）``) or by id given as ``#12`` / ``12``."""
    stmt = _measure_select()
    key = code.strip().lstrip("#")
    if key.isdigit():
        stmt = stmt.where(Measure.id == int(key))
    else:
        stmt = stmt.where(Measure.code == _normalise_code(key))
        if document_id is not None:
            stmt = stmt.where(Measure.document_id == document_id)
    return [MeasureRow(*r) for r in conn.execute(stmt)]


def _normalise_code(code: str) -> str:
    return code.replace("(", "（").replace(")", "）").replace(" ", "")


def task_history(conn: Connection, task_id: int) -> list[EventRow]:
    stmt = (
        select(TaskEvent.id, TaskEvent.task_id, TaskEvent.at, TaskEvent.by, TaskEvent.field, TaskEvent.old,
               TaskEvent.new, TaskEvent.note)
        .where(TaskEvent.task_id == task_id)
        .order_by(TaskEvent.id)
    )
    return [EventRow(*r) for r in conn.execute(stmt)]


def latest_notes(conn: Connection, task_ids: list[int]) -> dict[int, str]:
    """The latest non-empty note per task (from the task row itself)."""
    if not task_ids:
        return {}
    stmt = select(Task.id, Task.note).where(Task.id.in_(task_ids))
    return {r[0]: r[1] for r in conn.execute(stmt) if r[1]}


def responsibility_matrix(conn: Connection, flt: TaskFilter, today: date, config: Config | None = None) -> Matrix:
    stmt = task_base_select(
        Task.id, Task.role, Task.status, Task.due, Measure.id, Measure.code, Measure.title, Measure.document_id,
        Measure.order, Unit.id, Unit.name, Unit.kind,
    ).where(*flt.clauses(today))
    measures: dict[int, tuple] = {}
    units: dict[int, tuple] = {}
    cells: dict[tuple[int, int], MatrixCell] = {}
    for r in conn.execute(stmt):
        measures[r[4]] = (r[7], r[8], r[4], r[5], r[6])
        units[r[9]] = (r[9], r[10], r[11])
        cells[(r[4], r[9])] = MatrixCell(r[0], r[1], r[2], r[3])
    key = unit_key(config)
    ordered_units = sorted(units.values(), key=lambda u: key(u[1], u[2], u[0]))
    return Matrix(
        measures=[(m[2], m[3], m[4]) for m in sorted(measures.values())],
        units=ordered_units,
        cells=cells,
    )


def change_token(conn: Connection) -> tuple[int, int, int]:
    """Changes whenever anything a screen shows changes (every write appends a TaskEvent or adds rows)."""
    row = conn.execute(
        select(
            select(func.coalesce(func.max(TaskEvent.id), 0)).scalar_subquery(),
            select(func.count(Task.id)).scalar_subquery(),
            select(func.count(Measure.id)).scalar_subquery(),
        )
    ).one()
    return (int(row[0]), int(row[1]), int(row[2]))
