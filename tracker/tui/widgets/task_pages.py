"""Reading the task table's rows in pages: the reads run in worker threads and answer with a message."""

from __future__ import annotations

from textual.message import Message

from tracker.store import queries
from tracker.store.app_queries import max_task_id
from tracker.store.engine import read_tx
from tracker.store.filters import TaskFilter
from tracker.store.queries import Counts, TaskRow
from tracker.tui.context import AppContext

PAGE_SIZE = 200


class PageLoaded(Message):
    def __init__(self, generation: int, page: int, rows: list[TaskRow]) -> None:
        super().__init__()
        self.generation = generation
        self.page = page
        self.rows = rows


class Counted(Message):
    def __init__(self, generation: int, counts: Counts, max_id: int = 0) -> None:
        super().__init__()
        self.generation = generation
        self.counts = counts
        self.max_id = max_id  # sizes the 编号 column


class FirstPage(Message):
    def __init__(self, generation: int, page: int, rows: list[TaskRow], keep_id: int | None, hint: int) -> None:
        super().__init__()
        self.generation = generation
        self.page = page
        self.rows = rows
        self.keep_id = keep_id
        self.hint = hint


class ReadFailed(Message):
    def __init__(self, generation: int, error: Exception) -> None:
        super().__init__()
        self.generation = generation
        self.error = error


def read_counts(ctx: AppContext, generation: int, flt: TaskFilter) -> Counted | ReadFailed:
    try:
        with read_tx(ctx.engine) as conn:
            counts = queries.count_tasks(conn, flt, ctx.today, ctx.due_soon_days)
            max_id = max_task_id(conn)
    except Exception as exc:  # noqa: BLE001 - shown to the user, never crash the app on a read
        return ReadFailed(generation, exc)
    return Counted(generation, counts, max_id)


def read_first_page(ctx: AppContext, generation: int, flt: TaskFilter, sort: str, page: int, keep_id: int | None,
                    hint: int) -> FirstPage | ReadFailed:
    try:
        with read_tx(ctx.engine) as conn:
            rows = queries.list_tasks(conn, flt, ctx.today, sort=sort, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
            if not rows and page:  # the list shrank below the cursor: show its end
                page = 0
                rows = queries.list_tasks(conn, flt, ctx.today, sort=sort, limit=PAGE_SIZE)
    except Exception as exc:  # noqa: BLE001
        return ReadFailed(generation, exc)
    return FirstPage(generation, page, rows, keep_id, hint)


def read_page(ctx: AppContext, generation: int, flt: TaskFilter, sort: str, page: int) -> PageLoaded | ReadFailed:
    try:
        with read_tx(ctx.engine) as conn:
            rows = queries.list_tasks(conn, flt, ctx.today, sort=sort, limit=PAGE_SIZE, offset=page * PAGE_SIZE)
    except Exception as exc:  # noqa: BLE001
        return ReadFailed(generation, exc)
    return PageLoaded(generation, page, rows)
