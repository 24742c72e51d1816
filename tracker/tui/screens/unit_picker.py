"""Type-to-search picker over all units."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from tracker.config import UNIT_KIND_LABELS
from tracker.store import queries
from tracker.store.queries import UnitRow
from tracker.tui.context import AppContext
from tracker.tui.widgets.cells import fit

ALL_UNITS = "\x00all"


class UnitPicker(ModalScreen[str | None]):
    """Dismisses with a unit name, ``""`` for "all units", or ``None`` when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("down", "move(1)", "下一个", show=False),
        Binding("up", "move(-1)", "上一个", show=False),
    ]

    def __init__(self, ctx: AppContext, current: str | None = None, title: str = "选择责任单位") -> None:
        super().__init__()
        self.ctx = ctx
        self.current = current
        self.title_text = title
        self.units: list[UnitRow] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            yield Input(placeholder="输入单位名称的任意部分", id="picker-input", compact=True)
            yield OptionList(id="picker-options")
            yield Label("回车选择 · Esc 取消", classes="modal-hint")

    def on_mount(self) -> None:
        self.load_units()

    @work(thread=True, exclusive=True)
    def load_units(self) -> None:
        with self.ctx.db.read_tx() as conn:
            units = queries.list_units(conn, self.ctx.today, self.ctx.config)
        self.app.call_from_thread(self._show_units, units)

    def _show_units(self, units: list[UnitRow]) -> None:
        self.units = units
        self._refill(self.query_one("#picker-input", Input).value)

    def _refill(self, query: str) -> None:
        options = self.query_one("#picker-options", OptionList)
        q = query.strip()
        found = [u for u in self.units if q in u.name] if q else list(self.units)
        items: list[Option] = []
        if not q:
            items.append(Option("（全部单位）", id=ALL_UNITS))
        for u in found:
            kind = UNIT_KIND_LABELS.get(u.kind, u.kind)
            late = f"逾期 {u.overdue}" if u.overdue else ""
            items.append(Option(f"{fit(u.name, 28)} {fit(kind, 4)} {u.tasks:>4} 项  {late}", id=f"u:{u.name}"))
        options.set_options(items)
        if items:
            index = 0
            if self.current and not q:
                for i, option in enumerate(items):
                    if option.id == f"u:{self.current}":
                        index = i
            options.highlighted = index

    @on(Input.Changed, "#picker-input")
    def _typed(self, event: Input.Changed) -> None:
        self._refill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id == ALL_UNITS:
            self.dismiss("")
        elif option_id:
            self.dismiss(option_id[2:])

    def action_move(self, step: int) -> None:
        options = self.query_one("#picker-options", OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def action_cancel(self) -> None:
        self.dismiss(None)
