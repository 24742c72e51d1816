"""The task table's rows in memory: a few pages of ``PAGE_SIZE`` rows around the cursor, never the whole list."""

from __future__ import annotations

from collections import OrderedDict

from tracker.store.queries import TaskRow
from tracker.tui.widgets.task_pages import PAGE_SIZE

MAX_PAGES = 40


class RowCache:
    """Pages of rows by page number, the pages being read, and the eviction of pages far from the cursor."""

    def __init__(self) -> None:
        self.pages: OrderedDict[int, list[TaskRow]] = OrderedDict()
        self.keys: dict[int, list[tuple]] = {}  # each row's sort key: where the next page starts
        self.pending: set[int] = set()

    def reset(self, page: int | None = None, rows: list[TaskRow] | None = None, keys: list[tuple] | None = None) -> None:
        """Forget every page (keep ``page`` holding ``rows`` when given)."""
        self.pages = OrderedDict() if page is None else OrderedDict({page: rows or []})
        self.keys = {} if page is None else {page: keys or []}

    def put(self, page: int, rows: list[TaskRow], keys: list[tuple], cursor: int) -> None:
        self.pending.discard(page)
        self.pages[page] = rows
        self.keys[page] = keys
        self.evict(cursor)

    def evict(self, cursor: int) -> None:
        centre = cursor // PAGE_SIZE
        while len(self.pages) > MAX_PAGES:
            far = max(self.pages, key=lambda p: abs(p - centre))
            del self.pages[far]
            self.keys.pop(far, None)

    def row_at(self, index: int) -> TaskRow | None:
        page = self.pages.get(index // PAGE_SIZE)
        if page is None:
            return None
        offset = index % PAGE_SIZE
        return page[offset] if offset < len(page) else None

    def replace(self, row: TaskRow) -> None:
        """Put a freshly read row in place of the one with its id."""
        for rows in self.pages.values():
            for i, old in enumerate(rows):
                if old.id == row.id:
                    rows[i] = row
