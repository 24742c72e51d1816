"""Targets (指标) with the history of their reported figures, in plain SQL for any connection (a bare
``sqlite3`` or psycopg one, or SQLAlchemy's: see :mod:`tracker.store.sql`), so that ``tracker targets`` and
``tracker actual`` start without the ORM. Re-exported by :mod:`tracker.store.queries`."""

from __future__ import annotations

from typing import Any

from tracker.store.detail_rows import TargetFigure, TargetRow
from tracker.store.sql import as_date, as_utc, rows

_FROM = "target JOIN measure ON measure.id = target.measure_id"
_TARGETS = (
    "SELECT target.id, target.measure_id, measure.code, measure.document_id, target.phrase, target.label, "
    f"target.comparator, target.value, target.uom, target.year, target.due, target.actual, target.actual_at FROM {_FROM}"
)
_ORDER = " ORDER BY measure.document_id, measure.\"order\", target.id"
_FIGURES = (
    "SELECT target_id, value, as_of, recorded_at, recorded_by FROM target_actual{where} "
    "ORDER BY target_id, as_of, id"
)


def list_targets(
    conn: Any, *, measure_id: int | None = None, document_id: int | None = None, target_id: int | None = None
) -> list[TargetRow]:
    """Targets in document and measure order, each with every figure reported (oldest first by date);
    only those of one measure, document or target when asked."""
    where, params = [], {}
    for column, value in (("target.measure_id", measure_id), ("measure.document_id", document_id),
                          ("target.id", target_id)):
        if value is not None:
            name = column.replace(".", "_")
            where.append(f"{column} = :{name}")
            params[name] = value
    sql = _TARGETS + (" WHERE " + " AND ".join(where) if where else "") + _ORDER
    found = [
        TargetRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], as_date(r[10]), r[11], as_date(r[12]))
        for r in rows(conn, sql, params)
    ]
    if not found:
        return found
    # the figures of the targets found: the same conditions as a subquery (no parameter per id)
    chosen = f" WHERE target_id IN (SELECT target.id FROM {_FROM} WHERE {' AND '.join(where)})" if where else ""
    figures_sql = _FIGURES.format(where=chosen)
    history: dict[int, list[TargetFigure]] = {}
    for r in rows(conn, figures_sql, params):
        history.setdefault(r[0], []).append(TargetFigure(r[1], as_date(r[2]), as_utc(r[3]), r[4]))
    return [t._replace(history=tuple(history.get(t.id, ()))) for t in found]
