"""SQLModel tables. Datetimes are timezone-aware UTC; due dates are plain dates."""

from __future__ import annotations

from datetime import date, datetime, timezone

from sqlalchemy import Column, DateTime, Index, UniqueConstraint
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel

from tracker.dates import utcnow


class UTCDateTime(TypeDecorator):
    """Stores UTC, always returns aware UTC datetimes (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; tracker stores aware UTC datetimes only")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, str):  # raw SQL paths
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


def _ts(**kw):
    return Field(default_factory=utcnow, sa_column=Column(UTCDateTime(), nullable=False, **kw))


class Document(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title: str
    doc_number: str | None = None
    issuer: str | None = None
    issued: date | None = None
    source_path: str = ""
    content_hash: str = Field(index=True)
    has_clauses: bool = False
    imported_at: datetime = _ts()
    # set when archived: the document leaves lists and reports, its tasks and history stay
    archived_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    # reporting cadence ("monthly:25", "weekly:5", "quarterly:25", "none"); None: the config's default
    cadence: str | None = None
    # "document" (imported) or "adhoc": the standing 督办事项 document that hand-entered items go into
    kind: str = "document"


class Measure(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("document_id", "code", name="uq_measure_doc_code"),)

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, ondelete="CASCADE")
    code: str
    chapter_code: str = Field(default="", index=True)
    chapter: str = ""
    title: str = ""
    text: str = ""
    order: int = 0
    line: int = 0
    due: date | None = None
    due_phrase: str | None = None
    is_context: bool = False
    source: str = ""  # where a hand-entered item comes from: "区长批示 2022-11-10", "常务会议议定事项"


class Unit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True)
    kind: str = Field(default="agency", index=True)


class Task(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("measure_id", "unit_id", name="uq_task_measure_unit"),
        # covers per-unit counts and "unit X, overdue" lists without touching the table rows
        Index("ix_task_unit_status_due", "unit_id", "status", "due"),
        # the same per measure: per-chapter and per-document counts read this index alone; it also
        # serves foreign-key lookups by measure (it replaced a single-column index on measure_id)
        Index("ix_task_measure_status_due", "measure_id", "status", "due"),
        Index("ix_task_status_due", "status", "due"),
        Index("ix_task_due", "due"),
        Index("ix_task_updated_at", "updated_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="measure.id", ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id")
    role: str = "support"  # lead | support
    status: str = "todo"  # todo | doing | blocked | review | done | dropped
    due: date | None = None
    note: str = ""
    created_at: datetime = _ts()
    updated_at: datetime = _ts()
    updated_by: str = ""
    version: int = 1


class TaskEvent(SQLModel, table=True):
    """Append-only history of a task."""

    # the period queries (who reported when) read events by time
    __table_args__ = (Index("ix_taskevent_at", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    at: datetime = _ts()
    by: str = ""
    # status | due | note | role | assign | unassign | import | extend | extend_decision | verify | evidence
    field: str
    old: str | None = None
    new: str | None = None
    note: str = ""


class Target(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    measure_id: int = Field(foreign_key="measure.id", index=True, ondelete="CASCADE")
    phrase: str
    label: str = ""
    comparator: str = ">="
    value: float = 0.0
    uom: str = ""
    year: int | None = None
    due: date | None = None
    actual: float | None = None
    actual_at: date | None = None


class TargetActual(SQLModel, table=True):
    """Every figure reported against a target; the one with the latest ``as_of`` is current (a back-dated
    figure joins the history without replacing a newer one). ``Target.actual``/``actual_at`` cache it."""

    __tablename__ = "target_actual"
    __table_args__ = (Index("ix_target_actual_target_as_of", "target_id", "as_of"),)

    id: int | None = Field(default=None, primary_key=True)
    target_id: int = Field(foreign_key="target.id", ondelete="CASCADE")
    value: float | None = None  # None: the figure was withdrawn
    as_of: date
    recorded_at: datetime = _ts()
    recorded_by: str = ""


class ExtensionRequest(SQLModel, table=True):
    """延期申请: a unit asks for a new deadline; the task keeps its deadline until the coordinator
    approves (the task's ``due`` then moves) or rejects."""

    __tablename__ = "extension_request"
    __table_args__ = (Index("ix_extension_request_state", "state", "task_id"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    requested_due: date
    old_due: date | None = None  # the deadline in force when asked
    reason: str = ""
    state: str = "pending"  # pending | approved | rejected
    requested_at: datetime = _ts()
    requested_by: str = ""
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))
    decided_by: str = ""
    decision_note: str = ""


class Evidence(SQLModel, table=True):
    """佐证材料: a file path or URL with a caption, attached to one event of a task. tracker keeps the
    reference as given and never copies the file."""

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    event_id: int | None = Field(default=None, foreign_key="taskevent.id", ondelete="SET NULL")
    ref: str
    caption: str = ""
    added_at: datetime = _ts()
    added_by: str = ""
