"""By unit: pick a unit (e.g. 夏阳街道) and see everything it owes, late first."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.worker import get_current_worker

from tracker.config import UNIT_KIND_LABELS
from tracker.store import periods_sql
from tracker.store import queries as q
from tracker.store.filters import OPEN_STATUSES, TaskFilter
from tracker.tui.context import AppContext
from tracker.tui.screens.base import ViewScreen
from tracker.tui.widgets.fitted_list import FittedList, PickRow
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.matrix_style import STATE_STYLES
from tracker.tui.widgets.matrix_tasks import TaskTable

ROW_LIMIT = 1000  # more than this: the Tasks screen pages through them (key `l`)


class UnitScreen(ViewScreen):
    TITLE = "按单位"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "toggle_open", "只看未完成"),
        Binding("l", "show_in_tasks", "在任务列表查看"),
    ]

    DEFAULT_CSS = """
    UnitScreen #unit-body { height: 1fr; }
    UnitScreen #unit-picker { text-wrap: nowrap; text-overflow: ellipsis; width: 40; height: 1fr; max-height: 100%; border: round $border-blurred; }
    UnitScreen #unit-picker:focus { border: round $border; }
    UnitScreen #unit-main { width: 1fr; }
    UnitScreen #unit-summary { text-wrap: nowrap; text-overflow: ellipsis; height: 2; padding: 0 1; background: $panel; }
    """

    class UnitsLoaded(Message):
        def __init__(self, units: list[q.UnitRow], last_reports: dict[int, date]) -> None:
            super().__init__()
            self.units = units
            self.last_reports = last_reports

    class TasksLoaded(Message):
        def __init__(self, unit: str, rows: list[q.TaskRow], counts: q.Counts) -> None:
            super().__init__()
            self.unit = unit
            self.rows = rows
            self.counts = counts

    def __init__(self, ctx: AppContext, unit_name: str | None = None, *, name: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.ctx = ctx
        self.unit_name = unit_name
        self.open_only = False
        self.units: list[q.UnitRow] = []
        self.last_reports: dict[int, date] = {}  # unit id -> its latest report (status, note, request, evidence)
        self.rows: list[q.TaskRow] = []
        self.shown_once = False
        self._dates_shown = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="unit-body"):
            picker = FittedList(id="unit-picker")
            picker.border_title = "单位"
            yield picker
            with Vertical(id="unit-main"):
                yield Static("请选择单位", id="unit-summary")
                yield TaskTable(
                    ("status", "due", "role", "measure", "title", "note", "updated"),
                    self.ctx.today, self.ctx.due_soon_days, self.ctx.config.status_labels, id="unit-tasks",
                )
        yield TrackerFooter()

    def on_resize(self, event: events.Resize) -> None:
        # a narrow terminal: the list gives the task table room for its figures (the last report date
        # leaves the list for the summary line)
        width = event.size.width
        self.query_one("#unit-picker").styles.width = 46 if width >= 140 else 40 if width >= 100 else 28
        if self.units and (width >= 100) != self._dates_shown:
            self._show_units()

    def on_mount(self) -> None:
        self.query_one("#unit-picker").focus()
        self.load_units()

    def on_screen_resume(self) -> None:
        if self.shown_once and self.unit_name:  # back from a task: statuses may have changed
            self.load_tasks(self.unit_name)

    # ------------------------------------------------------------------ data

    @work(thread=True, exclusive=True, group="unit-list")
    def load_units(self) -> None:
        with self.ctx.db.read_tx() as conn:
            units = [u for u in q.list_units(conn, self.ctx.today, self.ctx.config) if u.tasks]
            last_reports = periods_sql.last_report_dates(conn)
        self.post_message(self.UnitsLoaded(units, last_reports))

    @work(thread=True, exclusive=True, group="unit-tasks")
    def load_tasks(self, unit: str) -> None:
        worker = get_current_worker()
        flt = TaskFilter(units=(unit,), statuses=OPEN_STATUSES if self.open_only else ())
        with self.ctx.db.read_tx() as conn:
            counts = q.count_tasks(conn, TaskFilter(units=(unit,)), self.ctx.today, self.ctx.due_soon_days)
            rows = q.list_tasks(conn, flt, self.ctx.today, sort="late", limit=ROW_LIMIT)
        if not worker.is_cancelled:
            self.post_message(self.TasksLoaded(unit, rows, counts))

    @on(UnitsLoaded)
    def _units_loaded(self, message: UnitsLoaded) -> None:
        self.units = message.units
        self.last_reports = message.last_reports
        self._show_units()
        picker = self.query_one("#unit-picker", FittedList)
        names = [u.name for u in message.units]
        if self.unit_name in names:
            picker.highlighted = picker.get_option_index(self.unit_name)
        elif names:
            picker.highlighted = 0

    def _show_units(self) -> None:
        picker = self.query_one("#unit-picker", FittedList)
        self._dates_shown = self.size.width >= 100
        rows: list[PickRow | None] = []
        kind = None
        for u in self.units:
            if kind is not None and u.kind != kind:
                rows.append(None)
            kind = u.kind
            late = (f"逾期{u.overdue}", STATE_STYLES["overdue"]) if u.overdue else ("", "")
            figures = ((f"{u.done}/{u.tasks}", ""), late)
            if self._dates_shown:
                figures += ((self._last_report(u.id, "—"), "dim"),)
            rows.append(PickRow(u.name, u.name, figures))
        picker.set_rows(rows)
        picker.border_subtitle = f"{len(self.units)} 个" + (" · 完成/任务 · 最近报送" if self._dates_shown else "")

    def _last_report(self, unit_id: int, never: str) -> str:
        """``11-14`` this year, the full date before; ``never`` when the unit has not reported."""
        day = self.last_reports.get(unit_id)
        if day is None:
            return never
        return day.strftime("%m-%d") if day.year == self.ctx.today.year else day.isoformat()

    @on(OptionList.OptionHighlighted, "#unit-picker")
    def _unit_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id:
            self.unit_name = event.option_id
            self.load_tasks(event.option_id)

    @on(OptionList.OptionSelected, "#unit-picker")
    def _unit_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one(TaskTable).focus()

    @on(TasksLoaded)
    def _tasks_loaded(self, message: TasksLoaded) -> None:
        if message.unit != self.unit_name:
            return
        self.rows = message.rows
        self.shown_once = True
        self.query_one(TaskTable).show(message.rows)
        c = message.counts
        unit = next((u for u in self.units if u.name == message.unit), None)
        kind = unit.kind if unit else ""
        # the figures first, whole even on a narrow terminal; the name (also highlighted in the list) after
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"任务 {c.total} · 已完成 {c.done} · ")
        line.append(f"逾期 {c.overdue}", STATE_STYLES["overdue"])
        line.append(" · ")
        line.append(f"将到期 {c.due_soon}", STATE_STYLES["due_soon"])
        line.append(" · ")
        line.append(f"受阻 {c.blocked}", STATE_STYLES["blocked"])
        second = "逾期在前，再按截止日期" + (" · 只看未完成" if self.open_only else "")
        if len(message.rows) >= ROW_LIMIT:
            second += f" · 仅显示前 {ROW_LIMIT} 项，按 l 在任务列表查看全部"
        line.append("\n")
        line.append(f"{message.unit}（{UNIT_KIND_LABELS.get(kind, kind)}）", style="bold")
        if unit is not None:
            line.append(f" · 最近报送 {self._last_report(unit.id, '从未报送')}")
        line.append(" · " + second, style="dim")
        self.query_one("#unit-summary", Static).update(line)

    @on(TaskTable.TaskChosen)
    def _task_chosen(self, message: TaskTable.TaskChosen) -> None:
        open_task = getattr(self.app, "open_task", None)
        if open_task is None:
            self.notify(f"任务 #{message.task_id}", title="打开任务")
        else:
            open_task(message.task_id)

    # ------------------------------------------------------------------ actions

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "unit-tasks":
            self.query_one("#unit-picker").focus()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_toggle_open(self) -> None:
        self.open_only = not self.open_only
        if self.unit_name:
            self.load_tasks(self.unit_name)

    def action_reload(self) -> None:
        self.load_units()
        if self.unit_name:
            self.load_tasks(self.unit_name)

    def action_show_in_tasks(self) -> None:
        if not self.unit_name:
            return
        set_filter = getattr(self.app, "set_filter", None)
        flt = TaskFilter(units=(self.unit_name,), statuses=OPEN_STATUSES if self.open_only else ())
        if set_filter is None:
            self.notify(flt.describe(self.ctx.config.status_labels), title="任务筛选")
        else:
            set_filter(flt)
