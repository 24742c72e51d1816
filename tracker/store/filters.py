"""One filter object shared by the command line, the app and the reports."""

from datetime import date, timedelta
from typing import Any, NamedTuple

from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS
from tracker.dates import day_start

KIND_ALIASES = {label: code for code, label in UNIT_KIND_LABELS.items()} | {c: c for c in UNIT_KIND_LABELS}
OPEN_STATUSES = ("todo", "doing", "blocked")


ACTIVE_TASK = (
    "task.measure_id NOT IN (SELECT am.id FROM measure AS am JOIN document AS ad ON ad.id = am.document_id "
    "WHERE ad.archived_at IS NOT NULL)"
)


class TaskFilter(NamedTuple):
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
    task_ids: tuple[int, ...] = ()
    include_archived: bool = False  # else archived documents' tasks leave lists, counts and reports

    def replace(self, **changes: Any) -> "TaskFilter":
        return self._replace(**changes)

    @property
    def is_empty(self) -> bool:
        return self == TaskFilter()

    @property
    def leaves_archived_out(self) -> bool:
        """Archived documents' tasks are left out: unless asked for, or a document, measure or task is named."""
        return not (self.include_archived or self.document_id is not None or self.measure_id is not None
                    or self.task_ids)

    def where_sql(self, today: date, *, scan_hint: bool = False) -> tuple[str, dict[str, object]]:
        """The filter as one SQL condition over the tables ``task``, ``measure`` and ``unit``.

        Plain SQL with ``:name`` parameters, so the same text serves SQLAlchemy (``text()``) and
        the command line's ``sqlite3`` fast path. Dates are passed as ISO strings (how SQLite
        stores them; other databases cast the literal).
        """
        conds: list[str] = []
        params: dict[str, object] = {}
        # SQLite only: a unary + keeps the planner from driving an ordered listing through the
        # kind/status indexes (random row lookups for tens of thousands of rows, then a sort);
        # scanning ``task`` is 2-5x faster there. Counts keep the indexes (they cover them).
        plus = "+" if scan_hint else ""

        def in_list(column: str, name: str, values: tuple) -> None:
            keys = []
            for i, value in enumerate(values):
                params[f"{name}{i}"] = value
                keys.append(f":{name}{i}")
            conds.append(f"{column} IN ({', '.join(keys)})")

        open_ = f"{plus}task.status IN ('todo', 'doing', 'blocked')"
        if self.task_ids:
            in_list("task.id", "task_id", self.task_ids)
        if self.units:
            in_list("unit.name", "unit", self.units)
        if self.unit_kinds:
            in_list(f"{plus}unit.kind", "kind", self.unit_kinds)
        if self.statuses:
            in_list(f"{plus}task.status", "status", self.statuses)
        if self.document_id is not None:
            conds.append("measure.document_id = :document_id")
            params["document_id"] = self.document_id
        if self.chapter:
            conds.append("measure.chapter_code = :chapter")
            params["chapter"] = self.chapter
        if self.measure:
            conds.append("measure.code = :measure")
            params["measure"] = self.measure
        if self.measure_id is not None:
            conds.append("task.measure_id = :measure_id")
            params["measure_id"] = self.measure_id
        if self.role:
            conds.append("task.role = :role")
            params["role"] = self.role
        if self.overdue:
            conds.append(f"{open_} AND {plus}task.due < :today")
            params["today"] = today.isoformat()
        if self.due_within is not None:
            conds.append(f"{open_} AND task.due >= :today AND task.due <= :due_within_end")
            params["today"] = today.isoformat()
            params["due_within_end"] = (today + timedelta(days=self.due_within)).isoformat()
        if self.stale_days is not None:
            conds.append(f"{open_} AND task.updated_at < :stale_cutoff")
            # local midnight in UTC, with its zone: PostgreSQL reads the instant, and as SQLite's text
            # (``… 16:00:00.000000``) it sorts right against the stored microseconds
            cutoff = day_start(today - timedelta(days=self.stale_days))
            params["stale_cutoff"] = f"{cutoff:%Y-%m-%d %H:%M:%S}+00:00"
        if self.text:
            params["text"] = f"%{_escape_like(self.text.strip())}%"
            like = "LIKE :text ESCAPE '\\'"
            # the measure and unit matches are found once each (a few thousand rows), not once per task
            conds.append(
                f"task.measure_id IN (SELECT m.id FROM measure AS m WHERE m.code {like} OR m.title {like} "
                f"OR m.text {like}) OR task.unit_id IN (SELECT u.id FROM unit AS u WHERE u.name {like}) "
                f"OR task.note {like}"
            )
        if self.leaves_archived_out:
            # uncorrelated, so evaluated once; empty (and cheap) while nothing is archived
            conds.append(ACTIVE_TASK)
        return (" AND ".join(f"({c})" for c in conds) if conds else "1 = 1"), params

    @property
    def needs_measure(self) -> bool:
        """Whether the condition mentions ``measure`` (counts can skip the join otherwise)."""
        return self.document_id is not None or bool(self.chapter or self.measure)

    @property
    def needs_unit(self) -> bool:
        return bool(self.units or self.unit_kinds)

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
