"""The task table's rows in memory: a few pages of ``PAGE_SIZE`` rows around the cursor, never the whole list."""

from __future__ import annotations

from collections import OrderedDict

from tracker.store.queries import TaskRow
from tracker.tui.widgets.task_pages import PAGE_SIZE, Anchor

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

    def anchor(self, page: int, total: int | None) -> Anchor | None:
        """How to read ``page``: by key from a neighbour in memory, from the end, or by position
        (``total``: the counted rows, None while the count is being read). None: ask again later."""
        if page == 0:
            return Anchor("after")
        if self.keys.get(page - 1):
            return Anchor("after", self.keys[page - 1][-1])
        if self.keys.get(page + 1):
            return Anchor("before", self.keys[page + 1][0])
        if total is None:
            return None
        last = (total - 1) // PAGE_SIZE
        if page == last:
            return Anchor("end", size=total - last * PAGE_SIZE)
        if page - 1 in self.pending or page + 1 in self.pending:
            return None  # a neighbour is on its way: read this one by key after it
        return Anchor("at", total=total)
