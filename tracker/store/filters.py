"""One filter object shared by the command line, the app and the reports."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import and_, or_, select
from sqlalchemy.sql.elements import ColumnElement

from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS
from tracker.store.models import Document, Measure, Task, Unit

KIND_ALIASES = {label: code for code, label in UNIT_KIND_LABELS.items()} | {c: c for c in UNIT_KIND_LABELS}
OPEN_STATUSES = ("todo", "doing", "blocked")


@dataclass(frozen=True)
class TaskFilter:
    """Which tasks to show. Empty fields do not filter. Combinable; immutable (use ``replace``)."""

    units: tuple[str, ...] = ()  # exact unit names
    unit_kinds: tuple[str, ...] = ()  # agency | town | group | company
    statuses: tuple[str, ...] = ()  # todo | doing | blocked | done | dropped
    document_id: int | None = None
    chapter: str | None = None  # chapter code, e.g. "三"
    measure: str | None = None  # measure code, e.g. "三（一）"
    measure_id: int | None = None
    role: str | None = None  # lead | support
    overdue: bool = False
    due_within: int | None = None  # open and due within N days (from today)
    stale_days: int | None = None  # no update for N days
    text: str | None = None  # substring of measure code/title/text, unit name or note
    task_ids: tuple[int, ...] = field(default=(), compare=True)

    def replace(self, **changes) -> TaskFilter:
        return replace(self, **changes)

    @property
    def is_empty(self) -> bool:
        return self == TaskFilter()

    def clauses(self, today: date) -> list[ColumnElement[bool]]:
        """SQL conditions over Task joined with Measure and Unit."""
        c: list[ColumnElement[bool]] = []
        if self.task_ids:
            c.append(Task.id.in_(self.task_ids))
        if self.units:
            c.append(Unit.name.in_(self.units))
        if self.unit_kinds:
            c.append(Unit.kind.in_(self.unit_kinds))
        if self.statuses:
            c.append(Task.status.in_(self.statuses))
        if self.document_id is not None:
            c.append(Measure.document_id == self.document_id)
        if self.chapter:
            c.append(Measure.chapter_code == self.chapter)
        if self.measure:
            c.append(Measure.code == self.measure)
        if self.measure_id is not None:
            c.append(Task.measure_id == self.measure_id)
        if self.role:
            c.append(Task.role == self.role)
        if self.overdue:
            c.append(and_(Task.status.in_(OPEN_STATUSES), Task.due < today))
        if self.due_within is not None:
            c.append(
                and_(
                    Task.status.in_(OPEN_STATUSES),
                    Task.due >= today,
                    Task.due <= today + timedelta(days=self.due_within),
                )
            )
        if self.stale_days is not None:
            cutoff = datetime.combine(today - timedelta(days=self.stale_days), time.min, tzinfo=timezone.utc)
            c.append(and_(Task.status.in_(OPEN_STATUSES), Task.updated_at < cutoff))
        if self.text:
            pattern = f"%{_escape_like(self.text.strip())}%"
            c.append(
                or_(
                    Measure.code.like(pattern, escape="\\"),
                    Measure.title.like(pattern, escape="\\"),
                    Measure.text.like(pattern, escape="\\"),
                    Unit.name.like(pattern, escape="\\"),
                    Task.note.like(pattern, escape="\\"),
                )
            )
        return c

    def describe(self, status_labels: dict[str, str] | None = None) -> str:
        """The filter as a Chinese sentence, e.g. ``夏阳街道 · 逾期 · 状态：推进中``."""
        labels = status_labels or {}
        parts: list[str] = []
        if self.units:
            parts.append("单位：" + "、".join(self.units))
        if self.unit_kinds:
            parts.append("类别：" + "、".join(UNIT_KIND_LABELS.get(k, k) for k in self.unit_kinds))
        if self.statuses:
            parts.append("状态：" + "、".join(labels.get(s, s) for s in self.statuses))
        if self.document_id is not None:
            parts.append(f"文件 #{self.document_id}")
        if self.chapter:
            parts.append(f"第{self.chapter}部分")
        if self.measure:
            parts.append(f"措施 {self.measure}")
        if self.measure_id is not None and not self.measure:
            parts.append(f"措施 #{self.measure_id}")
        if self.role:
            parts.append(ROLE_LABELS.get(self.role, self.role))
        if self.overdue:
            parts.append("已逾期")
        if self.due_within is not None:
            parts.append(f"{self.due_within}天内到期")
        if self.stale_days is not None:
            parts.append(f"{self.stale_days}天未更新")
        if self.text:
            parts.append(f"含“{self.text}”")
        if self.task_ids:
            parts.append(f"选定 {len(self.task_ids)} 项")
        return " · ".join(parts) if parts else "全部任务"


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def task_count_select(flt: TaskFilter, *columns):
    """``SELECT columns FROM task`` joined only with what ``flt`` filters on (columns over Task only).

    Foreign keys guarantee every task has its measure, unit and document, so dropping the
    joins a filter does not need never changes the result; it lets SQLite answer counts
    from an index on ``task`` alone.
    """
    stmt = select(*columns).select_from(Task)
    if flt.document_id is not None or flt.chapter or flt.measure or flt.text:
        stmt = stmt.join(Measure, Measure.id == Task.measure_id)
    if flt.units or flt.unit_kinds or flt.text:
        stmt = stmt.join(Unit, Unit.id == Task.unit_id)
    return stmt


def task_base_select(*columns):
    """``SELECT columns FROM task JOIN measure JOIN unit JOIN document``."""
    return (
        select(*columns)
        .select_from(Task)
        .join(Measure, Measure.id == Task.measure_id)
        .join(Unit, Unit.id == Task.unit_id)
        .join(Document, Document.id == Measure.document_id)
    )


