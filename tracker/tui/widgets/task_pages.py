"""Reading the task table's rows in pages: the reads run in worker threads and answer with a message.

A page is read by key from a neighbouring page already in memory (the row after the last one, the row
before the first one: :mod:`tracker.store.task_keyset`), from the end of the list (End), or, with no
neighbour at hand (a jump with the scroll bar, a reload deep in the list), by position from the nearer end.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from tracker.store import task_keyset
from tracker.store.app_queries import max_task_id, quick_counts
from tracker.store.filters import TaskFilter
from tracker.store.queries import Counts, TaskRow
from tracker.tui.context import AppContext

PAGE_SIZE = 200


@dataclass(frozen=True)
class Anchor:
    """How to find a page: ``after``/``before`` a row's key, ``end`` (the last ``size`` rows) or ``at`` a position."""

    how: str
    key: tuple | None = None
    size: int = PAGE_SIZE
    total: int = 0


class PageLoaded(Message):
    def __init__(self, generation: int, page: int, rows: list[TaskRow], keys: list[tuple]) -> None:
        super().__init__()
        self.generation = generation
        self.page = page
        self.rows = rows
        self.keys = keys


class Counted(Message):
    def __init__(self, generation: int, counts: Counts, max_id: int = 0) -> None:
        super().__init__()
        self.generation = generation
        self.counts = counts
        self.max_id = max_id  # sizes the 编号 column


class FirstPage(Message):
    def __init__(self, generation: int, page: int, rows: list[TaskRow], keys: list[tuple], keep_id: int | None,
                 hint: int) -> None:
        super().__init__()
        self.generation = generation
        self.page = page
        self.rows = rows
        self.keys = keys
        self.keep_id = keep_id
        self.hint = hint


class ReadFailed(Message):
    def __init__(self, generation: int, error: Exception) -> None:
        super().__init__()
        self.generation = generation
        self.error = error


def read_counts(ctx: AppContext, generation: int, flt: TaskFilter) -> Counted | ReadFailed:
    try:
        with ctx.db.read_tx() as conn:
            counts = quick_counts(conn, flt, ctx.today, ctx.due_soon_days)
            max_id = max_task_id(conn)
    except Exception as exc:  # noqa: BLE001 - shown to the user, never crash the app on a read
        return ReadFailed(generation, exc)
    return Counted(generation, counts, max_id)


def read_first_page(ctx: AppContext, generation: int, flt: TaskFilter, sort: str, page: int, keep_id: int | None,
                    hint: int) -> FirstPage | ReadFailed:
    """The page holding row ``hint`` (page 0 for a new filter; the cursor's page on a reload)."""
    config = ctx.config
    try:
        with ctx.db.read_tx() as conn:
            found = task_keyset.Page()
            if page:
                total = quick_counts(conn, flt, ctx.today, ctx.due_soon_days).total
                found = task_keyset.page_at(conn, flt, ctx.today, sort, page * PAGE_SIZE, PAGE_SIZE, total,
                                            config=config)
            if not found.rows:  # page 0, or the list shrank below the cursor: show its start
                page = 0
                found = task_keyset.page_after(conn, flt, ctx.today, sort, None, PAGE_SIZE, config=config)
    except Exception as exc:  # noqa: BLE001
        return ReadFailed(generation, exc)
    return FirstPage(generation, page, found.rows, found.keys, keep_id, hint)


def read_page(ctx: AppContext, generation: int, flt: TaskFilter, sort: str, page: int,
              anchor: Anchor) -> PageLoaded | ReadFailed:
    config, today = ctx.config, ctx.today
    try:
        with ctx.db.read_tx() as conn:
            if anchor.how == "after":
                found = task_keyset.page_after(conn, flt, today, sort, anchor.key, anchor.size, config=config)
            elif anchor.how == "before":
                found = task_keyset.page_before(conn, flt, today, sort, anchor.key, anchor.size, config=config)
            elif anchor.how == "end":
                found = task_keyset.page_before(conn, flt, today, sort, None, anchor.size, config=config)
            else:
                found = task_keyset.page_at(conn, flt, today, sort, page * PAGE_SIZE, anchor.size, anchor.total,
                                            config=config)
    except Exception as exc:  # noqa: BLE001
        return ReadFailed(generation, exc)
    return PageLoaded(generation, page, found.rows, found.keys)
