"""A virtual task table: renders only the visible lines, rows paged from SQL in worker threads.

The table never holds the whole result: it knows the row count (from ``count_tasks``) and keeps
a small cache of pages (``PAGE_SIZE`` rows, loaded with LIMIT/OFFSET). A line whose page is not
loaded yet shows a placeholder and asks for the page; the page arrives as a message.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events, on
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.store.filters import TaskFilter
from tracker.store.queries import Counts, TaskRow
from tracker.tui.context import AppContext
from tracker.tui.widgets.cells import fit
from tracker.tui.widgets.task_columns import (
    Column,
    layout_columns,
    row_cells,
    row_segments,
)
from tracker.tui.widgets.task_pages import (
    PAGE_SIZE,
    Counted,
    FirstPage,
    PageLoaded,
    ReadFailed,
    read_counts,
    read_first_page,
    read_page,
)
from tracker.tui.widgets.task_row_cache import RowCache


class TaskTable(ScrollView, can_focus=True):
    """The home screen's table of tasks for a :class:`TaskFilter`."""

    COMPONENT_CLASSES = {
        "task-table--header",
        "task-table--cursor",
        "task-table--overdue",
        "task-table--soon",
        "task-table--done",
        "task-table--blocked",
        "task-table--marked",
        "task-table--loading",
    }

    BINDINGS = [
        Binding("up,k", "cursor_up", "上移", show=False),
        Binding("down,j", "cursor_down", "下移", show=False),
        Binding("pageup", "page_up", "上一页", show=False),
        Binding("pagedown", "page_down", "下一页", show=False),
        Binding("home,g", "first", "首行", show=False),
        Binding("end,G", "last", "末行", show=False),
        Binding("space", "toggle_mark", "标记", show=True, key_display="空格"),
        Binding("enter", "select", "详情", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    # ------------------------------------------------------------------ messages
    class Reloaded(Message):
        """A reload finished: the counts for the filter and the generation they belong to."""

        def __init__(self, table: TaskTable, counts: Counts) -> None:
            super().__init__()
            self.table = table
            self.counts = counts

    class Highlighted(Message):
        def __init__(self, table: TaskTable, row: TaskRow | None) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class Selected(Message):
        def __init__(self, table: TaskTable, row: TaskRow) -> None:
            super().__init__()
            self.table = table
            self.row = row

    class MarksChanged(Message):
        def __init__(self, table: TaskTable, count: int) -> None:
            super().__init__()
            self.table = table
            self.count = count

    # ------------------------------------------------------------------ state
    def __init__(self, ctx: AppContext, *, name: str | None = None, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.ctx = ctx
        self.filter = TaskFilter()
        self.sort = "late"
        self.total = 0
        self.counts = Counts()
        self.loaded_once = False
        self._generation = 0
        self._rows = RowCache()
        self._counted = False
        self._count_generation = 0  # counts are read again only when the filter or the data change
        self._counts_filter: TaskFilter | None = None
        self._first_page_in = False
        self.marked: dict[int, TaskRow] = {}
        self.several_documents = False  # set by the screen: adds the 文件 column
        self.max_id = 0  # the largest task id, read with the counts: the 编号 column's width

    # ------------------------------------------------------------------ loading
    def load(self, flt: TaskFilter | None = None, sort: str | None = None, *, keep_cursor: bool = False) -> None:
        """Show ``flt`` (or reload the current filter). Old rows stay on screen until new ones arrive.

        The count and the first page are read in parallel (two threads, two connections): the rows
        appear as soon as their page is read, the header as soon as the count is.
        """
        if flt is not None:
            self.filter = flt
        if sort is not None:
            self.sort = sort
        self._generation += 1
        self._first_page_in = False
        # the counts depend on the filter and the data, never on the order: a new sort keeps them
        recount = keep_cursor or self._counts_filter != self.filter
        if recount:
            self._count_generation += 1
            self._counts_filter = self.filter
            self._counted = False
        current = self.current_row
        keep_id = current.id if (keep_cursor and current) else None
        hint = self.cursor if keep_cursor else 0
        page = hint // PAGE_SIZE
        self._rows.pending.clear()
        gen, flt, sort = self._generation, self.filter, self.sort
        if recount:
            count_gen = self._count_generation
            self.run_worker(lambda: self._count_thread(count_gen, flt), thread=True, exclusive=True,
                            group="task-table-count", name="task-table-count")
        self.run_worker(lambda: self.post_message(read_first_page(self.ctx, gen, flt, sort, page, keep_id, hint)),
                        thread=True,
                        exclusive=True, group="task-table-first", name="task-table-first")

    def _count_thread(self, generation: int, flt: TaskFilter) -> None:
        message = read_counts(self.ctx, generation, flt)
        if isinstance(message, ReadFailed):
            if generation != self._count_generation:
                return
            message.generation = self._generation
        self.post_message(message)

    def _request_page(self, page: int) -> None:
        rows = self._rows
        if page in rows.pages or page in rows.pending or page < 0 or page * PAGE_SIZE >= self.total:
            return
        anchor = rows.anchor(page, self.total if self._counted else None)
        if anchor is None:
            return  # asked again when the neighbouring page or the count arrives (the table repaints)
        rows.pending.add(page)
        gen, flt, sort = self._generation, self.filter, self.sort
        self.run_worker(lambda: self.post_message(read_page(self.ctx, gen, flt, sort, page, anchor)), thread=True,
                        group="task-table-page", name=f"task-table-page-{page}")

    @on(Counted)
    def _on_counted(self, message: Counted) -> None:
        message.stop()
        if message.generation != self._count_generation:
            return
        self._counted = True
        self.counts = message.counts
        self.max_id = message.max_id
        self.total = message.counts.total
        self.virtual_size = Size(self.size.width, self.total + 1)
        if self.cursor >= self.total:
            self.cursor = max(0, self.total - 1)
        self.loaded_once = self.loaded_once or self._first_page_in
        self.refresh()
        self.post_message(self.Reloaded(self, self.counts))

    @on(FirstPage)
    def _on_first_page(self, message: FirstPage) -> None:
        message.stop()
        if message.generation != self._generation:
            return
        self._rows.reset(message.page, message.rows, message.keys)
        self._first_page_in = True
        if not self._counted:
            # provisional size until the count arrives (a few milliseconds later)
            self.total = message.page * PAGE_SIZE + len(message.rows)
            self.virtual_size = Size(self.size.width, self.total + 1)
        else:
            self.loaded_once = True
        cursor = message.hint
        if message.keep_id is not None:
            for i, row in enumerate(message.rows):
                if row.id == message.keep_id:
                    cursor = message.page * PAGE_SIZE + i
        for row in message.rows:
            if row.id in self.marked:
                self.marked[row.id] = row
        self.cursor = max(0, min(cursor, self.total - 1))
        self.refresh()

    @on(PageLoaded)
    def _on_page_loaded(self, message: PageLoaded) -> None:
        message.stop()
        if message.generation != self._generation:
            self._rows.pending.discard(message.page)
            return
        self._rows.put(message.page, message.rows, message.keys, self.cursor)
        for row in message.rows:
            if row.id in self.marked:
                self.marked[row.id] = row
        self.refresh()
        if self.cursor // PAGE_SIZE == message.page:
            self.post_message(self.Highlighted(self, self.current_row))

    @on(ReadFailed)
    def _on_failed(self, message: ReadFailed) -> None:
        message.stop()
        if message.generation == self._generation:
            self.notify(f"读取任务失败：{message.error}", severity="error", timeout=8)

    # ------------------------------------------------------------------ rows
    def row_at(self, index: int) -> TaskRow | None:
        if index < 0 or index >= self.total:
            return None
        return self._rows.row_at(index)

    @property
    def current_row(self) -> TaskRow | None:
        return self.row_at(self.cursor)

    def replace_row(self, row: TaskRow) -> None:
        """Put a freshly read row in place (after a write or a refused write)."""
        self._rows.replace(row)
        if row.id in self.marked:
            self.marked[row.id] = row
        self.refresh()

    # ------------------------------------------------------------------ cursor
    @property
    def body_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def watch_cursor(self, old: int, new: int) -> None:
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current_row))

    def _scroll_cursor_into_view(self) -> None:
        top = round(self.scroll_y)
        height = self.body_height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, force=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, force=True)

    def move_cursor(self, index: int) -> None:
        if self.total:
            self.cursor = max(0, min(index, self.total - 1))

    def action_cursor_up(self) -> None:
        self.move_cursor(self.cursor - 1)

    def action_cursor_down(self) -> None:
        self.move_cursor(self.cursor + 1)

    def action_page_up(self) -> None:
        self.move_cursor(self.cursor - self.body_height)

    def action_page_down(self) -> None:
        self.move_cursor(self.cursor + self.body_height)

    def action_first(self) -> None:
        self.move_cursor(0)

    def action_last(self) -> None:
        self.move_cursor(self.total - 1)

    def action_select(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Selected(self, row))

    def action_toggle_mark(self) -> None:
        row = self.current_row
        if row is None:
            return
        if row.id in self.marked:
            del self.marked[row.id]
        else:
            self.marked[row.id] = row
        self.post_message(self.MarksChanged(self, len(self.marked)))
        self.move_cursor(self.cursor + 1)
        self.refresh()

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            self.post_message(self.MarksChanged(self, 0))
            self.refresh()

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = round(self.scroll_y) + event.y - 1
        if 0 <= index < self.total:
            self.cursor = index
            if event.chain >= 2:
                self.action_select()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, self.total + 1)

    # ------------------------------------------------------------------ rendering
    def layout_columns(self, width: int) -> list[tuple[Column, int]]:
        """Columns that fit in ``width`` cells and their widths (title takes what is left)."""
        return layout_columns(width, documents=self.several_documents, max_id=self.max_id)

    def _cells(self, row: TaskRow) -> dict[str, str]:
        return row_cells(row, self.ctx, marked=row.id in self.marked)

    def _row_style(self, row: TaskRow, index: int) -> Style:
        base = self.rich_style
        today = self.ctx.today
        if row.status in ("done", "dropped"):
            base += self.get_component_rich_style("task-table--done", partial=True)
        elif row.is_overdue(today):
            base += self.get_component_rich_style("task-table--overdue", partial=True)
        elif row.is_due_soon(today, self.ctx.due_soon_days):
            base += self.get_component_rich_style("task-table--soon", partial=True)
        if row.id in self.marked:
            base += self.get_component_rich_style("task-table--marked", partial=True)
        if index == self.cursor and self.has_focus:
            base += self.get_component_rich_style("task-table--cursor", partial=True)
        elif index == self.cursor:
            base += self.get_component_rich_style("task-table--cursor", partial=True) + Style(dim=False)
        return base

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        columns = self.layout_columns(width)
        if y == 0:
            style = self.rich_style + self.get_component_rich_style("task-table--header", partial=True)
            text = " ".join(fit(c.label, w, c.align) for c, w in columns)
            text += " " * max(0, width - cell_len(text))
            return Strip([Segment(text, style)], width).crop(0, width)
        index = round(self.scroll_y) + y - 1
        if index >= self.total:
            if index == 0 and self.loaded_once:
                return Strip([Segment(fit("  没有符合筛选条件的任务。按 c 清除筛选。", width), self.rich_style)], width)
            return Strip.blank(width, self.rich_style)
        row = self.row_at(index)
        if row is None:
            self.call_later(self._request_page, index // PAGE_SIZE)
            style = self.rich_style + self.get_component_rich_style("task-table--loading", partial=True)
            return Strip([Segment(fit("  …加载中", width), style)], width)
        # prefetch the neighbouring page when close to its edge
        offset = index % PAGE_SIZE
        if offset > PAGE_SIZE - 60:
            self.call_later(self._request_page, index // PAGE_SIZE + 1)
        elif offset < 60 and index >= PAGE_SIZE:
            self.call_later(self._request_page, index // PAGE_SIZE - 1)
        style = self._row_style(row, index)
        cell_styles = {}
        if row.status == "blocked":
            cell_styles["status"] = style + self.get_component_rich_style("task-table--blocked", partial=True)
        if row.id in self.marked:
            cell_styles["mark"] = style + Style(bold=True)
        segments = row_segments(columns, self._cells(row), style, cell_styles, width)
        return Strip(segments, width).crop(0, width)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

