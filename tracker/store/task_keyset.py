"""Task listings a page at a time by key (keyset paging), for any position of a very long list.

``LIMIT … OFFSET n`` makes the database sort and skip ``n`` rows: the last page of a million tasks
costs seconds and hundreds of MiB. Here a page is asked for *after* (or *before*) the last (first)
row of a page already shown, or from either end of the list, so a page costs about as much as the
first one wherever it is.

Every order of :data:`tracker.store.sql.SORTS` is cut into *segments* (for ``late``: the overdue
tasks, the other dated tasks, the undated ones) whose keys start with an indexed column: then the
database walks ``ix_task_due`` / ``ix_task_updated_at`` and sorts only rows with equal leading keys,
instead of sorting the whole result. Concatenated, the segments give exactly
:func:`tracker.store.sql.list_tasks`'s order (every order ends in ``task.id``, so there are no ties).

Plain SQL with ``:name`` parameters, run through :func:`tracker.store.sql.rows` like the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.store.filters import TaskFilter
from tracker.store.ordering import KIND_RANK_SQL, member_ranks
from tracker.store.rows import TaskRow
from tracker.store.sql import (
    TASK_COLUMNS,
    TASK_FROM,
    _task_row,
    count_from,
    is_sqlite,
    rows,
)

if TYPE_CHECKING:
    from tracker.config import Config

# bounds that put a range on an indexed leading key (every stored date is inside them), so the
# planner walks the index in order instead of sorting every row; plain dates work on any database
LOW, HIGH = "0001-01-01", "9999-12-31"
_WITHIN = ("task.role", "unit.kind", "unit.id", "task.id")
_MEASURE = ("measure.document_id", 'measure."order"', *_WITHIN)

Key = tuple  # (segment index, key values…) of one row


@dataclass(frozen=True)
class Segment:
    """Rows matching ``where``, in ``keys`` order: ``(expression, descending)``; ``ranged`` puts the
    first key between :data:`LOW` and :data:`HIGH` (an index range)."""

    where: str
    keys: tuple[tuple[str, bool], ...]
    ranged: bool = False
    # walked without an index on its condition: first ask (through the index) whether it has any row
    probe: str = ""
    kind: str = ""  # "overdue", "dated" (not overdue) or "undated": lets a filter rule a segment out


@dataclass
class Page:
    rows: list[TaskRow] = field(default_factory=list)
    keys: list[Key] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


def _asc(*exprs: str) -> tuple[tuple[str, bool], ...]:
    return tuple((e, False) for e in exprs)


def segments(sort: str, *, sqlite: bool, config: Config | None = None) -> list[Segment]:
    """``sort`` (one of ``SORTS``) as segments whose concatenation is ``list_tasks``' order."""
    plus = "+" if sqlite else ""  # SQLite: keep the status index out of an ordered walk
    open_ = f"{plus}task.status IN ('todo', 'doing', 'blocked')"
    dated = _asc("task.due", *_MEASURE)
    # walked in document order (measure index, then the measure's tasks), not found through the due
    # index and sorted: tens of thousands of undated tasks would be sorted for every page
    undated = Segment(f"{plus}task.due IS NULL", _asc(*_MEASURE), probe="task.due IS NULL", kind="undated")
    if sort == "late":
        return [
            Segment(f"{open_} AND task.due < :today", dated, ranged=True, kind="overdue"),
            Segment(f"NOT ({open_} AND task.due < :today)", dated, ranged=True, kind="dated"),
            undated,
        ]
    if sort == "measure":
        return [Segment("1 = 1", _asc(*_MEASURE))]
    if sort == "updated":
        return [Segment("1 = 1", (("task.updated_at", True), ("task.id", False)), ranged=True)]
    if sort == "unit":
        ranks = member_ranks(config)
        town = []
        if ranks:
            cases = " ".join(f"WHEN '{n.replace(chr(39), chr(39) * 2)}' THEN {r}" for n, r in ranks.items())
            town = [f"CASE unit.name {cases} ELSE {1 << 30} END"]
        return [Segment("1 = 1", _asc(KIND_RANK_SQL, *town, "unit.id", "measure.document_id", 'measure."order"',
                                      "task.id"))]
    return [Segment("1 = 1", dated, ranged=True), undated]  # "due" and anything unknown, as list_tasks does


def _flipped(seg: Segment) -> Segment:
    return Segment(seg.where, tuple((e, not d) for e, d in seg.keys), seg.ranged, seg.probe, seg.kind)


def _after(seg: Segment, key: Key, params: dict[str, object]) -> str:
    """Rows strictly after ``key`` in ``seg``'s order: (k1 > a1) OR (k1 = a1 AND k2 > a2) OR …"""
    values = key[1:]
    terms = []
    for i, (expr, desc) in enumerate(seg.keys):
        params[f"k{i}"] = values[i]
        equal = [f"{seg.keys[j][0]} = :k{j}" for j in range(i)]
        terms.append(" AND ".join([*equal, f"{expr} {'<' if desc else '>'} :k{i}"]))
    lead, desc = seg.keys[0]
    # the leading key as a plain range too: the index walk starts at the anchor
    return f"{lead} {'<=' if desc else '>='} :k0 AND (" + " OR ".join(f"({t})" for t in terms) + ")"


def _select(conn: Any, seg: Segment, index: int, where: str, params: dict[str, object], *, after: Key | None,
            limit: int, offset: int = 0, extra: tuple[str, dict[str, object]] | None = None) -> Page:
    params = dict(params, **(extra[1] if extra else {}))
    conds = [f"({where})", f"({seg.where})"] + ([extra[0]] if extra else [])
    if seg.ranged:
        conds.append(f"{seg.keys[0][0]} BETWEEN :low AND :high")
        params.update(low=LOW, high=HIGH)
    if after is not None:
        conds.append(_after(seg, after, params))
    order = ", ".join(f"{e} DESC" if d else e for e, d in seg.keys)
    keys = ", ".join(e for e, _ in seg.keys)
    sql = (f"SELECT {TASK_COLUMNS}, {keys} FROM {TASK_FROM} WHERE {' AND '.join(conds)} ORDER BY {order} "
           f"LIMIT :limit OFFSET :offset")
    params.update(limit=int(limit), offset=int(offset))
    page = Page()
    width = len(seg.keys)
    for r in rows(conn, sql, params):
        page.rows.append(_task_row(r))
        page.keys.append((index, *r[-width:]))
    return page


def _plan(conn: Any, flt: TaskFilter, today: date, sort: str, config: Config | None, reverse: bool):
    where, params = flt.where_sql(today, scan_hint=is_sqlite(conn))
    params = dict(params, today=today.isoformat())
    segs = [(i, s) for i, s in enumerate(segments(sort, sqlite=is_sqlite(conn), config=config))
            if not _ruled_out(s, flt) and (not s.probe or _any_row(conn, flt, s, where, params))]
    if reverse:
        segs = [(i, _flipped(s)) for i, s in reversed(segs)]
    return segs, where, params


def _ruled_out(seg: Segment, flt: TaskFilter) -> bool:
    """Whether the filter leaves the segment empty (else a page walks the whole index to find nothing)."""
    open_statuses = {"todo", "doing", "blocked"}
    if seg.kind == "overdue":
        return flt.due_within is not None or bool(flt.statuses and not open_statuses & set(flt.statuses))
    if seg.kind == "dated":
        return flt.overdue
    if seg.kind == "undated":
        return flt.overdue or flt.due_within is not None
    return False


def _any_row(conn: Any, flt: TaskFilter, seg: Segment, where: str, params: dict[str, object]) -> bool:
    return bool(rows(conn, f"SELECT 1 FROM {count_from(flt)} WHERE ({where}) AND {seg.probe} LIMIT 1", params))


def page_after(conn: Any, flt: TaskFilter, today: date, sort: str, key: Key | None, limit: int, *,
               config: Config | None = None) -> Page:
    """Up to ``limit`` rows following the row whose key is ``key`` (the first rows when ``key`` is None)."""
    return _walk(conn, flt, today, sort, key, limit, config, reverse=False)


def page_before(conn: Any, flt: TaskFilter, today: date, sort: str, key: Key | None, limit: int, *,
                config: Config | None = None) -> Page:
    """Up to ``limit`` rows preceding ``key`` (the last rows when ``key`` is None), in list order."""
    page = _walk(conn, flt, today, sort, key, limit, config, reverse=True)
    page.rows.reverse()
    page.keys.reverse()
    return page


def _walk(conn: Any, flt: TaskFilter, today: date, sort: str, key: Key | None, limit: int,
          config: Config | None, *, reverse: bool) -> Page:
    segs, where, params = _plan(conn, flt, today, sort, config, reverse)
    page = Page()
    started = key is None
    for index, seg in segs:
        if not started:
            if index != key[0]:
                continue
            started = True
            part = _select(conn, seg, index, where, params, after=key, limit=limit - len(page))
        else:
            part = _select(conn, seg, index, where, params, after=None, limit=limit - len(page))
        page.rows += part.rows
        page.keys += part.keys
        if len(page) >= limit:
            break
    return page


def page_at(conn: Any, flt: TaskFilter, today: date, sort: str, offset: int, limit: int, total: int, *,
            config: Config | None = None) -> Page:
    """The rows at positions ``offset`` … ``offset + limit - 1`` of a list of ``total`` rows, walked from the
    nearer end (for a jump without a neighbouring page: the scroll bar, a reload deep in the list)."""
    offset = max(0, min(offset, total))
    limit = max(0, min(limit, total - offset))
    if not limit:
        return Page()
    reverse = offset + limit / 2 > total / 2
    skip = total - offset - limit if reverse else offset
    segs, where, params = _plan(conn, flt, today, sort, config, reverse)
    page = Page()
    for index, seg in segs:
        if skip:
            size = _count(conn, flt, seg, where, params, up_to=skip)
            if size <= skip:
                skip -= size
                continue
        extra = None
        if skip > LONG_SKIP and seg.ranged:
            extra, skip = _skip_by_lead(conn, flt, seg, where, params, skip)
        part = _select(conn, seg, index, where, params, after=None, limit=limit - len(page), offset=skip,
                       extra=extra)
        skip = 0
        page.rows += part.rows
        page.keys += part.keys
        if len(page) >= limit:
            break
    if reverse:
        page.rows.reverse()
        page.keys.reverse()
    return page


def _count(conn: Any, flt: TaskFilter, seg: Segment, where: str, params: dict[str, object], *, up_to: int) -> int:
    """The segment's size, counted no further than ``up_to`` + 1 rows (a jump skips at most that many)."""
    inner = f"SELECT 1 FROM {count_from(flt)} WHERE ({where}) AND ({seg.where}) LIMIT :up_to"
    return int(rows(conn, f"SELECT COUNT(*) FROM ({inner}) AS counted", dict(params, up_to=up_to + 1))[0][0])


LONG_SKIP = 2000


def _skip_by_lead(conn: Any, flt: TaskFilter, seg: Segment, where: str, params: dict[str, object],
                  skip: int) -> tuple[tuple[str, dict[str, object]] | None, int]:
    """Skip most of ``skip`` rows on the leading key alone: find its value at that position and count the
    rows before that value (both walk the key's index, joining only what the filter needs); the rest of
    the skip then happens among the rows sharing that value. Returns (condition, rows still to skip)."""
    lead, desc = seg.keys[0]
    source = f"{count_from(flt)} WHERE ({where}) AND ({seg.where}) AND {lead} BETWEEN :low AND :high"
    params = dict(params, low=LOW, high=HIGH, skip=skip)
    found = rows(conn, f"SELECT {lead} FROM {source} ORDER BY {lead}{' DESC' if desc else ''} LIMIT 1 OFFSET :skip",
                 params)
    if not found:
        return None, skip
    params["lead"] = found[0][0]
    before = rows(conn, f"SELECT COUNT(*) FROM {source} AND {lead} {'>' if desc else '<'} :lead", params)[0][0]
    return (f"{lead} {'<=' if desc else '>='} :lead", {"lead": found[0][0]}), skip - int(before)
