"""Measures, task history, per-measure progress and the whole responsibility matrix, in plain SQL.

Like :mod:`tracker.store.sql`, every function takes any connection the store hands out (``sqlite3``,
``psycopg`` or SQLAlchemy) and imports no database library: the app and the command line read
through the same statements.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.store.detail_rows import EventRow, GroupProgress, Matrix, MatrixCell
from tracker.store.filters import TaskFilter
from tracker.store.ordering import unit_key
from tracker.store.rows import MeasureRow
from tracker.store.sql import (
    COUNT_COLUMNS,
    TASK_FROM,
    as_date,
    as_utc,
    count_params,
    counts,
    rows,
)

if TYPE_CHECKING:
    from tracker.config import Config

_MEASURE_SELECT = (
    "SELECT measure.id, measure.document_id, document.title, measure.code, measure.chapter_code, "
    "measure.chapter, measure.title, measure.text, measure.\"order\", measure.due, measure.due_phrase, "
    "measure.is_context, (SELECT COUNT(*) FROM task WHERE task.measure_id = measure.id) "
    "FROM measure JOIN document ON document.id = measure.document_id"
)
_MEASURE_ORDER = ' ORDER BY measure.document_id, measure."order"'


def _measure_rows(conn: Any, where: str, params: dict[str, object]) -> list[MeasureRow]:
    return [
        MeasureRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], as_date(r[9]), r[10], bool(r[11]),
                   int(r[12]))
        for r in rows(conn, f"{_MEASURE_SELECT} WHERE {where}{_MEASURE_ORDER}", params)
    ]


def list_measures(conn: Any, document_id: int | None = None, *, include_context: bool = False) -> list[MeasureRow]:
    conds, params = ["1 = 1"], {}
    if document_id is not None:
        conds.append("measure.document_id = :document_id")
        params["document_id"] = document_id
    if not include_context:
        conds.append("measure.is_context = :false")
        params["false"] = False
    return _measure_rows(conn, " AND ".join(conds), params)


def get_measure(conn: Any, measure_id: int) -> MeasureRow | None:
    found = _measure_rows(conn, "measure.id = :id", {"id": measure_id})
    return found[0] if found else None


def find_measures(conn: Any, code: str, document_id: int | None = None) -> list[MeasureRow]:
    """Measures by code (``三（一）``) or by id given as ``#12`` / ``12``."""
    key = code.strip().lstrip("#")
    if key.isdigit():
        return _measure_rows(conn, "measure.id = :id", {"id": int(key)})
    where, params = "measure.code = :code", {"code": normalise_code(key)}
    if document_id is not None:
        where += " AND measure.document_id = :document_id"
        params["document_id"] = document_id
    return _measure_rows(conn, where, params)


def normalise_code(code: str) -> str:
    return code.replace("(", "（").replace(")", "）").replace(" ", "")


def task_history(conn: Any, task_id: int) -> list[EventRow]:
    found = rows(conn, 'SELECT id, task_id, at, "by", field, old, new, note FROM taskevent '
                       "WHERE task_id = :task_id ORDER BY id", {"task_id": task_id})
    return [EventRow(r[0], r[1], as_utc(r[2]), r[3], r[4], r[5], r[6], r[7]) for r in found]


def latest_notes(conn: Any, task_ids: list[int]) -> dict[int, str]:
    """The latest non-empty note per task (from the task row itself)."""
    if not task_ids:
        return {}
    params = {f"t{i}": task_id for i, task_id in enumerate(task_ids)}
    marks = ", ".join(f":{name}" for name in params)
    return {r[0]: r[1] for r in rows(conn, f"SELECT id, note FROM task WHERE id IN ({marks})", params) if r[1]}


def progress_by_measure(conn: Any, flt: TaskFilter, today: date, due_soon_days: int = 14) -> list[GroupProgress]:
    where, params = flt.where_sql(today)
    params.update(count_params(today, due_soon_days))
    sql = (
        "SELECT measure.id, measure.code, measure.title, measure.document_id, measure.chapter_code, measure.due, "
        f"{COUNT_COLUMNS} FROM {TASK_FROM} WHERE {where} "
        "GROUP BY measure.id, measure.code, measure.title, measure.document_id, measure.chapter_code, measure.due, "
        f'measure."order"{_MEASURE_ORDER}'
    )
    return [
        GroupProgress(r[1], r[2], counts(r[6:]),
                      {"measure_id": r[0], "document_id": r[3], "chapter": r[4], "due": as_date(r[5])})
        for r in rows(conn, sql, params)
    ]


def responsibility_matrix(conn: Any, flt: TaskFilter, today: date, config: Config | None = None) -> Matrix:
    """Every cell at once (the exports' matrix); the app reads it in windows (:mod:`matrix_reads`)."""
    where, params = flt.where_sql(today)
    sql = (
        "SELECT task.id, task.role, task.status, task.due, measure.id, measure.code, measure.title, "
        f'measure.document_id, measure."order", unit.id, unit.name, unit.kind FROM {TASK_FROM} WHERE {where}'
    )
    measures: dict[int, tuple] = {}
    units: dict[int, tuple] = {}
    cells: dict[tuple[int, int], MatrixCell] = {}
    for r in rows(conn, sql, params):
        measures[r[4]] = (r[7], r[8], r[4], r[5], r[6])
        units[r[9]] = (r[9], r[10], r[11])
        cells[(r[4], r[9])] = MatrixCell(r[0], r[1], r[2], as_date(r[3]))
    key = unit_key(config)
    ordered_units = sorted(units.values(), key=lambda u: key(u[1], u[2], u[0]))
    return Matrix(
        measures=[(m[2], m[3], m[4]) for m in sorted(measures.values())],
        units=ordered_units,
        cells=cells,
    )
