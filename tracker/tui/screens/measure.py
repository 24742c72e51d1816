"""By measure: one measure with all its units and their statuses."""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.worker import get_current_worker

from tracker.store import queries as q
from tracker.store import services
from tracker.store.filters import TaskFilter
from tracker.store.writes import StoreError
from tracker.tui.context import AppContext
from tracker.tui.screens.assign_modal import AssignModal, AssignRequest
from tracker.tui.screens.base import ViewScreen
from tracker.tui.screens.confirm_modal import ConfirmModal
from tracker.tui.widgets.bars import COMPARATOR_WORDS, format_quantity
from tracker.tui.widgets.fitted_list import FittedList, PickRow
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.matrix_style import STATE_STYLES, fit, task_state
from tracker.tui.widgets.matrix_tasks import TaskTable
from tracker.tui.widgets.prose import Prose


class MeasureScreen(ViewScreen):
    TITLE = "按措施"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "assign", "增加单位"),
        Binding("x", "unassign", "移除单位"),
        Binding("l", "show_in_tasks", "在任务列表查看"),
    ]

    DEFAULT_CSS = """
    MeasureScreen #measure-body { height: 1fr; }
    MeasureScreen #measure-picker { text-wrap: nowrap; text-overflow: ellipsis; width: 44; height: 1fr; max-height: 100%; border: round $border-blurred; }
    MeasureScreen #measure-picker:focus { border: round $border; }
    MeasureScreen #measure-main { width: 1fr; }
    MeasureScreen #measure-detail { height: auto; max-height: 12; padding: 0 1; background: $panel; }
    """

    class MeasuresLoaded(Message):
        def __init__(self, measures: list[q.MeasureRow]) -> None:
            super().__init__()
            self.measures = measures

    class DetailLoaded(Message):
        def __init__(self, measure: q.MeasureRow, rows: list[q.TaskRow], targets: list[q.TargetRow]) -> None:
            super().__init__()
            self.measure = measure
            self.rows = rows
            self.targets = targets

    class Assigned(Message):
        def __init__(self, measure_id: int, tasks: int, error: str = "") -> None:
            super().__init__()
            self.measure_id = measure_id
            self.tasks = tasks
            self.error = error

    class Unassigned(Message):
        def __init__(self, measure_id: int, unit: str, error: str = "") -> None:
            super().__init__()
            self.measure_id = measure_id
            self.unit = unit
            self.error = error

    def __init__(self, ctx: AppContext, measure_id: int | None = None, *, name: str | None = None,
                 id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.ctx = ctx
        self.measure_id = measure_id
        self.measures: list[q.MeasureRow] = []
        self.measure: q.MeasureRow | None = None
        self.rows: list[q.TaskRow] = []

    def compose(self) -> ComposeResult:
        with Horizontal(id="measure-body"):
            picker = FittedList(id="measure-picker")
            picker.border_title = "措施"
            yield picker
            with Vertical(id="measure-main"):
                with VerticalScroll(id="measure-detail"):
                    yield Static("请选择措施", id="measure-text")
                yield TaskTable(
                    ("role", "unit", "kind", "status", "due", "note", "updated"),
                    self.ctx.today, self.ctx.due_soon_days, self.ctx.config.status_labels, id="measure-tasks",
                )
        yield TrackerFooter()

    def on_resize(self, event: events.Resize) -> None:
        # a narrow terminal: the list gives the task table room for its figures
        self.query_one("#measure-picker").styles.width = 44 if event.size.width >= 100 else 32

    def on_mount(self) -> None:
        self.query_one("#measure-picker").focus()
        self.load_measures()

    def on_screen_resume(self) -> None:
        if self.measure is not None and self.measure_id is not None:  # back from a task
            self.load_detail(self.measure_id)

    # ------------------------------------------------------------------ data

    @work(thread=True, exclusive=True, group="measure-list")
    def load_measures(self) -> None:
        with self.ctx.db.read_tx() as conn:
            measures = q.list_measures(conn)
        self.post_message(self.MeasuresLoaded(measures))

    @work(thread=True, exclusive=True, group="measure-detail")
    def load_detail(self, measure_id: int) -> None:
        worker = get_current_worker()
        with self.ctx.db.read_tx() as conn:
            measure = q.get_measure(conn, measure_id)
            if measure is None:
                return
            rows = q.list_tasks(conn, TaskFilter(measure_id=measure_id), self.ctx.today, sort="measure")
            targets = q.list_targets(conn, measure_id=measure_id)
        if not worker.is_cancelled:
            self.post_message(self.DetailLoaded(measure, rows, targets))

    @on(MeasuresLoaded)
    def _measures_loaded(self, message: MeasuresLoaded) -> None:
        self.measures = message.measures
        picker = self.query_one("#measure-picker", FittedList)
        rows: list[PickRow | None] = []
        doc = None
        several = len({m.document_id for m in message.measures}) > 1
        code_width = max((cell_len(m.code) for m in message.measures), default=0)
        for m in message.measures:
            if m.document_id != doc and several:
                # codes such as 三（一） repeat from one document to the next: head each document's measures
                if doc is not None:
                    rows.append(None)
                rows.append(PickRow(None, m.document_title))
            doc = m.document_id
            count = (str(m.task_count), "") if m.task_count else ("待分配", "yellow")
            rows.append(PickRow(str(m.id), f"{fit(m.code, code_width)} {m.title or m.text}", (count,)))
        picker.set_rows(rows)
        ids = [str(m.id) for m in message.measures]
        if self.measure_id is not None and str(self.measure_id) in ids:
            picker.highlighted = picker.get_option_index(str(self.measure_id))
        elif ids:
            picker.highlighted = picker.get_option_index(ids[0])
        picker.border_subtitle = f"{len(ids)} 项"

    @on(OptionList.OptionHighlighted, "#measure-picker")
    def _measure_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option_id:
            self.measure_id = int(event.option_id)
            self.load_detail(self.measure_id)

    @on(OptionList.OptionSelected, "#measure-picker")
    def _measure_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one(TaskTable).focus()

    @on(DetailLoaded)
    def _detail_loaded(self, message: DetailLoaded) -> None:
        if message.measure.id != self.measure_id:
            return
        m = self.measure = message.measure
        self.rows = message.rows
        self.query_one(TaskTable).show(message.rows)
        text = Text()
        text.append(f"{m.code} {m.title}", style="bold")
        text.append(f"  {m.document_title}" + (f" · {m.chapter_code}、{m.chapter}" if m.chapter_code else ""), style="dim")
        text.append(f"\n截止：{m.due.isoformat() if m.due else '无'}" + (f"（{m.due_phrase}）" if m.due_phrase else ""))
        lead = [r.unit for r in message.rows if r.role == "lead"]
        text.append(f" · 牵头：{'、'.join(lead) if lead else '未定'} · 单位 {len(message.rows)} 个 · ")
        states = [task_state(r.status, r.due, self.ctx.today, self.ctx.due_soon_days) for r in message.rows]
        done = sum(1 for r in message.rows if r.status == "done")
        text.append(f"已完成 {done} · ")
        text.append(f"逾期 {states.count('overdue')}", STATE_STYLES["overdue"])
        text.append(" · ")
        text.append(f"受阻 {sum(1 for r in message.rows if r.status == 'blocked')}", STATE_STYLES["blocked"])
        for t in message.targets:
            actual = format_quantity(t.actual, t.uom)
            pct = "" if t.progress is None else f"（{100 * t.progress:.0f}%）"
            text.append(f"\n指标：{t.phrase} · 目标 {COMPARATOR_WORDS.get(t.comparator, t.comparator)}"
                        f"{format_quantity(t.value, t.uom)} · 实际 {actual}{pct}")
        if not message.rows:
            text.append("\n尚无责任单位：按 a 分配", style="yellow")
        text.append("\n\n" + m.text, style="dim")
        self.query_one("#measure-text", Static).update(Prose(text))

    @on(TaskTable.TaskChosen)
    def _task_chosen(self, message: TaskTable.TaskChosen) -> None:
        open_task = getattr(self.app, "open_task", None)
        if open_task is None:
            self.notify(f"任务 #{message.task_id}", title="打开任务")
        else:
            open_task(message.task_id)

    # ------------------------------------------------------------------ actions

    def action_assign(self) -> None:
        if self.measure is None:
            return

        def chosen(request: AssignRequest | None) -> None:
            if request is not None:
                self.assign_units(request)

        self.app.push_screen(AssignModal(self.ctx, self.measure, tuple(r.unit for r in self.rows)), chosen)

    @work(thread=True, group="measure-assign")
    def assign_units(self, request: AssignRequest) -> None:
        try:
            changes = services.assign(self.ctx.db, request.measure_id, list(request.units), by=self.ctx.user,
                                      config=self.ctx.config)
        except (services.ServiceError, StoreError) as exc:
            self.post_message(self.Assigned(request.measure_id, 0, str(exc)))
            return
        self.post_message(self.Assigned(request.measure_id, len(changes)))

    @on(Assigned)
    def _assigned(self, message: Assigned) -> None:
        if message.error:
            self.notify(message.error, title="分配失败", severity="error")
            return
        self.notify(f"已更新 {message.tasks} 项任务", title="分配完成")
        self.load_measures()
        self.load_detail(message.measure_id)

    def action_unassign(self) -> None:
        """Remove the highlighted unit from the measure, after a confirmation (its history goes too)."""
        if self.measure is None:
            return
        row = self.query_one(TaskTable).current_task
        if row is None:
            self.notify("这项措施还没有责任单位", timeout=3)
            return
        measure = self.measure
        role = "（牵头单位）" if row.role == "lead" else ""
        message = (
            f"从措施「{measure.code} {measure.title}」中移除「{row.unit}」{role}？\n\n"
            f"该单位的这项任务（状态：{self.ctx.config.status_label(row.status)}）及其全部进展记录将被删除，"
            "无法撤销。"
        )

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.unassign_unit(measure.id, row.unit)

        self.app.push_screen(ConfirmModal("移除责任单位", message, confirm_label="移除"), confirmed)

    @work(thread=True, group="measure-unassign")
    def unassign_unit(self, measure_id: int, unit: str) -> None:
        try:
            services.unassign(self.ctx.db, measure_id, unit, by=self.ctx.user, config=self.ctx.config)
        except services.NotFoundError:
            self.post_message(self.Unassigned(measure_id, unit, f"「{unit}」在这项措施中已没有任务（可能已被他人移除）"))
            return
        except (services.ServiceError, StoreError) as exc:
            self.post_message(self.Unassigned(measure_id, unit, str(exc)))
            return
        self.post_message(self.Unassigned(measure_id, unit))

    @on(Unassigned)
    def _unassigned(self, message: Unassigned) -> None:
        if message.error:
            self.notify(message.error, title="移除失败", severity="error")
            return
        self.notify(f"已从措施中移除「{message.unit}」", title="移除完成")
        refresh = getattr(self.app, "refresh_data", None)
        if refresh is not None:  # every open screen (the task list too) shows the removal
            refresh()
        else:
            self.action_reload()

    def action_back(self) -> None:
        if self.focused is not None and self.focused.id == "measure-tasks":
            self.query_one("#measure-picker").focus()
        elif len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def action_reload(self) -> None:
        self.load_measures()
        if self.measure_id is not None:
            self.load_detail(self.measure_id)

    def action_show_in_tasks(self) -> None:
        if self.measure_id is None:
            return
        set_filter = getattr(self.app, "set_filter", None)
        flt = TaskFilter(measure_id=self.measure_id)
        if set_filter is None:
            self.notify(flt.describe(self.ctx.config.status_labels), title="任务筛选")
        else:
            set_filter(flt)
