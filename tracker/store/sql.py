"""The hot read queries in plain SQL, for any connection.

``list_tasks``, ``count_tasks``, ``list_units``, ``list_documents`` and ``unassigned_measures``
are what every screen and most commands ask for. They are written once, in SQL with
``:name`` parameters, and run unchanged on a bare ``sqlite3`` or ``psycopg`` connection (the app and the
command line, through :class:`tracker.store.database.DirectDatabase`) or a SQLAlchemy ``Connection``
(tests, upgrades). Running them is :mod:`tracker.store.dbapi`'s part. This module imports no database
library itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tracker.store.dbapi import (  # noqa: F401 - re-exported: callers run SQL through sql.rows and friends
    SchemaNotCurrent,
    as_date,
    as_utc,
    is_sqlite,
    libpq_url,
    open_postgres,
    open_sqlite,
    rows,
    stream,
)
from tracker.store.filters import TaskFilter
from tracker.store.ordering import KIND_RANK_SQL, sort_units, unit_order_sql
from tracker.store.rows import Counts, DocumentRow, MeasureRow, TaskRow, UnitRow

if TYPE_CHECKING:
    from tracker.config import Config

SORTS = ("due", "measure", "unit", "updated", "late")
OPEN = "task.status IN ('todo', 'doing', 'blocked')"

TASK_FROM = (
    "task JOIN measure ON measure.id = task.measure_id "
    "JOIN unit ON unit.id = task.unit_id "
    "JOIN document ON document.id = measure.document_id"
)
TASK_COLUMNS = (
    "task.id, task.measure_id, measure.code, measure.title, measure.chapter_code, measure.chapter, "
    "measure.document_id, document.title, task.unit_id, unit.name, unit.kind, task.role, task.status, "
    "task.due, measure.due_phrase, task.note, task.updated_at, task.updated_by, task.version"
)
# within one measure: the lead first, then bureaus, collectives and 街镇 in the order first seen
_WITHIN = "task.role, unit.kind, unit.id, task.id"
_ORDER = {
    "measure": f"measure.document_id, measure.\"order\", {_WITHIN}",
    "updated": "task.updated_at DESC, task.id",
    "late": f"CASE WHEN {OPEN} AND task.due < :today THEN 0 ELSE 1 END, task.due IS NULL, task.due, "
    f"measure.document_id, measure.\"order\", {_WITHIN}",
    "due": f"task.due IS NULL, task.due, measure.document_id, measure.\"order\", {_WITHIN}",
}
COUNT_COLUMNS = (
    "COUNT(task.id), "
    "SUM(CASE WHEN task.status = 'todo' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN task.status = 'doing' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN task.status = 'blocked' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN task.status = 'done' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN task.status = 'dropped' THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN {OPEN} AND task.due < :today THEN 1 ELSE 0 END), "
    f"SUM(CASE WHEN {OPEN} AND task.due >= :today AND task.due <= :soon_end THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN task.status = 'review' THEN 1 ELSE 0 END)"
)


# --------------------------------------------------------------------------- tasks


def _task_row(r: tuple) -> TaskRow:
    return TaskRow(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[10], r[11], r[12],
        as_date(r[13]), r[14], r[15] or "", as_utc(r[16]), r[17] or "", r[18],
    )


def task_select(
    conn: Any, flt: TaskFilter, today: date, *, sort: str = "due", limit: int | None = None, offset: int = 0,
    config: Config | None = None,
) -> tuple[str, dict[str, object]]:
    """The SQL and parameters of :func:`list_tasks` (columns :data:`TASK_COLUMNS`)."""
    where, params = flt.where_sql(today, scan_hint=is_sqlite(conn))
    params = dict(params, today=today.isoformat())
    if sort == "unit":
        order = f"{unit_order_sql(config)}, measure.document_id, measure.\"order\", task.id"
    else:
        order = _ORDER.get(sort, _ORDER["due"])
    sql = f"SELECT {TASK_COLUMNS} FROM {TASK_FROM} WHERE {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT :limit OFFSET :offset"
        params.update(limit=int(limit), offset=int(offset))
    return sql, params


def list_tasks(
    conn: Any, flt: TaskFilter, today: date, *, sort: str = "due", limit: int | None = None, offset: int = 0,
    config: Config | None = None,
) -> list[TaskRow]:
    """Tasks the filter selects, in one of :data:`SORTS` orders, optionally one page of them.
    ``config`` places the configured 街镇 in their order when sorting by unit."""
    sql, params = task_select(conn, flt, today, sort=sort, limit=limit, offset=offset, config=config)
    return [_task_row(r) for r in rows(conn, sql, params)]


def iter_task_values(
    conn: Any, flt: TaskFilter, today: date, *, sort: str = "due", limit: int | None = None,
    config: Config | None = None,
) -> Iterator[tuple]:
    """:func:`list_tasks` as raw tuples in :data:`TASK_COLUMNS` order, read from the cursor as they
    are written out: memory stays flat however many tasks there are. Dates and times come as the
    database gives them (ISO text on SQLite)."""
    sql, params = task_select(conn, flt, today, sort=sort, limit=limit, config=config)
    return stream(conn, sql, params)


def iter_tasks(
    conn: Any, flt: TaskFilter, today: date, *, sort: str = "due", limit: int | None = None,
    config: Config | None = None,
) -> Iterator[TaskRow]:
    """:func:`list_tasks` one row at a time (see :func:`iter_task_values`)."""
    return map(_task_row, iter_task_values(conn, flt, today, sort=sort, limit=limit, config=config))


def get_task(conn: Any, task_id: int) -> TaskRow | None:
    found = rows(conn, f"SELECT {TASK_COLUMNS} FROM {TASK_FROM} WHERE task.id = :id", {"id": task_id})
    return _task_row(found[0]) if found else None


def count_from(flt: TaskFilter) -> str:
    """``task`` joined only with what the filter mentions: foreign keys make the other joins no-ops,
    and leaving them out lets SQLite count from an index on ``task`` alone."""
    sql = "task"
    if flt.needs_measure:
        sql += " JOIN measure ON measure.id = task.measure_id"
    if flt.needs_unit:
        sql += " JOIN unit ON unit.id = task.unit_id"
    return sql


def count_params(today: date, due_soon_days: int) -> dict[str, object]:
    return {"today": today.isoformat(), "soon_end": (today + timedelta(days=due_soon_days)).isoformat()}


def counts(values: tuple | list) -> Counts:
    return Counts(*(int(v or 0) for v in values))


def count_tasks(conn: Any, flt: TaskFilter, today: date, due_soon_days: int = 14) -> Counts:
    where, params = flt.where_sql(today)
    params.update(count_params(today, due_soon_days))
    return counts(rows(conn, f"SELECT {COUNT_COLUMNS} FROM {count_from(flt)} WHERE {where}", params)[0])


_GROUP_KEYS = {
    "document": ("measure.document_id", "measure"),
    "kind": ("unit.kind", "unit"),
    "unit": ("unit.name", "unit"),
    "chapter": ("measure.chapter_code", "measure"),
}


def count_by(
    conn: Any, keys: tuple[str, ...], flt: TaskFilter, today: date, due_soon_days: int = 14
) -> dict[tuple, Counts]:
    """Counts grouped by any of ``document`` (id), ``kind``, ``unit`` (name), ``chapter``, in one query:
    ``count_by(conn, ("document", "kind"), …)`` → ``{(3, "town"): Counts, …}``. Sum the groups in Python
    (``Counts`` add up) for coarser totals instead of asking again.

    Each figure is a ``COUNT(*) FILTER (WHERE …)`` rather than a ``SUM(CASE …)``: the same figures, 1.5x
    faster on SQLite (the per-task expressions are most of the work; per document at a million tasks,
    with ``ix_task_measure_status_due`` covering the task side: 0.6 → 0.4 s)."""
    counted = ", ".join([
        "COUNT(*)",
        *(f"COUNT(*) FILTER (WHERE task.status = '{s}')" for s in ("todo", "doing", "blocked", "done", "dropped")),
        f"COUNT(*) FILTER (WHERE {OPEN} AND task.due < :today)",
        f"COUNT(*) FILTER (WHERE {OPEN} AND task.due >= :today AND task.due <= :soon_end)",
        "COUNT(*) FILTER (WHERE task.status = 'review')",
    ])  # the order of Counts' fields, as COUNT_COLUMNS
    columns = [_GROUP_KEYS[k][0] for k in keys]
    tables = {_GROUP_KEYS[k][1] for k in keys}
    joins = "task"
    if "measure" in tables or flt.needs_measure:
        joins += " JOIN measure ON measure.id = task.measure_id"
    if "unit" in tables or flt.needs_unit:
        joins += " JOIN unit ON unit.id = task.unit_id"
    where, params = flt.where_sql(today)
    params.update(count_params(today, due_soon_days))
    group = ", ".join(columns)
    found = rows(conn, f"SELECT {group}, {counted} FROM {joins} WHERE {where} GROUP BY {group}", params)
    n = len(columns)
    return {tuple(r[:n]): counts(r[n:]) for r in found}


# --------------------------------------------------------------------------- units, documents, measures


def list_units(conn: Any, today: date, config: Config | None = None) -> list[UnitRow]:
    """Every unit with its counts, in the one unit order (:mod:`tracker.store.ordering`)."""
    sql = (
        "SELECT unit.id, unit.name, unit.kind, COUNT(task.id), "
        "SUM(CASE WHEN task.status = 'done' THEN 1 ELSE 0 END), "
        f"SUM(CASE WHEN {OPEN} AND task.due < :today THEN 1 ELSE 0 END) "
        "FROM unit LEFT OUTER JOIN task ON task.unit_id = unit.id "
        f"GROUP BY unit.id ORDER BY {KIND_RANK_SQL}, unit.id"
    )
    found = [
        UnitRow(r[0], r[1], r[2], int(r[3] or 0), int(r[4] or 0), int(r[5] or 0))
        for r in rows(conn, sql, {"today": today.isoformat()})
    ]
    if config is None:
        return found
    return sort_units(found, config, name=lambda u: u.name, kind=lambda u: u.kind, unit_id=lambda u: u.id)


def unit_names(conn: Any) -> list[str]:
    return [r[0] for r in rows(conn, f"SELECT name FROM unit ORDER BY {KIND_RANK_SQL}, unit.id")]


def list_documents(conn: Any, *, include_archived: bool = False) -> list[DocumentRow]:
    """The documents in import order; archived ones only when asked for."""
    sql = (
        "SELECT document.id, document.title, document.doc_number, document.issuer, document.issued, "
        "document.source_path, document.has_clauses, "
        "(SELECT COUNT(measure.id) FROM measure WHERE measure.document_id = document.id "
        "AND NOT measure.is_context), "
        "(SELECT COUNT(task.id) FROM task JOIN measure ON measure.id = task.measure_id "
        "WHERE measure.document_id = document.id), document.archived_at "
        "FROM document " + ("" if include_archived else "WHERE document.archived_at IS NULL ") + "ORDER BY document.id"
    )
    return [
        DocumentRow(r[0], r[1], r[2], r[3], as_date(r[4]), r[5], bool(r[6]), int(r[7]), int(r[8]),
                    as_utc(r[9]) if r[9] is not None else None)
        for r in rows(conn, sql)
    ]


def document_ids(conn: Any) -> set[int]:
    return {r[0] for r in rows(conn, "SELECT id FROM document")}


def unassigned_measures(conn: Any) -> list[MeasureRow]:
    """Measures that are not context and have no task yet (waiting for the coordinator)."""
    sql = (
        "SELECT measure.id, measure.document_id, document.title, measure.code, measure.chapter_code, "
        "measure.chapter, measure.title, measure.text, measure.\"order\", measure.due, measure.due_phrase, "
        "measure.is_context, 0 "
        "FROM measure JOIN document ON document.id = measure.document_id "
        "WHERE NOT measure.is_context AND document.archived_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM task WHERE task.measure_id = measure.id) "
        "ORDER BY measure.document_id, measure.\"order\""
    )
    return [
        MeasureRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], as_date(r[9]), r[10], bool(r[11]), 0)
        for r in rows(conn, sql)
    ]
