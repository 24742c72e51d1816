"""The responsibility matrix read in two steps: its outline (which measures and units, how many tasks),
then the cells of the rows in view. A million tasks make a 118,000 × 50 matrix: it is never read whole.

Plain SQL through :func:`tracker.store.sql.rows`, like the rest of the read layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.store.app_queries import any_archived
from tracker.store.detail_rows import MatrixCell
from tracker.store.filters import TaskFilter
from tracker.store.ordering import sort_units
from tracker.store.sql import as_date, count_from, rows

if TYPE_CHECKING:
    from tracker.config import Config


@dataclass
class MatrixOutline:
    measure_ids: list[int]  # rows, in document order
    units: list[tuple[int, str, str]]  # columns: (unit id, name, kind), in the one unit order
    tasks: int  # cells holding a task
    codes: set[str] = field(default_factory=set)  # the distinct measure codes shown (they size the code column)
    documents: int = 0  # how many documents the rows come from
    last_document: int = 0  # the largest of their ids (sizes the 文N tag)


@dataclass
class MatrixWindow:
    measures: list[tuple[int, str, str, int]]  # (measure id, code, title, document id), in row order
    cells: dict[tuple[int, int], MatrixCell]


def _where(conn: Any, flt: TaskFilter, today: date) -> tuple[str, dict[str, object]]:
    if not flt.include_archived and not any_archived(conn):
        flt = flt.replace(include_archived=True)  # the same tasks, without a subquery per row
    return flt.where_sql(today)


def matrix_outline(conn: Any, flt: TaskFilter, today: date, config: Config | None = None) -> MatrixOutline:
    """Measures and units with at least one task the filter selects, and the number of those tasks."""
    where, params = _where(conn, flt, today)
    unit_join = "JOIN unit ON unit.id = task.unit_id " if flt.needs_unit else ""
    found = rows(
        conn,
        "SELECT measure.id, measure.code, measure.document_id FROM measure WHERE EXISTS (SELECT 1 FROM task "
        f"{unit_join}WHERE task.measure_id = measure.id AND ({where})) "
        'ORDER BY measure.document_id, measure."order", measure.id',
        params,
    )
    # the unit conditions on the outer query too: a unit they leave out is not searched task by task
    unit_where, unit_params = TaskFilter(units=flt.units, unit_kinds=flt.unit_kinds,
                                         include_archived=True).where_sql(today)
    measure_join = "JOIN measure ON measure.id = task.measure_id " if flt.needs_measure else ""
    units = rows(
        conn,
        f"SELECT unit.id, unit.name, unit.kind FROM unit WHERE ({unit_where}) AND EXISTS (SELECT 1 FROM task "
        f"{measure_join}WHERE task.unit_id = unit.id AND ({where}))",
        dict(params, **unit_params),
    )
    tasks = rows(conn, f"SELECT COUNT(task.id) FROM {count_from(flt)} WHERE {where}", params)[0][0]
    documents = {r[2] for r in found}
    return MatrixOutline(
        measure_ids=[r[0] for r in found],
        units=sort_units([tuple(u) for u in units], config, name=lambda u: u[1], kind=lambda u: u[2],
                         unit_id=lambda u: u[0]),
        tasks=int(tasks or 0),
        codes={r[1] for r in found},
        documents=len(documents),
        last_document=max(documents, default=0),
    )


def matrix_window(conn: Any, flt: TaskFilter, today: date, measure_ids: list[int]) -> MatrixWindow:
    """The rows of ``measure_ids`` (in that order) and their cells under the filter."""
    if not measure_ids:
        return MatrixWindow([], {})
    where, params = _where(conn, flt, today)
    keys = {f"m{i}": mid for i, mid in enumerate(measure_ids)}
    listed = ", ".join(f":{k}" for k in keys)
    params = dict(params, **keys)
    found = {r[0]: (r[0], r[1], r[2], r[3]) for r in rows(
        conn, f"SELECT id, code, title, document_id FROM measure WHERE id IN ({listed})", keys)}
    cells = {
        (r[4], r[5]): MatrixCell(r[0], r[1], r[2], as_date(r[3]))
        for r in rows(
            conn,
            "SELECT task.id, task.role, task.status, task.due, task.measure_id, task.unit_id FROM task "
            "JOIN measure ON measure.id = task.measure_id JOIN unit ON unit.id = task.unit_id "
            f"WHERE task.measure_id IN ({listed}) AND ({where})",
            params,
        )
    }
    return MatrixWindow([found[m] for m in measure_ids if m in found], cells)


@dataclass(frozen=True)
class DocumentLabel:
    id: int
    title: str
    doc_number: str


def document_labels(conn: Any) -> dict[int, DocumentLabel]:
    """Every document's title and 文号 (no counts: the matrix names the document of the row in view)."""
    return {r[0]: DocumentLabel(r[0], r[1], r[2] or "") for r in rows(conn, "SELECT id, title, doc_number FROM document")}
