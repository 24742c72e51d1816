"""A compact task table for the by-unit and by-measure screens.

Cells are pre-fitted to fixed column widths in terminal cells, so Chinese text lines up and rows never
wrap. Rows are keyed by task id; Enter posts :class:`TaskTable.TaskChosen`.
"""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS
from tracker.store.queries import TaskRow
from tracker.tui.widgets.matrix_style import due_text, fit, state_style

# column id -> (heading, width in cells); the table narrows the flexible columns, then drops the optional
# ones (higher number first), so that what is shown fits and a cut cell ends with an ellipsis
FLEXIBLE = {"title": 8, "note": 8, "unit": 10}  # column -> narrowest width
OPTIONAL = {"updated": 3, "kind": 2, "note": 1, "role": 1}
COLUMNS: dict[str, tuple[str, int]] = {
    "status": ("状态", 6),
    "due": ("截止", 20),
    "role": ("角色", 4),
    "unit": ("单位", 20),
    "kind": ("类别", 4),
    "measure": ("措施", 9),
    "title": ("标题", 24),
    "note": ("最新进展", 24),
    "updated": ("更新", 14),
}


class TaskTable(DataTable):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "select_cursor", "打开任务")]

    DEFAULT_CSS = """
    TaskTable { height: 1fr; }
    """

    class TaskChosen(Message):
        def __init__(self, table: TaskTable, task_id: int) -> None:
            super().__init__()
            self.table = table
            self.task_id = task_id

        @property
        def control(self) -> TaskTable:
            return self.table

    def __init__(self, columns: tuple[str, ...], today: date, due_soon_days: int, status_labels: dict[str, str],
                 *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.column_ids = columns
        self.today = today
        self.due_soon_days = due_soon_days
        self.status_labels = status_labels
        self.rows_shown: list[TaskRow] = []
        self.widths: dict[str, int] = {col: COLUMNS[col][1] for col in columns}
        self._laid_out_for = -1

    def on_mount(self) -> None:
        self._add_columns()

    def _add_columns(self) -> None:
        for col, width in self.widths.items():
            self.add_column(COLUMNS[col][0], width=width, key=col)

    def fit_widths(self, available: int) -> dict[str, int]:
        """The columns shown in ``available`` cells and their widths (each column adds two cells of padding)."""
        widths = {col: COLUMNS[col][1] for col in self.column_ids}

        def excess() -> int:
            return sum(w + 2 for w in widths.values()) - available

        def drop(least_useful: int) -> bool:
            optional = [c for c in widths if OPTIONAL.get(c, 0) >= least_useful]
            if optional:
                del widths[max(optional, key=lambda c: OPTIONAL[c])]
            return bool(optional)

        while excess() > 0 and drop(2):  # first what matters least (last update, unit kind)
            pass
        while excess() > 0:  # then narrow the text columns
            flexible = [c for c in widths if c in FLEXIBLE and widths[c] > FLEXIBLE[c]]
            if not flexible:
                break
            widest = max(flexible, key=lambda c: widths[c])
            widths[widest] = max(FLEXIBLE[widest], widths[widest] - excess())
        while excess() > 0 and drop(1):  # then the note and the role
            pass
        while excess() > 0 and len(widths) > 1:  # still too wide: the last column is cut, with an ellipsis
            last = list(widths)[-1]
            if widths[last] - excess() >= 4:
                widths[last] -= excess()
            else:
                del widths[last]
        return widths

    def on_resize(self, event: events.Resize) -> None:
        available = self.scrollable_content_region.width - 2  # room for the scrollbar
        if available == self._laid_out_for or available <= 0:
            return
        self._laid_out_for = available
        widths = self.fit_widths(available)
        if widths != self.widths:
            self.widths = widths
            self.clear(columns=True)
            self._add_columns()
            self.show(self.rows_shown)

    def show(self, rows: list[TaskRow]) -> None:
        keep = self.rows_shown[self.cursor_row].id if self.rows_shown and self.cursor_row < len(self.rows_shown) else None
        self.clear()
        self.rows_shown = rows
        for row in rows:
            self.add_row(*(self._cell(col, row) for col in self.widths), key=str(row.id))
        if keep is not None:
            for i, row in enumerate(rows):
                if row.id == keep:
                    self.move_cursor(row=i, animate=False)
                    break

    def _cell(self, col: str, row: TaskRow) -> Text:
        width = self.widths[col]
        style = state_style(row.status, row.due, self.today, self.due_soon_days)
        if col == "status":
            label = self.status_labels.get(row.status, row.status)
            return Text(fit(label, width), style=style)
        if col == "due":
            return Text(fit(due_text(row.due, row.status, self.today), width), style=style if row.is_overdue(self.today) else "")
        if col == "role":
            return Text(fit(ROLE_LABELS.get(row.role, row.role), width), style="bold" if row.role == "lead" else "")
        if col == "unit":
            return Text(fit(row.unit, width))
        if col == "kind":
            return Text(fit(UNIT_KIND_LABELS.get(row.unit_kind, row.unit_kind), width), style="dim")
        if col == "measure":
            return Text(fit(row.measure_code, width))
        if col == "title":
            return Text(fit(row.measure_title, width))
        if col == "note":
            return Text(fit(row.note or "—", width), style="" if row.note else "dim")
        if col == "updated":
            return Text(fit(f"{row.updated_at:%m-%d} {row.updated_by}", width), style="dim")
        return Text("")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.TaskChosen(self, int(event.row_key.value)))

    @property
    def current_task(self) -> TaskRow | None:
        if not self.rows_shown or self.cursor_row >= len(self.rows_shown):
            return None
        return self.rows_shown[self.cursor_row]
