"""The reports' grouped counts and targets in plain SQL, for any connection (see :mod:`tracker.store.sql`).

``tracker export`` reads through the command line's bare ``sqlite3`` connection with these and
:func:`tracker.store.sql.iter_tasks`, so it loads neither SQLAlchemy nor SQLModel.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.store.detail_rows import ChapterKey, GroupProgress, TargetRow
from tracker.store.filters import OPEN_STATUSES, TaskFilter
from tracker.store.ordering import sort_units
from tracker.store.rows import Counts
from tracker.store.sql import (
    COUNT_COLUMNS,
    OPEN,
    as_date,
    count_from,
    count_params,
    counts,
    rows,
    stream,
)

if TYPE_CHECKING:
    from tracker.config import Config

# filters.ACTIVE_TASK for a measure: uncorrelated, evaluated once
ACTIVE_MEASURE = "measure.document_id NOT IN (SELECT document.id FROM document WHERE document.archived_at IS NOT NULL)"
_TASK_UNIT_MEASURE = "task JOIN measure ON measure.id = task.measure_id JOIN unit ON unit.id = task.unit_id"
# OPEN as comparisons: SQLite tests a task against an IN list with a lookup in a temporary b-tree
_OPEN_EACH = "(" + " OR ".join(f"task.status = '{s}'" for s in OPEN_STATUSES) + ")"
# Counts' fields in order, each a COUNT(*) FILTER (a SUM(CASE …) per field costs SQLite 1.5x as much); the date
# before the statuses: one comparison rules a task out of due-soon, and often out of overdue
_FIGURES = {
    "total": "1 = 1",
    "todo": "task.status = 'todo'",
    "doing": "task.status = 'doing'",
    "blocked": "task.status = 'blocked'",
    "done": "task.status = 'done'",
    "dropped": "task.status = 'dropped'",
    "overdue": f"task.due < :today AND {_OPEN_EACH}",
    "due_soon": f"task.due >= :today AND task.due <= :soon_end AND {_OPEN_EACH}",
    "review": "task.status = 'review'",
}
_PER_MEASURE = ", ".join(
    "COUNT(*) AS total" if name == "total" else f"COUNT(*) FILTER (WHERE {_FIGURES[name]}) AS {name}"
    for name in Counts._fields
)


def progress_by_unit(
    conn: Any, flt: TaskFilter, today: date, due_soon_days: int = 14, config: Config | None = None
) -> list[GroupProgress]:
    """Counts per unit, in the one unit order (:mod:`tracker.store.ordering`)."""
    where, params = flt.where_sql(today)
    params.update(count_params(today, due_soon_days))
    sql = (f"SELECT unit.name, unit.kind, unit.id, {COUNT_COLUMNS} FROM {_TASK_UNIT_MEASURE} WHERE {where} "
           "GROUP BY unit.id, unit.name, unit.kind")
    found = [GroupProgress(r[0], r[1], counts(r[3:]), {"unit_id": r[2]}) for r in rows(conn, sql, params)]
    return sort_units(found, config, name=lambda g: g.key, kind=lambda g: g.label, unit_id=lambda g: g.extra["unit_id"])


def progress_by_chapter(conn: Any, flt: TaskFilter, today: date, due_soon_days: int = 14) -> list[GroupProgress]:
    """Counts per chapter of each document, in document order.

    Counted per measure first, from ``task`` alone (with no filter on measures or units, SQLite reads
    ``ix_task_measure_status_due`` in order and no task row: 1.3 → 0.5 s at a million tasks); only the
    measures' sums (~120k) are joined with ``measure`` and grouped by chapter. Archived documents leave with
    their measures, after counting: asking it of every task cost ~0.05 s a million."""
    where, params = flt.replace(include_archived=True).where_sql(today)
    params.update(count_params(today, due_soon_days))
    return _chapter_sums(conn, f"FROM {count_from(flt)} WHERE {where}", params, active_only=flt.leaves_archived_out)


def _chapter_sums(conn: Any, tasks: str, params: dict[str, object], *, active_only: bool = False) -> list[GroupProgress]:
    """The tasks of ``tasks`` (``FROM … WHERE …``) counted per measure, then summed per chapter; ``active_only``:
    the chapters of archived documents left out."""
    per_measure = f"SELECT task.measure_id AS measure_id, {_PER_MEASURE} {tasks} GROUP BY task.measure_id"
    sums = ", ".join(f"SUM(pm.{name})" for name in Counts._fields)
    active = f"WHERE {ACTIVE_MEASURE} " if active_only else ""
    sql = (f"SELECT measure.document_id, measure.chapter_code, MIN(measure.chapter), MIN(measure.\"order\"), {sums} "
           f"FROM ({per_measure}) AS pm JOIN measure ON measure.id = pm.measure_id {active}"
           "GROUP BY measure.document_id, measure.chapter_code "
           "ORDER BY measure.document_id, MIN(measure.\"order\"), measure.chapter_code")
    return [GroupProgress(r[1], r[2], counts(r[4:]), {"document_id": r[0]}) for r in rows(conn, sql, params)]


def chapter_keys(conn: Any) -> list[ChapterKey]:
    """The chapters ``progress_by_chapter(conn, TaskFilter(), …)`` lists, in its order, without counting their
    tasks: one index probe per measure (~0.13 s at a million tasks, where counting takes ~0.7 s). The dashboard
    lists them at once and counts the ones on screen first (:func:`progress_of_chapters`)."""
    sql = ("SELECT measure.document_id, measure.chapter_code, MIN(measure.chapter) FROM measure "
           "JOIN document ON document.id = measure.document_id WHERE document.archived_at IS NULL "
           "AND EXISTS (SELECT 1 FROM task WHERE task.measure_id = measure.id) "
           "GROUP BY measure.document_id, measure.chapter_code "
           "ORDER BY measure.document_id, MIN(measure.\"order\"), measure.chapter_code")
    return [ChapterKey(r[0], r[1], r[2]) for r in rows(conn, sql)]


def progress_of_chapters(conn: Any, chapters: Iterable[ChapterKey], today: date,
                         due_soon_days: int = 14) -> list[GroupProgress]:
    """``progress_by_chapter(conn, TaskFilter(), …)``'s entries for these chapters only, in its order: one query
    per document, reading the tasks of their measures alone (milliseconds for a screenful at any size)."""
    codes: dict[int, list[str]] = {}
    for c in chapters:
        codes.setdefault(c.document_id, []).append(c.code)
    found: list[GroupProgress] = []
    for document_id in sorted(codes):
        params = count_params(today, due_soon_days)
        params["document_id"] = document_id
        keys = []
        for i, code in enumerate(dict.fromkeys(codes[document_id])):
            params[f"chapter{i}"] = code
            keys.append(f":chapter{i}")
        measures = (f"SELECT measure.id FROM measure WHERE measure.document_id = :document_id "
                    f"AND measure.chapter_code IN ({', '.join(keys)})")
        found += _chapter_sums(conn, f"FROM task WHERE task.measure_id IN ({measures})", params)
    return found


def iter_report_targets(conn: Any) -> Iterator[TargetRow]:
    """Every target with its latest figure (no history), in document and measure order, read as used."""
    sql = (
        "SELECT target.id, target.measure_id, measure.code, measure.document_id, target.phrase, target.label, "
        "target.comparator, target.value, target.uom, target.year, target.due, target.actual, target.actual_at "
        "FROM target JOIN measure ON measure.id = target.measure_id "
        "ORDER BY measure.document_id, measure.\"order\", target.id"
    )
    for r in stream(conn, sql):
        yield TargetRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], float(r[7]), r[8], r[9], as_date(r[10]),
                        None if r[11] is None else float(r[11]), as_date(r[12]))


def count_by_kind(conn: Any, flt: TaskFilter, today: date, due_soon_days: int = 14) -> dict[str, Counts]:
    """``count_by(("kind",))`` for the whole-database summary, cheaper at a million tasks: statuses
    counted per unit and status, overdue and due-soon tasks over their date ranges (with nothing
    else to filter, SQLite answers all three from the (unit, status, due) index), the units then
    summed per kind here. No per-task CASE expressions, no sort."""
    where, params = flt.where_sql(today)
    params.update(count_params(today, due_soon_days))
    joins = count_from(flt)
    kinds = dict(rows(conn, "SELECT id, kind FROM unit"))
    found: dict[int, dict[str, int]] = {}
    for unit_id, status, n in rows(conn, f"SELECT task.unit_id, task.status, COUNT(*) FROM {joins} WHERE {where} "
                                         "GROUP BY task.unit_id, task.status", params):
        found.setdefault(unit_id, {})[status] = int(n)
    for key, condition in (("overdue", "task.due < :today"), ("due_soon", "task.due >= :today AND task.due <= :soon_end")):
        sql = (f"SELECT task.unit_id, COUNT(*) FROM {joins} WHERE ({where}) AND {OPEN} AND {condition} "
               "GROUP BY task.unit_id")
        for unit_id, n in rows(conn, sql, params):
            found.setdefault(unit_id, {})[key] = int(n)
    out: dict[str, Counts] = {}
    for unit_id, got in found.items():
        kind = kinds.get(unit_id, "")
        statuses = {k: got.get(k, 0) for k in ("todo", "doing", "blocked", "done", "dropped", "review")}
        total = sum(v for k, v in got.items() if k not in ("overdue", "due_soon"))
        counts = Counts(total=total, overdue=got.get("overdue", 0), due_soon=got.get("due_soon", 0), **statuses)
        out[kind] = out[kind] + counts if kind in out else counts
    return out
