"""Responsibility matrix screen: every measure × every unit, 牵/配 coloured by status."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static
from textual.worker import get_current_worker

from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS
from tracker.store.filters import TaskFilter
from tracker.store.matrix_reads import (
    DocumentLabel,
    MatrixWindow,
    document_labels,
    matrix_outline,
    matrix_window,
)
from tracker.tui.context import AppContext
from tracker.tui.screens.base import ViewScreen
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.matrix_grid import MatrixGrid
from tracker.tui.widgets.matrix_rows import BLOCK, PagedMatrix
from tracker.tui.widgets.matrix_style import (
    STATE_LABELS,
    due_text,
    legend,
    state_style,
    task_state,
)

# The unit-kind views the matrix cycles through with `k`.
KIND_VIEWS: tuple[tuple[str, ...], ...] = ((), ("agency", "group", "company"), ("town",))


def doc_tag(document_id: int | None) -> str:
    """The short label of a document in the matrix's first column (its id, as ``tracker list --doc`` takes)."""
    return "" if document_id is None else f"文{document_id}"


def doc_label(doc: DocumentLabel) -> str:
    """文号 and a shortened title: ``青府规发〔2022〕4号《关于做好我区当前和…》``."""
    title = doc.title if len(doc.title) <= 16 else doc.title[:15] + "…"
    return f"{doc.doc_number}《{title}》" if doc.doc_number else f"《{title}》"


class InfoLine(Widget):
    """A one-line status bar that repaints without a layout pass (it changes on every cursor move)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.text = Text()

    def show(self, text: Text) -> None:
        self.text = text
        self.refresh()

    def render(self) -> Text:
        return self.text


class MatrixScreen(ViewScreen):
    """Measures down, units across; Enter opens the task under the cursor."""

    TITLE = "责任矩阵"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k", "cycle_kinds", "单位类别"),
        Binding("u", "open_unit", "按单位"),
        Binding("m", "open_measure", "按措施"),
    ]

    DEFAULT_CSS = """
    MatrixScreen {
        layout: vertical;
    }
    MatrixScreen > #matrix-title { text-wrap: nowrap; text-overflow: ellipsis;
        height: 1;
        padding: 0 1;
        background: $panel;
        color: $text;
        text-style: bold;
    }
    MatrixScreen > MatrixGrid {
        height: 1fr;
    }
    MatrixScreen > #matrix-info { text-wrap: nowrap; text-overflow: ellipsis;
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    MatrixScreen > #matrix-legend {
        height: 1;
        padding: 0 1;
    }
    """

    class Loaded(Message):
        def __init__(self, matrix: PagedMatrix, token: tuple | None, documents: dict[int, DocumentLabel]) -> None:
            super().__init__()
            self.matrix = matrix  # its outline and the rows around the cursor
            self.token = token
            self.documents = documents  # document id -> label (only when the rows span several)

    class _RowsRead(Message):
        def __init__(self, generation: int, block: int, window: MatrixWindow) -> None:
            super().__init__()
            self.generation = generation
            self.block = block
            self.window = window

    def __init__(self, ctx: AppContext, flt: TaskFilter | None = None, *, name: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.ctx = ctx
        self.base_filter = flt or TaskFilter()
        self.kind_view = 0
        self._token: tuple | None = None
        self._generation = 0  # rows read for an older matrix are dropped
        self.loaded = False
        self.documents: dict[int, DocumentLabel] = {}

    def compose(self) -> ComposeResult:
        yield Static("责任矩阵 · 载入中…", id="matrix-title")
        yield MatrixGrid(self.ctx.today, self.ctx.due_soon_days, id="matrix-grid")
        yield InfoLine(id="matrix-info")
        yield Static(legend(), id="matrix-legend")
        yield TrackerFooter()

    @property
    def grid(self) -> MatrixGrid:
        return self.query_one(MatrixGrid)

    @property
    def filter(self) -> TaskFilter:
        return self.base_filter.replace(unit_kinds=KIND_VIEWS[self.kind_view])

    def on_mount(self) -> None:
        self.grid.focus()
        self.load(force=True)

    def on_screen_resume(self) -> None:
        if self.loaded:
            self.load()

    # ------------------------------------------------------------------ data

    def load(self, force: bool = False) -> None:
        # the app's change poll (O(1)) tells whether anything changed since the last load
        token = getattr(self.app, "change_token", None)
        if not force and token is not None and token == self._token:
            return
        grid = self.grid
        ids, row = grid.matrix.measure_ids, grid.cursor_row
        self._load(token, self.filter, ids[row] if row < len(ids) else None, row)

    @work(thread=True, exclusive=True, group="matrix-load")
    def _load(self, token: tuple | None, flt: TaskFilter, keep: int | None, cursor_row: int) -> None:
        worker = get_current_worker()
        ctx = self.ctx
        with ctx.db.read_tx() as conn:
            matrix = PagedMatrix(matrix_outline(conn, flt, ctx.today, ctx.config))
            row = matrix.index_of(keep)
            row = min(cursor_row, max(0, len(matrix.measure_ids) - 1)) if row is None else row
            for block in (row // BLOCK - 1, row // BLOCK, row // BLOCK + 1):  # the first screen, complete
                if 0 <= block * BLOCK < len(matrix.measure_ids):
                    matrix.add(block, matrix_window(conn, flt, ctx.today, matrix.block_ids(block)), row)
            documents = document_labels(conn) if matrix.documents > 1 else {}
        if not worker.is_cancelled:
            self.post_message(self.Loaded(matrix, token, documents))

    @on(MatrixGrid.NeedRows)
    def _need_rows(self, message: MatrixGrid.NeedRows) -> None:
        ids = message.grid.matrix.block_ids(message.block)
        self._read_rows(self._generation, message.block, ids, self.filter)

    @work(thread=True, group="matrix-rows")
    def _read_rows(self, generation: int, block: int, ids: list[int], flt: TaskFilter) -> None:
        with self.ctx.db.read_tx() as conn:
            window = matrix_window(conn, flt, self.ctx.today, ids)
        self.post_message(self._RowsRead(generation, block, window))

    @on(_RowsRead)
    def _rows_read(self, message: _RowsRead) -> None:
        if message.generation == self._generation:
            self.grid.add_rows(message.block, message.window)

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self._token = message.token
        self._generation += 1
        self.loaded = True
        self.documents = message.documents
        m = message.matrix
        self.grid.set_matrix(m)
        kinds = KIND_VIEWS[self.kind_view]
        scope = "全部单位" if not kinds else "、".join(UNIT_KIND_LABELS[k] for k in kinds)
        described = self.base_filter.describe(self.ctx.config.status_labels)
        title = f"责任矩阵 · {described} · {scope} · {len(m.measures)} 项措施 × {len(m.units)} 个单位 · {m.tasks} 项任务"
        if m.documents > 1:
            title += f" · {m.documents} 份文件"
        if not m.tasks:
            title += " · 没有任务（待分配的措施见“待分配”）"
        self.query_one("#matrix-title", Static).update(Text(title, no_wrap=True, overflow="ellipsis"))

    @on(MatrixGrid.CursorMoved)
    def _cursor_moved(self, message: MatrixGrid.CursorMoved) -> None:
        grid = message.grid
        m, u, cell = grid.current_measure, grid.current_unit, message.cell
        info = Text(no_wrap=True, overflow="ellipsis")
        if m is None or u is None:
            info.append("没有数据")
        else:
            if grid.several_documents:
                doc = self.documents.get(grid.matrix.document_of.get(m[0], -1))
                if doc is not None:
                    info.append(f"{doc_tag(doc.id)} {doc_label(doc)} · ", style="dim")
            info.append(f"{m[1]} {m[2]}", style="bold")
            info.append("  ×  ")
            info.append(u[1], style="bold")
            info.append(f"（{UNIT_KIND_LABELS.get(u[2], u[2])}）  ")
            if cell is None:
                info.append("不承担此项措施", style="dim")
            else:
                state = task_state(cell.status, cell.due, self.ctx.today, self.ctx.due_soon_days)
                style = state_style(cell.status, cell.due, self.ctx.today, self.ctx.due_soon_days)
                info.append(ROLE_LABELS.get(cell.role, cell.role) + " · ")
                info.append(self.ctx.config.status_label(cell.status), style=style)
                if state in ("overdue", "due_soon", "blocked") and STATE_LABELS[state] != self.ctx.config.status_label(cell.status):
                    info.append(f"（{STATE_LABELS[state]}）", style=style)
                info.append(" · 截止 " + due_text(cell.due, cell.status, self.ctx.today))
                info.append(f" · 任务 #{cell.task_id}", style="dim")
        self.query_one("#matrix-info", InfoLine).show(info)

    @on(MatrixGrid.CellSelected)
    def _cell_selected(self, message: MatrixGrid.CellSelected) -> None:
        open_task = getattr(self.app, "open_task", None)
        if open_task is None:
            self.notify(f"任务 #{message.task_id}", title="打开任务")
            return
        open_task(message.task_id)

    # ------------------------------------------------------------------ actions

    def action_reload(self) -> None:
        self.load(force=True)

    def action_cycle_kinds(self) -> None:
        self.kind_view = (self.kind_view + 1) % len(KIND_VIEWS)
        self.load(force=True)

    def action_open_unit(self) -> None:
        unit = self.grid.current_unit
        if unit is not None:
            from tracker.tui.screens.unit import UnitScreen

            self.app.push_screen(UnitScreen(self.ctx, unit[1]))

    def action_open_measure(self) -> None:
        measure = self.grid.current_measure
        if measure is not None:
            from tracker.tui.screens.measure import MeasureScreen

            self.app.push_screen(MeasureScreen(self.ctx, measure[0]))
