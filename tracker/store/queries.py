"""Read-side queries: plain rows (dataclasses) for the CLI, the app and the reports.

Every function takes an open SQLAlchemy ``Connection`` (see ``engine.read_tx``)
and, where overdue or due-soon matters, ``today`` as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from sqlalchemy import case, exists, func, select
from sqlalchemy.engine import Connection

from tracker.dates import days_late, is_due_soon, is_overdue
from tracker.store.filters import OPEN_STATUSES, TaskFilter, task_base_select, task_count_select
from tracker.store.models import Document, Measure, Target, Task, TaskEvent, Unit


@dataclass(frozen=True)
class TaskRow:
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


TASK_COLUMNS = (
    Task.id,
    Task.measure_id,
    Measure.code,
    Measure.title,
    Measure.chapter_code,
    Measure.chapter,
    Measure.document_id,
    Document.title,
    Task.unit_id,
    Unit.name,
    Unit.kind,
    Task.role,
    Task.status,
    Task.due,
    Measure.due_phrase,
    Task.note,
    Task.updated_at,
    Task.updated_by,
    Task.version,
)

SORTS = ("due", "measure", "unit", "updated", "late")


def _order(sort: str, today: date):
    # within one measure: the lead first, then bureaus, collectives and 街镇 in the order first seen
    within = (Task.role, Unit.kind, Unit.id, Task.id)
    if sort == "measure":
        return (Measure.document_id, Measure.order, *within)
    if sort == "unit":
        return (Unit.name, Measure.document_id, Measure.order, Task.id)
    if sort == "updated":
        return (Task.updated_at.desc(), Task.id)
    if sort == "late":  # overdue first, then by due date
        late = case((Task.status.in_(OPEN_STATUSES) & (Task.due < today), 0), else_=1)
        return (late, Task.due.is_(None), Task.due, Measure.document_id, Measure.order, *within)
    return (Task.due.is_(None), Task.due, Measure.document_id, Measure.order, *within)


def list_tasks(
    conn: Connection,
    flt: TaskFilter,
    today: date,
    *,
    sort: str = "due",
    limit: int | None = None,
    offset: int = 0,
) -> list[TaskRow]:
    stmt = task_base_select(*TASK_COLUMNS).where(*flt.clauses(today)).order_by(*_order(sort, today))
    if limit is not None:
        stmt = stmt.limit(limit).offset(offset)
    return [TaskRow(*row) for row in conn.execute(stmt)]


def get_task(conn: Connection, task_id: int) -> TaskRow | None:
    row = conn.execute(task_base_select(*TASK_COLUMNS).where(Task.id == task_id)).first()
    return TaskRow(*row) if row else None


@dataclass(frozen=True)
class Counts:
    total: int = 0
    todo: int = 0
    doing: int = 0
    blocked: int = 0
    done: int = 0
    dropped: int = 0
    overdue: int = 0
    due_soon: int = 0

    def pct(self, part: int) -> float:
        return 100.0 * part / self.total if self.total else 0.0

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("total", "todo", "doing", "blocked", "done", "dropped", "overdue", "due_soon")}


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
    )


def _counts(row) -> Counts:
    return Counts(*(int(v or 0) for v in row))


def count_tasks(conn: Connection, flt: TaskFilter, today: date, due_soon_days: int = 14) -> Counts:
    stmt = task_count_select(flt, *_count_columns(today, due_soon_days)).where(*flt.clauses(today))
    return _counts(conn.execute(stmt).one())


@dataclass(frozen=True)
class GroupProgress:
    key: str  # unit name, chapter code or measure code
    label: str  # unit kind, chapter title or measure title
    counts: Counts
    extra: dict = field(default_factory=dict)


def progress_by_unit(conn: Connection, flt: TaskFilter, today: date, due_soon_days: int = 14) -> list[GroupProgress]:
    stmt = (
        task_base_select(Unit.name, Unit.kind, *_count_columns(today, due_soon_days))
        .where(*flt.clauses(today))
        .group_by(Unit.id, Unit.name, Unit.kind)
        .order_by(Unit.kind, Unit.name)
    )
    return [GroupProgress(r[0], r[1], _counts(r[2:])) for r in conn.execute(stmt)]


def progress_by_chapter(conn: Connection, flt: TaskFilter, today: date, due_soon_days: int = 14) -> list[GroupProgress]:
    stmt = (
        task_base_select(
            Measure.document_id, Measure.chapter_code, func.min(Measure.chapter), func.min(Measure.order),
            *_count_columns(today, due_soon_days),
        )
        .where(*flt.clauses(today))
        .group_by(Measure.document_id, Measure.chapter_code)
        .order_by(Measure.document_id, func.min(Measure.order))
    )
    return [
        GroupProgress(r[1], r[2], _counts(r[4:]), {"document_id": r[0]}) for r in conn.execute(stmt)
    ]


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


@dataclass(frozen=True)
class MeasureRow:
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


def unassigned_measures(conn: Connection) -> list[MeasureRow]:
    """Measures that are not context and have no task yet (waiting for the coordinator)."""
    stmt = _measure_select().where(
        Measure.is_context.is_(False), ~exists().where(Task.measure_id == Measure.id)
    )
    return [MeasureRow(*r) for r in conn.execute(stmt)]


@dataclass(frozen=True)
class UnitRow:
    id: int
    name: str
    kind: str
    tasks: int
    done: int
    overdue: int

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "kind": self.kind, "tasks": self.tasks, "done": self.done, "overdue": self.overdue}


def list_units(conn: Connection, today: date) -> list[UnitRow]:
    open_ = Task.status.in_(OPEN_STATUSES)
    stmt = (
        select(
            Unit.id, Unit.name, Unit.kind,
            func.count(Task.id),
            func.sum(case((Task.status == "done", 1), else_=0)),
            func.sum(case((open_ & (Task.due < today), 1), else_=0)),
        )
        .select_from(Unit)
        .outerjoin(Task, Task.unit_id == Unit.id)
        .group_by(Unit.id)
        .order_by(Unit.kind, Unit.name)
    )
    return [UnitRow(r[0], r[1], r[2], int(r[3] or 0), int(r[4] or 0), int(r[5] or 0)) for r in conn.execute(stmt)]


@dataclass(frozen=True)
class EventRow:
    id: int
    task_id: int
    at: datetime
    by: str
    field: str
    old: str | None
    new: str | None
    note: str

    def to_json(self) -> dict:
        return {
            "id": self.id, "task_id": self.task_id, "at": self.at.isoformat(), "by": self.by,
            "field": self.field, "old": self.old, "new": self.new, "note": self.note,
        }


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


@dataclass(frozen=True)
class TargetRow:
    id: int
    measure_id: int
    measure_code: str
    document_id: int
    phrase: str
    label: str
    comparator: str
    value: float
    uom: str
    year: int | None
    due: date | None
    actual: float | None
    actual_at: date | None

    @property
    def progress(self) -> float | None:
        """Actual as a share of the target (0..1+), when both are known and the target is positive."""
        if self.actual is None or not self.value:
            return None
        return self.actual / self.value

    def to_json(self) -> dict:
        return {
            "id": self.id, "measure_id": self.measure_id, "measure": self.measure_code, "phrase": self.phrase,
            "label": self.label, "comparator": self.comparator, "value": self.value, "uom": self.uom,
            "year": self.year, "due": self.due.isoformat() if self.due else None, "actual": self.actual,
            "actual_at": self.actual_at.isoformat() if self.actual_at else None,
        }


def list_targets(conn: Connection, *, measure_id: int | None = None, document_id: int | None = None) -> list[TargetRow]:
    stmt = (
        select(
            Target.id, Target.measure_id, Measure.code, Measure.document_id, Target.phrase, Target.label,
            Target.comparator, Target.value, Target.uom, Target.year, Target.due, Target.actual, Target.actual_at,
        )
        .join(Measure, Measure.id == Target.measure_id)
        .order_by(Measure.document_id, Measure.order, Target.id)
    )
    if measure_id is not None:
        stmt = stmt.where(Target.measure_id == measure_id)
    if document_id is not None:
        stmt = stmt.where(Measure.document_id == document_id)
    return [TargetRow(*r) for r in conn.execute(stmt)]


@dataclass(frozen=True)
class DocumentRow:
    id: int
    title: str
    doc_number: str | None
    issuer: str | None
    issued: date | None
    source_path: str
    has_clauses: bool
    measures: int
    tasks: int

    def to_json(self) -> dict:
        return {
            "id": self.id, "title": self.title, "doc_number": self.doc_number, "issuer": self.issuer,
            "issued": self.issued.isoformat() if self.issued else None, "source_path": self.source_path,
            "has_clauses": self.has_clauses, "measures": self.measures, "tasks": self.tasks,
        }


def list_documents(conn: Connection) -> list[DocumentRow]:
    n_measures = (
        select(func.count(Measure.id))
        .where(Measure.document_id == Document.id, Measure.is_context.is_(False))
        .scalar_subquery()
    )
    n_tasks = (
        select(func.count(Task.id))
        .join(Measure, Measure.id == Task.measure_id)
        .where(Measure.document_id == Document.id)
        .scalar_subquery()
    )
    stmt = select(
        Document.id, Document.title, Document.doc_number, Document.issuer, Document.issued, Document.source_path,
        Document.has_clauses, n_measures, n_tasks,
    ).order_by(Document.id)
    return [DocumentRow(*r) for r in conn.execute(stmt)]


@dataclass(frozen=True)
class MatrixCell:
    task_id: int
    role: str
    status: str
    due: date | None


@dataclass(frozen=True)
class Matrix:
    measures: list[tuple[int, str, str]]  # (measure id, code, title)
    units: list[tuple[int, str, str]]  # (unit id, name, kind)
    cells: dict[tuple[int, int], MatrixCell]


def responsibility_matrix(conn: Connection, flt: TaskFilter, today: date) -> Matrix:
    stmt = task_base_select(
        Task.id, Task.role, Task.status, Task.due, Measure.id, Measure.code, Measure.title, Measure.document_id,
        Measure.order, Unit.id, Unit.name, Unit.kind,
    ).where(*flt.clauses(today))
    measures: dict[int, tuple] = {}
    units: dict[int, tuple] = {}
    cells: dict[tuple[int, int], MatrixCell] = {}
    kind_order = {"agency": 0, "group": 1, "company": 2, "town": 3}
    for r in conn.execute(stmt):
        measures[r[4]] = (r[7], r[8], r[4], r[5], r[6])
        units[r[9]] = (kind_order.get(r[11], 9), r[9], r[10], r[11])
        cells[(r[4], r[9])] = MatrixCell(r[0], r[1], r[2], r[3])
    # units ordered by how many measures they serve (the lead bureaus first), towns last
    load: dict[int, int] = {}
    for _m, u in cells:
        load[u] = load.get(u, 0) + 1
    ordered_units = sorted(units.values(), key=lambda u: (u[0], -load[u[1]], u[2]))
    return Matrix(
        measures=[(m[2], m[3], m[4]) for m in sorted(measures.values())],
        units=[(u[1], u[2], u[3]) for u in ordered_units],
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
