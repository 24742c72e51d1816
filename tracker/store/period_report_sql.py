"""本期进展: what changed in one reporting period, for the period report (plain SQL, any connection).

A task's status at a past moment T is the ``old`` of its first status-changing event (``status`` or
``verify``) at or after T, else its current status; tasks created after T did not exist yet. The
queries find "first event after T" set-based, from the ``taskevent.at`` index, so a recent period
reads only the few events since it began.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tracker.cycle import Period
from tracker.dates import day_start
from tracker.store.filters import OPEN_STATUSES, TaskFilter
from tracker.store.ordering import unit_key
from tracker.store.periods_sql import (
    OPEN_SQL,
    REPORT_FIELDS,
    REPORT_FIELDS_SQL,
    STATUS_FIELDS_SQL,
    PendingExtension,
    document_cadence,
    in_list,
    pending_extension_requests,
    period_bounds,
    task_row,
)
from tracker.store.rows import TaskRow
from tracker.store.sql import TASK_COLUMNS, TASK_FROM, as_date, as_utc, is_sqlite, rows

if TYPE_CHECKING:
    from tracker.config import Config

COMPLETE = ("review", "done")  # the unit reported completion (待销号) or the coordinator verified it (已销号)


@dataclass(frozen=True)
class StatusChange:
    task: TaskRow
    at: datetime
    by: str
    old: str | None  # the status before (for a completion: the status at the period's start)
    new: str
    note: str


@dataclass(frozen=True)
class DeadlineMove:
    task: TaskRow
    at: datetime
    by: str
    old: date | None
    new: date | None
    note: str
    approved_extension: bool  # moved by approving a 延期申请
    reason: str  # the request's reason, when it was one


@dataclass(frozen=True)
class PeriodNote:
    task_id: int
    at: datetime
    by: str
    text: str


@dataclass(frozen=True)
class UnitReporting:
    """A unit that had tasks to report on in the period and left some unreported."""

    unit_id: int
    unit: str
    kind: str
    tasks: int  # its tasks open in the period (documents with a cadence)
    reported: int  # how many of them it reported on

    @property
    def silent(self) -> bool:
        return self.reported == 0


@dataclass(frozen=True)
class Completion:
    """完成率 of a unit or chapter at the period's end against the previous period's end (its start)."""

    key: str  # unit name or chapter code
    label: str  # unit kind or chapter title
    total: int
    done: int
    review: int
    before_total: int
    before_done: int
    document_id: int | None = None  # chapters: their document
    unit_id: int | None = None  # units

    @property
    def rate(self) -> float | None:
        return 100.0 * self.done / self.total if self.total else None

    @property
    def before_rate(self) -> float | None:
        return 100.0 * self.before_done / self.before_total if self.before_total else None

    @property
    def change(self) -> float | None:
        """Percentage points since the previous period's end (from 0 when there were no tasks yet)."""
        if self.rate is None:
            return None
        return self.rate - (self.before_rate or 0.0)


@dataclass
class PeriodReport:
    period: Period
    today: date
    completed: list[StatusChange] = field(default_factory=list)
    started: list[StatusChange] = field(default_factory=list)
    newly_overdue: list[TaskRow] = field(default_factory=list)
    blocked: list[TaskRow] = field(default_factory=list)
    deadlines_moved: list[DeadlineMove] = field(default_factory=list)
    notes: dict[int, list[PeriodNote]] = field(default_factory=dict)  # task id → its notes in the period
    silent_units: list[UnitReporting] = field(default_factory=list)
    by_unit: list[Completion] = field(default_factory=list)
    by_chapter: list[Completion] = field(default_factory=list)
    pending_extensions: list[PendingExtension] = field(default_factory=list)
    tasks: dict[int, TaskRow] = field(default_factory=dict)  # every task named above, by id


def _later(name: str, bound: str) -> str:
    """A CTE: each task's first status-changing event at or after ``:bound`` (row ``n = 1``)."""
    return (
        f"{name} AS (SELECT e.task_id, e.old, ROW_NUMBER() OVER (PARTITION BY e.task_id ORDER BY e.at, e.id) AS n "
        f"FROM taskevent AS e WHERE e.at >= :{bound} AND e.field IN {STATUS_FIELDS_SQL})"
    )


def period_report(conn: Any, period: Period, today: date, config: Config, flt: TaskFilter | None = None) -> PeriodReport:
    """What changed in ``period`` among the tasks ``flt`` selects (see the module's definitions)."""
    flt = flt or TaskFilter()
    where, params = flt.where_sql(today)
    params = {**params, **period_bounds(conn, period)}
    report = PeriodReport(period, today)
    _changes(conn, report, where, params)
    _deadlines(conn, report, where, params)
    _newly_overdue(conn, report, where, params, period, today)
    blocked_sql = (
        f"WITH {_later('after_end', 'hi')} SELECT {TASK_COLUMNS} FROM {TASK_FROM} "
        "LEFT JOIN after_end ON after_end.task_id = task.id AND after_end.n = 1 "
        f"WHERE ({where}) AND task.created_at < :hi AND COALESCE(after_end.old, task.status) = 'blocked' "
        "ORDER BY measure.document_id, measure.\"order\", task.id"
    )
    report.blocked = [task_row(r) for r in rows(conn, blocked_sql, params)]
    moved = _moved(conn, flt, where, params)
    report.silent_units = _reporting(conn, flt, where, params, config, moved)
    report.by_unit, report.by_chapter = _completion(conn, flt, where, params, config, moved)
    report.pending_extensions = pending_extension_requests(conn, flt, today)
    for group in (report.newly_overdue, report.blocked, [c.task for c in report.completed + report.started],
                  [m.task for m in report.deadlines_moved]):
        report.tasks.update((t.id, t) for t in group)
    return report


def _changes(conn: Any, report: PeriodReport, where: str, params: dict) -> None:
    """Completions, starts and notes: from the period's events of the selected tasks."""
    fields = tuple(dict.fromkeys(REPORT_FIELDS + ("verify",)))
    fields_sql, field_params = in_list("cfield", fields)
    sql = (
        f"SELECT {TASK_COLUMNS}, e.at, e.id, e.by, e.field, e.old, e.new, e.note "
        f"FROM {TASK_FROM} JOIN taskevent AS e ON e.task_id = task.id "
        f"WHERE ({where}) AND e.at >= :lo AND e.at < :hi AND e.field IN {fields_sql} ORDER BY e.at, e.id"
    )
    statuses: dict[int, list[tuple]] = {}
    seen_notes: set[tuple] = set()
    for r in rows(conn, sql, {**params, **field_params}):
        task = task_row(r)
        report.tasks.setdefault(task.id, task)
        at, by, field_, old, new, note = as_utc(r[19]), r[21] or "", r[22], r[23], r[24], (r[25] or "").strip()
        if field_ in ("status", "verify"):
            statuses.setdefault(task.id, []).append((at, by, old, new, note))
        if field_ == "verify":
            continue  # the coordinator's note, not the unit's progress
        text = (new or "").strip() if field_ == "note" and not note else note
        if text and (task.id, at, text) not in seen_notes:
            seen_notes.add((task.id, at, text))
            report.notes.setdefault(task.id, []).append(PeriodNote(task.id, at, by, text))
    for task_id, events in statuses.items():
        task = report.tasks[task_id]
        first_old, last_new = events[0][2], events[-1][3]
        if last_new in COMPLETE and first_old not in COMPLETE:
            # the unit's completion, not the later verification
            at, by, _old, new, note = next(e for e in reversed(events) if e[3] in COMPLETE and e[2] not in COMPLETE)
            report.completed.append(StatusChange(task, at, by, first_old, last_new, note))
        start = next((e for e in events if e[2] == "todo" and e[3] == "doing"), None)
        if start is not None:
            report.started.append(StatusChange(task, start[0], start[1], "todo", "doing", start[4]))


def _deadlines(conn: Any, report: PeriodReport, where: str, params: dict) -> None:
    # an approval writes its extend_decision and due events at the same moment
    sql = (
        f"SELECT {TASK_COLUMNS}, e.at, e.by, e.old, e.new, e.note, "
        "CASE WHEN EXISTS (SELECT 1 FROM taskevent AS d WHERE d.task_id = e.task_id "
        "AND d.field = 'extend_decision' AND d.new = 'approved' AND d.at = e.at) THEN 1 ELSE 0 END, "
        "(SELECT x.note FROM taskevent AS x WHERE x.task_id = e.task_id AND x.field = 'extend' AND x.at <= e.at "
        "ORDER BY x.at DESC, x.id DESC LIMIT 1) "
        f"FROM {TASK_FROM} JOIN taskevent AS e ON e.task_id = task.id "
        f"WHERE ({where}) AND e.field = 'due' AND e.at >= :lo AND e.at < :hi ORDER BY e.at, e.id"
    )
    for r in rows(conn, sql, params):
        approved = bool(r[24])
        report.deadlines_moved.append(DeadlineMove(
            task_row(r), as_utc(r[19]), r[20] or "", as_date(r[21]), as_date(r[22]), (r[23] or "").strip(),
            approved, (r[25] or "").strip() if approved else "",
        ))


def _newly_overdue(conn: Any, report: PeriodReport, where: str, params: dict, period: Period, today: date) -> None:
    """Tasks whose deadline (the one in force now) fell in the period, while they were still open then."""
    last = min(period.end, today - timedelta(days=1))
    if last < period.start:
        return
    span = {"due_from": period.start.isoformat(), "due_to": last.isoformat()}
    candidates = [task_row(r) for r in rows(conn, (
        f"SELECT {TASK_COLUMNS} FROM {TASK_FROM} WHERE ({where}) AND task.due >= :due_from AND task.due <= :due_to "
        "AND task.created_at < :hi ORDER BY task.due, measure.document_id, measure.\"order\", task.id"
    ), {**params, **span})]
    if not candidates:
        return
    later: dict[int, list[tuple[datetime, str]]] = {}
    for task_id, at, old in rows(conn, (
        "SELECT e.task_id, e.at, e.old FROM taskevent AS e JOIN task ON task.id = e.task_id "
        f"WHERE e.at >= :lo AND e.field IN {STATUS_FIELDS_SQL} AND task.due >= :due_from AND task.due <= :due_to "
        "ORDER BY e.at, e.id"
    ), {"lo": params["lo"], **span}):
        later.setdefault(int(task_id), []).append((as_utc(at), old))
    for task in candidates:
        assert task.due is not None
        late_from = day_start(task.due + timedelta(days=1))  # the local day after the deadline
        status = next((old for at, old in later.get(task.id, ()) if at >= late_from), task.status)
        if status in OPEN_STATUSES:
            report.newly_overdue.append(task)


@dataclass(frozen=True)
class _Moved:
    """A task whose status changed at or after the period's start: where the current counts are wrong."""

    unit_id: int
    document_id: int
    chapter: str
    status: str  # now
    at_start: str  # status at the period's start
    at_end: str  # status at the period's end
    before: bool  # existed at the period's start
    reported: bool  # reported in the period


def _moved(conn: Any, flt: TaskFilter, where: str, params: dict) -> list[_Moved]:
    joins = " JOIN unit ON unit.id = task.unit_id" if flt.needs_unit else ""
    sql = (
        f"WITH {_later('after_start', 'lo')}, {_later('after_end', 'hi')} "
        "SELECT task.unit_id, measure.document_id, measure.chapter_code, task.status, after_start.old, "
        "after_end.old, CASE WHEN task.created_at < :lo THEN 1 ELSE 0 END, CASE WHEN task.id IN "
        "(SELECT pe.task_id FROM taskevent AS pe WHERE pe.at >= :lo AND pe.at < :hi "
        f"AND pe.field IN {REPORT_FIELDS_SQL}) THEN 1 ELSE 0 END "
        "FROM after_start JOIN task ON task.id = after_start.task_id JOIN measure ON measure.id = task.measure_id"
        f"{joins} LEFT JOIN after_end ON after_end.task_id = task.id AND after_end.n = 1 "
        f"WHERE after_start.n = 1 AND ({where}) AND task.created_at < :hi"
    )
    return [_Moved(int(r[0]), int(r[1]), r[2] or "", r[3], r[4] or r[3], r[5] or r[3], bool(r[6]), bool(r[7]))
            for r in rows(conn, sql, params)]


def _from(flt: TaskFilter, measure: bool = False) -> str:
    """``task`` joined only with what is needed: scanning ``task`` itself, not driving it from ``unit``."""
    sql = "task"
    if measure or flt.needs_measure:
        sql += " JOIN measure ON measure.id = task.measure_id"
    if flt.needs_unit:
        sql += " JOIN unit ON unit.id = task.unit_id"
    return sql


def _unit_group(conn: Any) -> str:
    """The unit column to group by. On SQLite ``+task.unit_id``: grouped by scanning ``task``, not in the
    order of the unit index (a random row read per task, two to three times slower)."""
    return "+task.unit_id" if is_sqlite(conn) else "task.unit_id"


def _unit_names(conn: Any) -> dict[int, tuple[str, str]]:
    return {int(r[0]): (r[1], r[2]) for r in rows(conn, "SELECT id, name, kind FROM unit")}


def _reporting(conn: Any, flt: TaskFilter, where: str, params: dict, config: Config,
               moved: list[_Moved]) -> list[UnitReporting]:
    """Units with tasks open in the period (documents with a cadence) that left some unreported: counted
    on the current statuses, then corrected for the tasks whose status moved since the period began."""
    docs = [d for d, c in document_cadence(conn, config).items() if c.kind != "none"]
    docs_sql, doc_params = in_list("sdoc", docs)
    unit = _unit_group(conn)
    sql = (
        f"SELECT {unit}, COUNT(task.id), SUM(CASE WHEN task.id IN "
        "(SELECT pe.task_id FROM taskevent AS pe WHERE pe.at >= :lo AND pe.at < :hi "
        f"AND pe.field IN {REPORT_FIELDS_SQL}) THEN 1 ELSE 0 END) "
        f"FROM {_from(flt)} WHERE ({where}) AND task.created_at < :hi AND task.measure_id IN "
        f"(SELECT dm.id FROM measure AS dm WHERE dm.document_id IN {docs_sql}) AND task.status IN {OPEN_SQL} "
        f"GROUP BY {unit}"
    )
    counts: dict[int, list[int]] = {int(r[0]): [int(r[1]), int(r[2] or 0)] for r in rows(conn, sql, {**params, **doc_params})}
    with_cadence = set(docs)
    for m in moved:
        if m.document_id not in with_cadence:
            continue
        delta = (m.at_start in OPEN_STATUSES) - (m.status in OPEN_STATUSES)
        if delta:
            entry = counts.setdefault(m.unit_id, [0, 0])
            entry[0] += delta
            entry[1] += delta * m.reported
    names = _unit_names(conn)
    found = [UnitReporting(uid, *names[uid], tasks, reported) for uid, (tasks, reported) in counts.items()
             if reported < tasks and uid in names]
    key = unit_key(config)
    found.sort(key=lambda u: (u.reported > 0, u.reported - u.tasks, key(u.unit, u.kind, u.unit_id)))
    return found


_FIGURES = (
    "COUNT(task.id), SUM(CASE WHEN task.status = 'done' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN task.status = 'review' THEN 1 ELSE 0 END), SUM(CASE WHEN task.created_at < :lo THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN task.created_at < :lo AND task.status = 'done' THEN 1 ELSE 0 END)"
)


def _completion(conn: Any, flt: TaskFilter, where: str, params: dict, config: Config,
                moved: list[_Moved]) -> tuple[list[Completion], list[Completion]]:
    """Per unit and per chapter: tasks, 已销号 and 待销号 at the period's end and at its start — counted on
    the current statuses (one scan of ``task``), then corrected for the tasks whose status moved since."""
    base = f"WHERE ({where}) AND task.created_at < :hi"
    unit = _unit_group(conn)
    units = {int(r[0]): [int(v or 0) for v in r[1:]] for r in rows(
        conn, f"SELECT {unit}, {_FIGURES} FROM {_from(flt)} {base} GROUP BY {unit}", params)}
    chapters: dict[tuple[int, str], list[int]] = {}
    titles: dict[tuple[int, str], tuple[str, int]] = {}
    for r in rows(conn, (
        "SELECT measure.document_id, measure.chapter_code, MIN(measure.chapter), MIN(measure.\"order\"), "
        f"{_FIGURES} FROM {_from(flt, measure=True)} {base} GROUP BY measure.document_id, measure.chapter_code"
    ), params):
        chapters[(int(r[0]), r[1] or "")] = [int(v or 0) for v in r[4:]]
        titles[(int(r[0]), r[1] or "")] = (r[2] or "", int(r[3] or 0))
    for m in moved:
        done_end = (m.at_end == "done") - (m.status == "done")
        review_end = (m.at_end == "review") - (m.status == "review")
        done_start = ((m.at_start == "done") - (m.status == "done")) if m.before else 0
        for figures in (units.get(m.unit_id), chapters.get((m.document_id, m.chapter))):
            if figures is not None:
                figures[1] += done_end
                figures[2] += review_end
                figures[4] += done_start
    names = _unit_names(conn)
    key = unit_key(config)
    by_unit = sorted(
        (Completion(*names[uid], *v, unit_id=uid) for uid, v in units.items() if uid in names),
        key=lambda c: key(c.key, c.label, c.unit_id or 0),
    )
    by_chapter = [
        Completion(code, titles[(doc, code)][0], *v, document_id=doc)
        for (doc, code), v in sorted(chapters.items(), key=lambda item: (item[0][0], titles[item[0]][1]))
    ]
    return by_unit, by_chapter
