"""Who reported when: 催报 (the units whose tasks have not reported this period) and last report dates.

Plain SQL through :func:`tracker.store.sql.rows`, so it runs on the command line's bare ``sqlite3``
connection as well as on SQLAlchemy or psycopg ones; this module imports no database library.

A task has *reported* in a period when it has an event in it whose field is one of
:data:`REPORT_FIELDS` (the unit's own actions). Open tasks of non-archived documents with a cadence
that have not are 未报送; once today is past the period's report day they are 逾期未报.

Event times are UTC; a period's days are local dates: a period is the half-open interval of event times from
the local midnight starting its first day to the one after its last (:func:`tracker.dates.day_start`), so a
note saved at 07:00 on the 1st in Beijing is that month's report; the comparison stays on the ``taskevent.at``
index.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from tracker.cycle import Cadence, Period, parse_cadence, period_of
from tracker.dates import day_start, local_day
from tracker.store.filters import OPEN_STATUSES, TaskFilter
from tracker.store.ordering import unit_key
from tracker.store.rows import TaskRow
from tracker.store.sql import TASK_COLUMNS, TASK_FROM, as_date, as_utc, is_sqlite, rows

if TYPE_CHECKING:
    from tracker.config import Config

# the unit's own actions; verify, due, assign, import, role and extend_decision are the coordinator's
REPORT_FIELDS = ("status", "note", "extend", "evidence")
REPORT_FIELDS_SQL = "(" + ", ".join(f"'{f}'" for f in REPORT_FIELDS) + ")"
OPEN_SQL = "(" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"
# fields that change task.status (a verify decision moves review → done or back)
STATUS_FIELDS_SQL = "('status', 'verify')"


def moment(conn: Any, day: date) -> str:
    """Local midnight starting ``day``, in UTC, as a parameter compared with ``taskevent.at``: SQLite stores
    ``2022-11-15 08:30:00.000000`` text (so the bare form sorts right), PostgreSQL reads the zone."""
    text = f"{day_start(day):%Y-%m-%d %H:%M:%S}"
    return text if is_sqlite(conn) else text + "+00:00"


def period_bounds(conn: Any, period: Period) -> dict[str, str]:
    """``lo``/``hi``: the period as a half-open interval of event times."""
    return {"lo": moment(conn, period.start), "hi": moment(conn, period.end + timedelta(days=1))}


def in_list(name: str, values: list | tuple) -> tuple[str, dict[str, object]]:
    """``(:name0, :name1, …)`` and its parameters (``(NULL)`` when empty: matches nothing)."""
    params = {f"{name}{i}": v for i, v in enumerate(values)}
    return "(" + (", ".join(f":{k}" for k in params) or "NULL") + ")", params


def document_cadence(conn: Any, config: Config) -> dict[int, Cadence]:
    """Each document's reporting cadence: its own, else the config's default (also when what is
    stored cannot be read: a bad value must not stop 催报 for every other document)."""
    out: dict[int, Cadence] = {}
    for doc_id, text in rows(conn, "SELECT id, cadence FROM document"):
        cadence = config.cadence
        if text:
            try:
                cadence = parse_cadence(text)
            except ValueError:
                pass
        out[int(doc_id)] = cadence
    return out


# --------------------------------------------------------------------------- 催报


@dataclass(frozen=True)
class UnitReminder:
    """One unit's 催报 line. ``unreported``: every open task not reported this period (逾期未报 ones
    included); ``overdue``: those of them whose period's report day has passed (逾期未报)."""

    unit_id: int
    unit: str
    kind: str
    unreported: list[TaskRow]
    overdue: list[TaskRow]
    last_report: date | None  # the unit's latest report on any task, any period
    last_reported: dict[int, datetime] = field(default_factory=dict)  # task id → its latest report
    report_due: dict[int, date] = field(default_factory=dict)  # task id → its period's report day

    def to_json(self) -> dict:
        return {
            "unit": self.unit, "unit_id": self.unit_id, "kind": self.kind,
            "unreported": [t.id for t in self.unreported], "overdue": [t.id for t in self.overdue],
            "last_report": self.last_report.isoformat() if self.last_report else None,
        }


@dataclass(frozen=True)
class Reminders:
    """催报 as of ``today``: ``period`` is the reporting period most tasks follow (the config's, or the one
    cadence every selected document shares); ``periods`` each document's own; units worst first."""

    today: date
    period: Period | None
    units: list[UnitReminder]
    periods: dict[int, Period] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "period": self.period.key if self.period else None,
            "period_label": self.period.label if self.period else None,
            "report_due": self.period.report_due.isoformat() if self.period else None,
            "units": [u.to_json() for u in self.units],
        }


def remind(conn: Any, today: date, config: Config, flt: TaskFilter | None = None) -> Reminders:
    """Per unit, worst first (most 逾期未报, then most 未报送, then the one unit order), its open tasks not
    reported in the current period of their document's cadence. Units with none are left out."""
    flt = flt or TaskFilter()
    cadences = document_cadence(conn, config)
    periods = {doc: p for doc, c in cadences.items() if (p := period_of(c, today)) is not None}
    where, params = flt.where_sql(today)
    by_unit: dict[int, dict] = {}
    groups: dict[Period, list[int]] = {}
    for doc, period in periods.items():
        groups.setdefault(period, []).append(doc)
    for period, docs in groups.items():
        docs_sql, doc_params = in_list("rdoc", sorted(docs))
        sql = (
            f"SELECT {TASK_COLUMNS}, (SELECT MAX(le.at) FROM taskevent AS le WHERE le.task_id = task.id "
            f"AND le.field IN {REPORT_FIELDS_SQL}) "
            f"FROM {TASK_FROM} WHERE ({where}) AND document.archived_at IS NULL "
            f"AND task.status IN {OPEN_SQL} AND measure.document_id IN {docs_sql} "
            "AND task.id NOT IN (SELECT pe.task_id FROM taskevent AS pe WHERE pe.at >= :lo AND pe.at < :hi "
            f"AND pe.field IN {REPORT_FIELDS_SQL}) "
            "ORDER BY measure.document_id, measure.\"order\", task.id"
        )
        late = today > period.report_due
        for r in rows(conn, sql, {**params, **doc_params, **period_bounds(conn, period)}):
            task = task_row(r)
            entry = by_unit.setdefault(task.unit_id, {"unit": task.unit, "kind": task.unit_kind, "unreported": [],
                                                      "overdue": [], "last": {}, "due": {}})
            entry["unreported"].append(task)
            if late:
                entry["overdue"].append(task)
            if r[19] is not None:
                entry["last"][task.id] = as_utc(r[19])
            entry["due"][task.id] = period.report_due
    last = last_report_dates(conn, tuple(by_unit))
    key = unit_key(config)
    units = [
        UnitReminder(uid, e["unit"], e["kind"], e["unreported"], e["overdue"], last.get(uid), e["last"], e["due"])
        for uid, e in by_unit.items()
    ]
    units.sort(key=lambda u: (-len(u.overdue), -len(u.unreported), key(u.unit, u.kind, u.unit_id)))
    return Reminders(today, headline_period(cadences, periods, flt, config, today), units, periods)


def headline_period(cadences: dict[int, Cadence], periods: dict[int, Period], flt: TaskFilter, config: Config,
                    today: date) -> Period | None:
    """The one period to name: the selected document's, the cadence all documents share, else the config's."""
    if flt.document_id is not None:
        return periods.get(flt.document_id)
    kinds = set(cadences.values())
    if len(kinds) == 1:
        return period_of(next(iter(kinds)), today)
    return period_of(config.cadence, today)


def task_row(r: tuple) -> TaskRow:
    return TaskRow(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
        as_date(r[13]), r[14], r[15] or "", as_utc(r[16]), r[17] or "", r[18],
    )


def last_report_dates(conn: Any, unit_ids: tuple[int, ...] | None = None) -> dict[int, date]:
    """``{unit id: date of the unit's latest report}`` (UTC date of its latest REPORT_FIELDS event);
    units that never reported are absent. ``unit_ids`` narrows it to those units.

    Reads the events newest first along the ``taskevent.at`` index, in growing batches, and stops once
    every unit asked about is found: the latest reports are recent, so this reads a few thousand events
    where grouping all of them would read every one.
    """
    if unit_ids is None:
        wanted = {int(r[0]) for r in rows(conn, "SELECT DISTINCT task.unit_id FROM task")}
    else:
        wanted = {int(u) for u in unit_ids}
    found: dict[int, date] = {}
    cursor: tuple[Any, int] | None = None
    size = 2000
    while wanted - found.keys():
        after = "" if cursor is None else " AND (e.at < :before OR (e.at = :before AND e.id < :before_id))"
        batch = rows(conn, (
            "SELECT task.unit_id, e.at, e.id FROM taskevent AS e JOIN task ON task.id = e.task_id "
            f"WHERE e.field IN {REPORT_FIELDS_SQL}{after} ORDER BY e.at DESC, e.id DESC LIMIT :size"
        ), {"size": size, **({} if cursor is None else {"before": cursor[0], "before_id": cursor[1]})})
        for unit_id, at, _ in batch:
            if unit_id in wanted and unit_id not in found:
                found[int(unit_id)] = local_day(as_utc(at))
        if len(batch) < size:
            break
        cursor = (batch[-1][1], int(batch[-1][2]))
        size = min(size * 4, 100_000)
    return found


# --------------------------------------------------------------------------- 延期申请 (read for the reports)


@dataclass(frozen=True)
class PendingExtension:
    id: int
    task: TaskRow
    requested_due: date
    old_due: date | None
    reason: str
    requested_at: datetime
    requested_by: str

    def to_json(self) -> dict:
        return {
            "id": self.id, "task_id": self.task.id, "unit": self.task.unit, "measure": self.task.measure_code,
            "requested_due": self.requested_due.isoformat(),
            "old_due": self.old_due.isoformat() if self.old_due else None, "reason": self.reason,
            "requested_at": self.requested_at.isoformat(), "requested_by": self.requested_by,
        }


def pending_extension_requests(conn: Any, flt: TaskFilter, today: date) -> list[PendingExtension]:
    """The 延期申请 still waiting for the coordinator, on the tasks ``flt`` selects, oldest first."""
    where, params = flt.where_sql(today)
    sql = (
        f"SELECT {TASK_COLUMNS}, x.id, x.requested_due, x.old_due, x.reason, x.requested_at, x.requested_by "
        f"FROM {TASK_FROM} JOIN extension_request AS x ON x.task_id = task.id "
        f"WHERE x.state = 'pending' AND ({where}) ORDER BY x.requested_at, x.id"
    )
    return [
        PendingExtension(int(r[19]), task_row(r), as_date(r[20]), as_date(r[21]), r[22] or "", as_utc(r[23]), r[24] or "")
        for r in rows(conn, sql, params)
    ]
