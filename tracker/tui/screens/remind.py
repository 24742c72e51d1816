"""催报: the units whose open tasks have not reported this period, worst first, and the selected unit's tasks.

A task has reported when its unit recorded anything on it in the period (status, note, 延期申请, evidence);
once the period's report day has passed an unreported task is 逾期未报 (:mod:`tracker.store.periods_sql`).
"""

from __future__ import annotations

import importlib.util
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
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
from tracker.dates import local_day
from tracker.store import periods_sql
from tracker.tui.context import AppContext
from tracker.tui.screens.base import ViewScreen
from tracker.tui.widgets.cells import late_phrase, task_ref
from tracker.tui.widgets.fitted_list import FittedList, PickRow
from tracker.tui.widgets.fitted_table import Cell, Column, FittedTable
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.matrix_style import STATE_STYLES

NOTICES_MODULE = "tracker.report.notices"
TASK_COLUMNS = [
    Column("id", "编号", 6),
    Column("measure", "措施", 30, narrowest=8),
    Column("due", "截止", 10),
    Column("late", "逾期/剩余", 12, leaves=3),
    Column("status", "状态", 6),
    Column("note", "最近进展", 40, narrowest=8, leaves=1),
    Column("reported", "最近报送", 10, leaves=2),
]


def short_day(day: date | datetime | None, today: date) -> str:
    """``11-10`` this year, ``2021-11-10`` before; ``从未报送`` for none."""
    if day is None:
        return "从未报送"
    if isinstance(day, datetime):
        day = local_day(day)
    return day.strftime("%m-%d") if day.year == today.year else day.isoformat()


class RemindScreen(ViewScreen):
    TITLE = "催报"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("e", "export_notice", "导出催报通知"),
    ]

    DEFAULT_CSS = """
    RemindScreen #remind-period { text-wrap: nowrap; text-overflow: ellipsis; height: 1; padding: 0 1; background: $panel; text-style: bold; }
    RemindScreen #remind-body { height: 1fr; }
    RemindScreen #remind-units { text-wrap: nowrap; text-overflow: ellipsis; width: 40; height: 1fr; max-height: 100%; border: round $border-blurred; }
    RemindScreen #remind-units:focus { border: round $border; }
    RemindScreen #remind-main { width: 1fr; }
    RemindScreen #remind-unit { text-wrap: nowrap; text-overflow: ellipsis; height: 1; padding: 0 1; background: $boost; }
    """

    class Loaded(Message):
        def __init__(self, reminders: periods_sql.Reminders) -> None:
            super().__init__()
            self.reminders = reminders

    class Exported(Message):
        def __init__(self, text: str, error: bool) -> None:
            super().__init__()
            self.text = text
            self.error = error

    def __init__(self, ctx: AppContext, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.ctx = ctx
        self.reminders: periods_sql.Reminders | None = None
        self.unit_id: int | None = None
        self._wide = True  # the unit list shows the last report dates

    def compose(self) -> ComposeResult:
        yield Static("催报 · 载入中…", id="remind-period")
        with Horizontal(id="remind-body"):
            units = FittedList(id="remind-units")
            units.border_title = "未报送的单位"
            yield units
            with Vertical(id="remind-main"):
                yield Static("", id="remind-unit")
                yield FittedTable(TASK_COLUMNS, id="remind-tasks")
        yield TrackerFooter()

    def on_resize(self, event: events.Resize) -> None:
        width = event.size.width
        self.query_one("#remind-units").styles.width = 44 if width >= 140 else 40 if width >= 100 else 26
        if (width >= 100) != self._wide:
            self._show_units()

    def on_mount(self) -> None:
        self.query_one("#remind-units").focus()
        self.load()

    # ------------------------------------------------------------------ data
    @work(thread=True, exclusive=True, group="remind-load")
    def load(self) -> None:
        worker = get_current_worker()
        with self.ctx.db.read_tx() as conn:
            reminders = periods_sql.remind(conn, self.ctx.today, self.ctx.config)
        if not worker.is_cancelled:
            self.post_message(self.Loaded(reminders))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.reminders = r = message.reminders
        today = self.ctx.today
        overdue = sum(len(u.overdue) for u in r.units)
        unreported = sum(len(u.unreported) for u in r.units)
        line = Text(no_wrap=True, overflow="ellipsis")
        if r.period is not None:
            line.append(f"{r.period.label} · {r.period.report_day_phrase} · ")
            line.append(r.period.state(today), STATE_STYLES["overdue"] if today > r.period.report_due else "")
            line.append(" · ")
        if r.units and overdue == unreported:  # past the report day: every unreported task is late
            line.append(f"逾期未报 {len(r.units)} 个单位 {unreported} 项", STATE_STYLES["overdue"])
        elif r.units:
            line.append(f"未报送 {len(r.units)} 个单位 {unreported} 项")
            if overdue:
                line.append(" · ")
                line.append(f"逾期未报 {overdue} 项", STATE_STYLES["overdue"])
        else:
            line.append("本期各单位均已报送")
        self.query_one("#remind-period", Static).update(line)
        self._show_units()
        picker = self.query_one("#remind-units", FittedList)
        ids = [u.unit_id for u in r.units]
        if self.unit_id in ids:
            picker.highlighted = ids.index(self.unit_id)
        elif ids:
            picker.highlighted = 0
        else:
            self.unit_id = None
        self._show_unit()

    def _show_units(self) -> None:
        """The unit list: on a narrow terminal the count alone (red: 逾期未报), the last report date in the header."""
        if self.reminders is None:
            return
        today = self.ctx.today
        self._wide = self.size.width >= 100
        rows: list[PickRow | None] = []
        for u in self.reminders.units:
            style = STATE_STYLES["overdue"] if u.overdue else STATE_STYLES["due_soon"]
            if not self._wide:
                rows.append(PickRow(str(u.unit_id), u.unit, ((f"{len(u.unreported)}项", style),)))
                continue
            count = f"逾期未报{len(u.overdue)}" if u.overdue else f"未报送{len(u.unreported)}"
            last = short_day(u.last_report, today) if u.last_report else "—"  # the subtitle names the column
            rows.append(PickRow(str(u.unit_id), u.unit, ((count, style), (last, "dim"))))
        picker = self.query_one("#remind-units", FittedList)
        picker.set_rows(rows)
        count = len(self.reminders.units)
        picker.border_subtitle = f"{count} 个 · 最近报送" if self._wide else f"{count} 个"

    def current_unit(self) -> periods_sql.UnitReminder | None:
        if self.reminders is None:
            return None
        return next((u for u in self.reminders.units if u.unit_id == self.unit_id), None)

    @on(OptionList.OptionHighlighted, "#remind-units")
    def _unit_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id:
            self.unit_id = int(event.option_id)
            self._show_unit()

    @on(OptionList.OptionSelected, "#remind-units")
    def _unit_selected(self) -> None:
        self.query_one("#remind-tasks").focus()

    def _show_unit(self) -> None:
        u = self.current_unit()
        table = self.query_one("#remind-tasks", FittedTable)
        head = Text(no_wrap=True, overflow="ellipsis")
        if u is None:
            table.show([])
            self.query_one("#remind-unit", Static).update(head)
            return
        today = self.ctx.today
        labels = self.ctx.config.status_labels
        head.append(f"{u.unit}（{UNIT_KIND_LABELS.get(u.kind, u.kind)}）", style="bold")
        head.append(f" · 未报送 {len(u.unreported)} 项")
        if u.overdue:
            head.append(" · ")
            head.append(f"逾期未报 {len(u.overdue)} 项", STATE_STYLES["overdue"])
        head.append(f" · 最近报送 {short_day(u.last_report, today)}", style="dim")
        self.query_one("#remind-unit", Static).update(head)
        late_ids = {t.id for t in u.overdue}
        rows = []
        for t in u.unreported:
            late = t.is_overdue(today)
            rows.append((str(t.id), {
                "id": Cell(task_ref(t.id), "bold" if t.id in late_ids else ""),
                "measure": Cell(f"{t.measure_code} {t.measure_title}"),
                "due": Cell(t.due.isoformat() if t.due else "无期限", "red" if late else ""),
                "late": Cell(late_phrase(t.due, t.status, today) if t.due else "", "red" if late else "dim"),
                "status": Cell(labels.get(t.status, t.status)),
                "note": Cell(t.note or "（暂无进展）", "" if t.note else "dim"),
                "reported": Cell(short_day(u.last_reported.get(t.id), today), "dim"),
            }))
        table.show(rows)

    @on(FittedTable.RowChosen, "#remind-tasks")
    def _task_chosen(self, message: FittedTable.RowChosen) -> None:
        self.app.open_task(int(message.key))

    # ------------------------------------------------------------------ actions
    def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "remind-tasks":
            self.query_one("#remind-units").focus()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "export_notice":
            return importlib.util.find_spec(NOTICES_MODULE) is not None
        return True

    def action_export_notice(self) -> None:
        u = self.current_unit()
        if u is None or self.reminders is None:
            self.notify("没有需要催报的单位", timeout=3)
            return
        directory = getattr(self.app, "export_dir", Path.cwd())
        self.export_notice(u, self.reminders, directory)

    @work(thread=True, exclusive=True, group="remind-export")
    def export_notice(self, unit: periods_sql.UnitReminder, reminders: periods_sql.Reminders, directory: Path) -> None:
        notices = importlib.import_module(NOTICES_MODULE)
        try:
            written = notices.write_notices(replace(reminders, units=[unit]), self.ctx.config, directory)
        except Exception as exc:  # noqa: BLE001 - reported in a toast
            self.post_message(self.Exported(f"导出失败：{exc}", True))
            return
        files = "、".join(str(p) for f in written for p in (f.markdown, f.xlsx))
        self.post_message(self.Exported(f"已导出{unit.unit}的催报通知：{files}", False))

    @on(Exported)
    def _exported(self, message: Exported) -> None:
        self.notify(message.text, severity="error" if message.error else "information", timeout=8)
