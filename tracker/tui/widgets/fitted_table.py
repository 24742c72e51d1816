"""A row table whose columns fit its width: each column as wide as its widest cell (up to a cap), the text
columns narrow first, then the least needed columns leave; a cut cell ends with an ellipsis.

Rows are keyed (``str`` key); Enter posts :class:`FittedTable.RowChosen` with the key.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widgets import DataTable

from tracker.tui.widgets.cells import fit


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    cap: int  # never wider than this
    narrowest: int = 0  # a text column that may narrow down to this; 0: keeps its width
    leaves: int = 0  # leaves when the table is too narrow, higher first; 0: always shown


@dataclass(frozen=True)
class Cell:
    text: str
    style: str = ""


class FittedTable(DataTable):
    DEFAULT_CSS = """
    FittedTable { height: 1fr; }
    """

    class RowChosen(Message):
        def __init__(self, table: FittedTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

        @property
        def control(self) -> FittedTable:
            return self.table

    def __init__(self, columns: list[Column], *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.columns_spec = columns
        self.rows_shown: list[tuple[str, dict[str, Cell]]] = []
        self.widths: dict[str, int] = {}
        self._laid_out_for = -1

    # ------------------------------------------------------------------ layout
    def fit_widths(self, available: int) -> dict[str, int]:
        """The columns shown in ``available`` cells and their widths (each column adds two cells of padding)."""
        widths: dict[str, int] = {}
        for col in self.columns_spec:
            widest = max([cell_len(col.heading)] + [cell_len(cells[col.key].text) for _, cells in self.rows_shown
                                                    if col.key in cells])
            widths[col.key] = min(col.cap, widest)
        natural = dict(widths)
        spec = {c.key: c for c in self.columns_spec}

        def excess() -> int:
            return sum(w + 2 for w in widths.values()) - available

        while excess() > 0:  # the text columns narrow, widest first
            flexible = [k for k, w in widths.items() if spec[k].narrowest and w > spec[k].narrowest]
            if not flexible:
                break
            widest = max(flexible, key=lambda k: widths[k])
            widths[widest] = max(spec[widest].narrowest, widths[widest] - excess())
        while excess() > 0:  # then the least needed columns leave
            leaving = [k for k in widths if spec[k].leaves]
            if not leaving:
                break
            del widths[max(leaving, key=lambda k: spec[k].leaves)]
        while excess() > 0 and len(widths) > 1:  # still too wide: the last column is cut
            last = list(widths)[-1]
            if widths[last] - excess() >= 4:
                widths[last] -= excess()
            else:
                del widths[last]
        for key, width in widths.items():  # room left by a column that left: the narrowed columns take it back
            if excess() >= 0:
                break
            widths[key] = min(natural[key], width - excess())
        return widths

    def on_resize(self, event: events.Resize) -> None:
        self._layout()

    def _available(self) -> int:
        return self.scrollable_content_region.width - 2  # room for the scrollbar

    def _layout(self, force: bool = False) -> None:
        available = self._available()
        if available <= 0 or (available == self._laid_out_for and not force):
            return
        self._laid_out_for = available
        widths = self.fit_widths(available)
        keep = self.current_key
        if widths != self.widths or force:
            self.widths = widths
            self.clear(columns=True)
            titles = {c.key: c.heading for c in self.columns_spec}
            for key, width in widths.items():
                self.add_column(fit(titles[key], width), width=width, key=key)
        else:
            self.clear()
        for row_key, cells in self.rows_shown:
            self.add_row(*(self._cell(cells.get(k), w) for k, w in widths.items()), key=row_key)
        self.select_key(keep)

    @staticmethod
    def _cell(cell: Cell | None, width: int) -> Text:
        if cell is None:
            return Text("")
        return Text(fit(cell.text, width), style=cell.style)

    # ------------------------------------------------------------------ rows
    def show(self, rows: list[tuple[str, dict[str, Cell]]]) -> None:
        """Show ``rows``: (key, cells by column key). The cursor stays on the same key when it is still there."""
        self.rows_shown = list(rows)
        self._layout(force=True)

    @property
    def current_key(self) -> str | None:
        if not self.rows_shown or self.cursor_row >= len(self.rows_shown) or self.cursor_row < 0:
            return None
        return self.rows_shown[self.cursor_row][0]

    def select_key(self, key: str | None) -> None:
        keys = [k for k, _ in self.rows_shown]
        if key in keys:
            self.move_cursor(row=keys.index(key), animate=False)
        elif keys:
            self.move_cursor(row=min(self.cursor_row, len(keys) - 1), animate=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.RowChosen(self, event.row_key.value))
