"""Reads the app needs beyond the shared query layer."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tracker.config import STATUS_CODES
from tracker.store import sql
from tracker.store.filters import TaskFilter
from tracker.store.rows import Counts


def max_task_id(conn: Any) -> int:
    return int(sql.rows(conn, "SELECT COALESCE(MAX(id), 0) FROM task")[0][0])


def any_documents(conn: Any) -> bool:
    return bool(sql.rows(conn, "SELECT 1 FROM document LIMIT 1"))


def any_archived(conn: Any) -> bool:
    return bool(sql.rows(conn, "SELECT 1 FROM document WHERE archived_at IS NOT NULL LIMIT 1"))


def _index_countable(flt: TaskFilter) -> bool:
    """Whether the filter names only columns of the task indexes (status, due, unit)."""
    rest = flt.replace(statuses=(), overdue=False, due_within=None, units=(), include_archived=False)
    return rest == TaskFilter()


def quick_counts(conn: Any, flt: TaskFilter, today: date, due_soon_days: int = 14) -> Counts:
    """:func:`tracker.store.sql.count_tasks`, but counted from the (status, due) indexes when the filter allows.

    ``count_tasks`` evaluates eight CASE expressions on every task (about a second at a million tasks);
    one ``COUNT`` per status over an index range reads no table row (a tenth of that). Same figures.
    """
    if not _index_countable(flt) or (not flt.include_archived and any_archived(conn)):
        return sql.count_tasks(conn, flt, today, due_soon_days)
    flt = flt.replace(include_archived=True)  # nothing archived: the same tasks, without the subquery
    where, params = flt.where_sql(today)
    params = dict(params, today=today.isoformat(), soon_end=(today + timedelta(days=due_soon_days)).isoformat())
    source = sql.count_from(flt)
    names = Counts._fields
    statuses = [s for s in STATUS_CODES if s in names]

    def count(extra: str) -> str:
        return f"(SELECT COUNT(task.id) FROM {source} WHERE ({where}) AND {extra})"

    # every task holds one of the statuses: their sum is the total, without reading the index once more
    every_status = set(statuses) == set(STATUS_CODES)
    parts = {} if every_status else {"total": count("1 = 1")}
    for status in statuses:
        parts[status] = count(f"task.status = '{status}'")
    parts["overdue"] = count(f"{sql.OPEN} AND task.due < :today")
    parts["due_soon"] = count(f"{sql.OPEN} AND task.due >= :today AND task.due <= :soon_end")
    found = sql.rows(conn, "SELECT " + ", ".join(parts.values()), params)[0]
    values = {name: int(value or 0) for name, value in zip(parts, found)}
    if every_status:
        values["total"] = sum(values[status] for status in statuses)
    return Counts(**values)


# more measures than this are not put in a list to scroll through: the panel asks for a document first
MEASURE_CHOICES = 400


@dataclass(frozen=True)
class MeasureChoice:
    id: int
    document_id: int
    code: str
    title: str
    chapter_code: str
    chapter: str


@dataclass(frozen=True)
class FilterChoices:
    """What the filter panel offers for one document (or all): its chapters, and its measures when they are
    few enough to list (``None``: too many, choose a document first)."""

    chapters: list[tuple[str, str]]
    measures: list[MeasureChoice] | None


def filter_choices(conn: Any, document_id: int | None = None, limit: int | None = None) -> FilterChoices:
    """Chapters and measures of a document (all of them: a document has tens, at most hundreds), or of every
    unarchived document (measures only up to ``limit``)."""
    limit = (MEASURE_CHOICES if document_id is None else 1 << 30) if limit is None else limit
    if document_id is None:
        scope = "NOT measure.is_context AND measure.document_id IN (SELECT id FROM document WHERE archived_at IS NULL)"
        params: dict[str, object] = {}
    else:
        scope = "NOT measure.is_context AND measure.document_id = :document_id"
        params = {"document_id": document_id}
    found = sql.rows(
        conn,
        "SELECT measure.id, measure.document_id, measure.code, measure.title, measure.chapter_code, measure.chapter "
        f'FROM measure WHERE {scope} ORDER BY measure.document_id, measure."order", measure.id LIMIT :limit',
        dict(params, limit=limit + 1),
    )
    if len(found) <= limit:
        measures = [MeasureChoice(*r) for r in found]
        chapters: dict[str, str] = {}
        for m in measures:
            if m.chapter_code and m.chapter_code not in chapters:
                chapters[m.chapter_code] = m.chapter
        return FilterChoices(list(chapters.items()), measures)
    # too many documents to name a chapter's title (each has its own 三): the codes, from their index
    rows = sql.rows(conn, "SELECT chapter_code, MIN(id) AS first FROM measure WHERE chapter_code != '' "
                          "GROUP BY chapter_code ORDER BY first")
    return FilterChoices([(r[0], "") for r in rows], None)


def unit_names_in_order(conn: Any, config: Any = None) -> list[str]:
    """Every unit's name in the one unit order: ``[u.name for u in list_units(…)]`` without counting tasks."""
    from tracker.store.ordering import sort_units

    found = sql.rows(conn, "SELECT id, name, kind FROM unit")
    return [r[1] for r in sort_units(found, config, name=lambda r: r[1], kind=lambda r: r[2], unit_id=lambda r: r[0])]
