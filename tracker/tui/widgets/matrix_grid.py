"""The responsibility matrix: measures (rows) × units (columns), drawn with the Line API.

Only the visible lines are rendered, and only the rows in view are held (:class:`PagedMatrix`): the grid
asks for a block of rows (:class:`MatrixGrid.NeedRows`) when one comes into view.
The header (unit names written top to bottom) and the first column (measure code and title)
stay in place while the cells scroll both ways.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.config import ROLE_LABELS
from tracker.store.matrix_reads import MatrixWindow
from tracker.store.queries import MatrixCell
from tracker.tui.widgets.matrix_rows import BLOCK, PagedMatrix
from tracker.tui.widgets.matrix_style import ELLIPSIS, fit, state_style, truncate

CELL_WIDTH = 4  # one CJK character (2 cells) centred in 4
NAME_ROWS = 6  # unit names are written vertically, up to this many characters
ROLE_MARKS = {"lead": "牵", "support": "配"}


def _header_name(name: str, kind: str) -> str:
    """Column heading: district bureaus drop their common ``区`` prefix (the status line shows the full name)."""
    if kind == "agency" and name.startswith("区") and len(name) > 2:
        return name[1:]
    return name


class MatrixGrid(ScrollView, can_focus=True):
    """Cursor over a :class:`PagedMatrix`; Enter selects the cell's task."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(0, -1)", "上", show=False),
        Binding("down", "cursor(0, 1)", "下", show=False),
        Binding("left", "cursor(-1, 0)", "左", show=False),
        Binding("right", "cursor(1, 0)", "右", show=False),
        Binding("pageup", "page(-1)", "上一页", show=False),
        Binding("pagedown", "page(1)", "下一页", show=False),
        Binding("home", "cursor_home", "第一列", show=False),
        Binding("end", "cursor_end", "最后一列", show=False),
        Binding("ctrl+home", "cursor_top", "第一行", show=False),
        Binding("ctrl+end", "cursor_bottom", "最后一行", show=False),
        Binding("enter", "select_cell", "打开任务"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "matrix-grid--header",
        "matrix-grid--header-cursor",
        "matrix-grid--fixed",
        "matrix-grid--fixed-cursor",
        "matrix-grid--empty",
        "matrix-grid--town",
    }

    DEFAULT_CSS = """
    MatrixGrid {
        background: $surface;
        color: $foreground;
        scrollbar-gutter: stable;
        & > .matrix-grid--header { color: $text-primary; text-style: bold; }
        & > .matrix-grid--header-cursor { background: $accent 40%; color: $text; text-style: bold; }
        & > .matrix-grid--fixed { color: $foreground; }
        & > .matrix-grid--fixed-cursor { background: $accent 40%; color: $text; text-style: bold; }
        & > .matrix-grid--empty { color: $foreground 25%; }
        & > .matrix-grid--town { color: $text-secondary; text-style: bold; }
    }
    """

    class CursorMoved(Message):
        """The cursor is on another cell (``cell`` is None where the unit has no task)."""

        def __init__(self, grid: MatrixGrid, row: int, column: int, cell: MatrixCell | None) -> None:
            super().__init__()
            self.grid = grid
            self.row = row
            self.column = column
            self.cell = cell

        @property
        def control(self) -> MatrixGrid:
            return self.grid

    class NeedRows(Message):
        """Rows of ``block`` came into view and are not read yet."""

        def __init__(self, grid: MatrixGrid, block: int) -> None:
            super().__init__()
            self.grid = grid
            self.block = block

    class CellSelected(Message):
        """Enter (or a second click) on a cell that holds a task."""

        def __init__(self, grid: MatrixGrid, task_id: int, measure_id: int, unit_id: int) -> None:
            super().__init__()
            self.grid = grid
            self.task_id = task_id
            self.measure_id = measure_id
            self.unit_id = unit_id

        @property
        def control(self) -> MatrixGrid:
            return self.grid

    def __init__(
        self,
        today: date,
        due_soon_days: int = 14,
        *,
        first_width: int = 34,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.today = today
        self.due_soon_days = due_soon_days
        self.first_width = first_width
        self.matrix = PagedMatrix()
        self.cursor_row = 0
        self.cursor_column = 0
        self._code_width = 8
        self._tag_width = 0  # the 文N tag before each row (only when the rows come from several documents)
        self._pending: set[int] = set()
        self.header_height = NAME_ROWS + 1

    # ------------------------------------------------------------------ data

    def set_matrix(self, matrix: PagedMatrix) -> None:
        """Show a new matrix; keep the cursor on the same measure and unit when they are still there.

        Rows are tagged with their document (文N) when the matrix spans several documents: measure codes
        such as 三（一） repeat from one document to the next.
        """
        old = self.matrix
        ids = getattr(old, "measure_ids", None)
        keep_measure = ids[self.cursor_row] if ids and self.cursor_row < len(ids) else None
        keep_unit = old.units[self.cursor_column][0] if old.units and self.cursor_column < len(old.units) else None
        self.matrix = matrix
        self._pending.clear()
        self._tag_width = matrix.tag_width
        self._code_width = matrix.code_width
        longest = max([len(_header_name(u[1], u[2])) for u in matrix.units] or [1])
        self.header_height = min(NAME_ROWS, longest) + 1
        row = matrix.index_of(keep_measure)
        col = next((i for i, u in enumerate(matrix.units) if u[0] == keep_unit), None)
        self.cursor_row = row if row is not None else min(self.cursor_row, max(0, len(matrix.measures) - 1))
        self.cursor_column = col if col is not None else min(self.cursor_column, max(0, len(matrix.units) - 1))
        self.virtual_size = Size(
            self.first_width + CELL_WIDTH * len(matrix.units), self.header_height + len(matrix.measures)
        )
        self.refresh()
        self._post_cursor()
        self.call_after_refresh(self._scroll_cursor_into_view)

    @property
    def several_documents(self) -> bool:
        return bool(self._tag_width)

    def add_rows(self, block: int, window: MatrixWindow) -> None:
        """A block of rows was read (see :class:`NeedRows`)."""
        self._pending.discard(block)
        self.matrix.add(block, window, self.cursor_row)
        self.refresh()
        if self.cursor_row // BLOCK == block:
            self._post_cursor()

    def _want(self, row: int) -> None:
        block = row // BLOCK
        if block not in self._pending and block not in self.matrix.blocks:
            self._pending.add(block)
            self.post_message(self.NeedRows(self, block))

    def _tag(self, mid: int) -> str:
        document = getattr(self.matrix, "document_of", {}).get(mid)
        return "" if document is None else f"文{document}"

    @property
    def current_cell(self) -> MatrixCell | None:
        measure, unit = self.current_measure, self.current_unit
        if measure is None or unit is None:
            return None
        return self.matrix.cells.get((measure[0], unit[0]))

    @property
    def current_measure(self) -> tuple[int, str, str] | None:
        """(measure id, code, title) under the cursor (None while its row is being read)."""
        return self.matrix.measures[self.cursor_row] if len(self.matrix.measures) else None

    @property
    def current_unit(self) -> tuple[int, str, str] | None:
        return self.matrix.units[self.cursor_column] if self.matrix.units else None

    # ------------------------------------------------------------------ cursor

    def move_cursor(self, row: int | None = None, column: int | None = None) -> None:
        rows, cols = len(self.matrix.measures), len(self.matrix.units)
        if not rows or not cols:
            return
        new_row = max(0, min(rows - 1, self.cursor_row if row is None else row))
        new_col = max(0, min(cols - 1, self.cursor_column if column is None else column))
        if (new_row, new_col) == (self.cursor_row, self.cursor_column):
            return
        old_row = self.cursor_row
        self.cursor_row, self.cursor_column = new_row, new_col
        before = self.scroll_offset
        self._scroll_cursor_into_view()
        if self.scroll_offset == before:
            # no scroll: repaint only the header and the two rows involved
            self.refresh_lines(int(self.scroll_y), self.header_height)
            for row in {old_row, new_row}:
                self.refresh_lines(self.header_height + row, 1)  # virtual line of that row
        # (a scroll repaints everything through ScrollView's watchers)
        self._post_cursor()

    def _post_cursor(self) -> None:
        self.post_message(self.CursorMoved(self, self.cursor_row, self.cursor_column, self.current_cell))

    def _scroll_cursor_into_view(self) -> None:
        if not self.matrix.measures or not self.matrix.units:
            return
        region = Region(
            self.first_width + self.cursor_column * CELL_WIDTH,
            self.header_height + self.cursor_row,
            CELL_WIDTH,
            1,
        )
        spacing = Spacing(self.header_height, 0, 0, self.first_width)
        self.scroll_to_region(region, animate=False, spacing=spacing, force=True, immediate=True)

    def action_cursor(self, dx: int, dy: int) -> None:
        self.move_cursor(self.cursor_row + dy, self.cursor_column + dx)

    def action_page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - self.header_height - 1)
        self.move_cursor(self.cursor_row + direction * page)

    def action_cursor_home(self) -> None:
        self.move_cursor(column=0)

    def action_cursor_end(self) -> None:
        self.move_cursor(column=len(self.matrix.units) - 1)

    def action_cursor_top(self) -> None:
        self.move_cursor(row=0)

    def action_cursor_bottom(self) -> None:
        self.move_cursor(row=len(self.matrix.measures) - 1)

    def action_select_cell(self) -> None:
        cell = self.current_cell
        if cell is None:
            return
        mid = self.current_measure[0]  # type: ignore[index] - a cell implies its row
        uid = self.matrix.units[self.cursor_column][0]
        self.post_message(self.CellSelected(self, cell.task_id, mid, uid))

    def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        x, y = offset
        row = y - self.header_height + int(self.scroll_y) if y >= self.header_height else None
        col = (x - self.first_width + int(self.scroll_x)) // CELL_WIDTH if x >= self.first_width else None
        if row is not None and row >= len(self.matrix.measures):
            return
        if col is not None and col >= len(self.matrix.units):
            return
        same = (row in (None, self.cursor_row)) and (col in (None, self.cursor_column))
        self.move_cursor(row, col)
        if same and row is not None and col is not None:
            self.action_select_cell()

    # ------------------------------------------------------------------ rendering

    def render_lines(self, crop: Region) -> list[Strip]:
        # resolve the component styles once per paint, not once per line
        self._styles = {name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES}
        self._base = self.rich_style
        return super().render_lines(crop)

    def _style(self, name: str) -> Style:
        styles = getattr(self, "_styles", None)
        if styles is None:
            return self.get_component_rich_style(name)
        return styles[name]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = getattr(self, "_base", None) or self.rich_style
        if y < self.header_height:
            strip = self._header_line(y, width, base)
        else:
            row = y - self.header_height + int(self.scroll_y)
            if row >= len(self.matrix.measures):
                return Strip.blank(width, base)
            strip = self._row_line(row, width, base)
        return strip.adjust_cell_length(width, base).simplify()

    def _visible_columns(self, width: int) -> tuple[range, int, int]:
        """Units in view, the cell offset into the first of them, and the width left of the fixed column."""
        avail = max(0, width - self.first_width)
        scroll_x = int(self.scroll_x)
        first = scroll_x // CELL_WIDTH
        last = min(len(self.matrix.units), (scroll_x + avail) // CELL_WIDTH + 1)
        return range(first, last), scroll_x % CELL_WIDTH, avail

    def _scrolled(self, segments: list[Segment], skip: int, avail: int, base: Style) -> Strip:
        return Strip(segments).crop_extend(skip, skip + avail, base)

    def _header_line(self, y: int, width: int, base: Style) -> Strip:
        header = base + self._style("matrix-grid--header")
        header_cursor = base + self._style("matrix-grid--header-cursor")
        town = base + self._style("matrix-grid--town")
        last = y == self.header_height - 1
        if last:
            tag = fit("文件", self._tag_width) + " " if self._tag_width else ""
            corner = fit(f"{tag}{'措施':<{self._code_width - 2}} 标题", self.first_width)
            fixed = [Segment(corner, header)]
        elif y == 0:
            fixed = [Segment(fit(f"{len(self.matrix.measures)} 项措施 × {len(self.matrix.units)} 个单位", self.first_width), header)]
        elif y == 1:
            fixed = [Segment(fit("牵 牵头单位   配 配合单位", self.first_width), base)]
        else:
            fixed = [Segment(" " * self.first_width, base)]
        columns, skip, avail = self._visible_columns(width)
        rows = self.header_height - 1
        segments: list[Segment] = []
        for c in columns:
            uid, name, kind = self.matrix.units[c]
            style = header_cursor if c == self.cursor_column else (town if kind == "town" else header)
            if last:
                text = "─" * CELL_WIDTH
                style = header_cursor if c == self.cursor_column else base
            else:
                chars = list(_header_name(name, kind))
                if len(chars) > rows:
                    chars = chars[: rows - 1] + [ELLIPSIS]
                text = fit(chars[y] if y < len(chars) else "", CELL_WIDTH, "center")
            segments.append(Segment(text, style))
        return Strip(fixed) + self._scrolled(segments, skip, avail, base)

    def _row_line(self, row: int, width: int, base: Style) -> Strip:
        measure = self.matrix.measures[row]
        is_cursor_row = row == self.cursor_row
        fixed_style = base + self._style("matrix-grid--fixed-cursor" if is_cursor_row else "matrix-grid--fixed")
        if measure is None:  # not read yet: ask for its block, show where it will be
            self.call_later(self._want, row)
            return Strip([Segment(fit("  …加载中", self.first_width), fixed_style)])
        mid, code, title = measure
        tag = fit(self._tag(mid), self._tag_width) + " " if self._tag_width else ""
        room = self.first_width - cell_len(tag) - self._code_width - 2
        label = tag + fit(code, self._code_width) + " " + truncate(title, room)
        fixed = [Segment(fit(label, self.first_width), fixed_style)]
        empty = base + self._style("matrix-grid--empty")
        columns, skip, avail = self._visible_columns(width)
        cells = self.matrix.cells
        segments: list[Segment] = []
        for c in columns:
            uid = self.matrix.units[c][0]
            cell = cells.get((mid, uid))
            is_cursor = is_cursor_row and c == self.cursor_column
            if cell is None:
                style = empty + Style(reverse=True) if is_cursor else empty
                segments.append(Segment(" ·  ", style))
                continue
            style = base + state_style(cell.status, cell.due, self.today, self.due_soon_days)
            if is_cursor:
                style += Style(reverse=True, bold=True)
            segments.append(Segment(" " + ROLE_MARKS.get(cell.role, "?") + " ", style))
        return Strip(fixed) + self._scrolled(segments, skip, avail, base)

    def describe_cursor(self) -> str:
        """The cursor cell in words (for the screen's status line)."""
        m, u, cell = self.current_measure, self.current_unit, self.current_cell
        if m is None or u is None:
            return ""
        if cell is None:
            return f"{m[1]} {m[2]} × {u[1]}：无任务"
        return f"{m[1]} {m[2]} × {u[1]}：{ROLE_LABELS.get(cell.role, cell.role)}"
