"""The Textual app: screens, global keys, undo, export and change polling."""

from __future__ import annotations

import gc
import importlib
from dataclasses import dataclass
from pathlib import Path

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from tracker.store import services
from tracker.store.change_probe import ChangeProbe
from tracker.store.filters import TaskFilter
from tracker.store.queries import TaskRow
from tracker.tui.commands import DirectoryCommands, DocumentCommands, TrackerCommands
from tracker.tui.context import AppContext
from tracker.tui.messages import DataChanged
from tracker.tui.screens.status_modal import StatusModal, StatusOutcome
from tracker.tui.screens.tasks import TasksScreen
from tracker.tui.widgets.cells import day_label
from tracker.tui.widgets.footer import NARROW as FOOTER_NARROW

POLL_SECONDS = 2.0
VIEW_GROUP = Binding.Group("视图", compact=True)

# view name -> (module, class, label); "tasks" is the home screen
VIEWS: dict[str, tuple[str, str, str]] = {
    "units": ("tracker.tui.screens.unit", "UnitScreen", "按单位"),
    "measures": ("tracker.tui.screens.measure", "MeasureScreen", "按措施"),
    "matrix": ("tracker.tui.screens.matrix", "MatrixScreen", "责任矩阵"),
    "dashboard": ("tracker.tui.screens.dashboard", "DashboardScreen", "看板"),
    "unassigned": ("tracker.tui.screens.unassigned", "UnassignedScreen", "待分配"),
    "remind": ("tracker.tui.screens.remind", "RemindScreen", "催报"),
    "queue": ("tracker.tui.screens.queue", "QueueScreen", "待办审批"),
}


@dataclass
class UndoEntry:
    event_ids: list[int]
    description: str  # the change, named when an undo is refused
    restored: str  # what an undo goes back to, named when it succeeds


class TrackerApp(App[None]):
    """督查督办: follow every measure × unit task of a policy document."""

    CSS_PATH = "app.tcss"
    TITLE = "督查督办"
    # our providers only: Textual's system commands (theme, screenshot, keys…) are in English
    COMMANDS = {TrackerCommands, DirectoryCommands, DocumentCommands}

    BINDINGS = [
        Binding("question_mark", "help", "帮助"),
        Binding("z", "undo", "撤销"),
        Binding("e", "export", "导出"),
        Binding("r", "reload", "刷新", show=False),  # screens reload by themselves
        Binding("1", "view('tasks')", "任务", group=VIEW_GROUP),
        Binding("2", "view('units')", "按单位", group=VIEW_GROUP),
        Binding("3", "view('measures')", "按措施", group=VIEW_GROUP),
        Binding("4", "view('matrix')", "矩阵", group=VIEW_GROUP),
        Binding("5", "view('dashboard')", "看板", group=VIEW_GROUP),
        Binding("6", "view('unassigned')", "待分配", group=VIEW_GROUP),
        Binding("7", "view('remind')", "催报", group=VIEW_GROUP),
        Binding("8", "view('queue')", "审批", group=VIEW_GROUP),
        Binding("q", "quit", "退出"),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True),
    ]

    class _Polled(Message):
        def __init__(self, token: tuple, broadcast: bool) -> None:
            super().__init__()
            self.token = token
            self.broadcast = broadcast

    class _Undone(Message):
        def __init__(self, entry: UndoEntry, error: Exception | None) -> None:
            super().__init__()
            self.entry = entry
            self.error = error

    class _Exported(Message):
        def __init__(self, path: Path | None, error: str | None) -> None:
            super().__init__()
            self.path = path
            self.error = error

    def __init__(self, ctx: AppContext, *, poll: bool = True, freeze_heap: bool = False) -> None:
        super().__init__()
        self.ctx = ctx
        self.poll_enabled = poll
        self.freeze_heap = freeze_heap  # see first_screen_shown
        if freeze_heap:
            gc.freeze()  # what the imports made (~70k objects): full collections while the first screen fills skip it
        self.undo_stack: list[UndoEntry] = []
        self.change_token: tuple | None = None
        self.change_probe = ChangeProbe(ctx.db)  # O(1) a tick, whatever the size
        self.export_dir = Path.cwd()

    # ------------------------------------------------------------------ screens
    def get_default_screen(self) -> Screen:
        return TasksScreen(self.ctx)

    @property
    def home(self) -> TasksScreen:
        return self.screen_stack[0]  # type: ignore[return-value]

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < FOOTER_NARROW, "-narrow")

    def on_mount(self) -> None:
        self.set_class(self.size.width < FOOTER_NARROW, "-narrow")
        # every header names the day "overdue" is counted from: a set day reads 基准日, not 今天
        self.title = f"{self.TITLE} · {day_label(self.ctx.today)}"
        self.sub_title = self.ctx.user
        for warning in self.ctx.config.warnings:  # printed before the app took the screen: said again here
            self.notify(f"配置文件：{warning}", severity="warning", timeout=12)
        self.read_token()
        if self.poll_enabled:
            self.set_interval(POLL_SECONDS, self.read_token, name="change-poll")

    def first_screen_shown(self) -> None:
        """The home screen is whole (rows, counts, filter choices); called once.

        What exists now (modules, styles, the home screen) lives as long as the app: frozen, the garbage
        collector's full collections no longer walk it (at 1M tasks ~90k objects: 0.1-0.2 s stalls in whichever
        thread triggered one, several while a view fills). The same is done once the app is built (what the
        imports made). Objects frozen are still freed when no longer used; only reference cycles among them would
        stay. Once per process: ``run_app`` turns it on, not the tests.
        """
        if self.freeze_heap:
            self.freeze_heap = False
            gc.freeze()

    def open_task(self, task_id: int) -> None:
        """Show a task's detail (used by every screen)."""
        from tracker.tui.screens.detail import DetailScreen

        self.push_screen(DetailScreen(self.ctx, task_id))

    def set_filter(self, flt: TaskFilter) -> None:
        """Show the task list for ``flt`` (used by the other views)."""
        self._go_home()
        self.home.set_filter(flt)

    def _go_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_view(self, name: str) -> None:
        if name == "tasks":
            self._go_home()
            return
        spec = VIEWS.get(name)
        if spec is None:
            return
        module_name, class_name, label = spec
        screen_class = getattr(importlib.import_module(module_name), class_name)
        try:
            screen = screen_class(self.ctx)
        except Exception as exc:  # noqa: BLE001 - a broken view must not take the app down
            self.notify(f"「{label}」视图打开失败：{exc}", severity="error", timeout=6)
            return
        self._go_home()
        self.push_screen(screen)

    def open_unit(self, name: str) -> None:
        """The 按单位 view on one unit (from the command palette)."""
        from tracker.tui.screens.unit import UnitScreen

        self._go_home()
        self.push_screen(UnitScreen(self.ctx, name))

    def open_measure(self, measure_id: int) -> None:
        """The 按措施 view on one measure (from the command palette)."""
        from tracker.tui.screens.measure import MeasureScreen

        self._go_home()
        self.push_screen(MeasureScreen(self.ctx, measure_id))

    def action_command_palette(self) -> None:
        from tracker.tui.screens.palette import TrackerPalette

        if self.use_command_palette and not TrackerPalette.is_open(self):
            self.push_screen(TrackerPalette())

    async def action_home(self, action: str) -> None:
        """Run a home-screen action from anywhere (command palette)."""
        self._go_home()
        await self.home.run_action(action)

    def action_add_item(self) -> None:
        """The form for a new 督办事项; once saved, the task list shows its tasks."""
        from tracker.tui.screens.add_item_modal import AddedItem, AddItemModal

        def added(item: AddedItem | None) -> None:
            if item is None:
                return
            self.notify(f"已新增督办事项「{item.title}」：{item.tasks} 项任务", title="新增督办", timeout=6)
            self.refresh_data()
            self.set_filter(TaskFilter(measure_id=item.measure_id))

        self.push_screen(AddItemModal(self.ctx), added)

    def action_help(self) -> None:
        from tracker.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # ------------------------------------------------------------------ status and undo
    def open_status_modal(self, rows: list[TaskRow]) -> None:
        def done(outcome: StatusOutcome | None) -> None:
            if outcome is None:
                return
            if outcome.event_ids:
                self.undo_stack.append(UndoEntry(outcome.event_ids, outcome.description, outcome.undo_description))
                self.notify(f"已保存：{outcome.description}（z 撤销）", timeout=4)
            else:
                self.notify("没有变化", timeout=2)
            if len(outcome.task_ids) > 1:
                self.home.clear_marks()
            self.refresh_data()

        self.push_screen(StatusModal(self.ctx, rows), done)

    @on(StatusModal.RowsReloaded)
    def _rows_reloaded(self, message: StatusModal.RowsReloaded) -> None:
        self.home.replace_rows(message.rows)
        self.refresh_data()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("没有可以撤销的修改", timeout=2)
            return
        self.undo(self.undo_stack.pop())

    @work(thread=True, exclusive=True, group="undo")
    def undo(self, entry: UndoEntry) -> None:
        error: Exception | None = None
        for event_id in reversed(entry.event_ids):
            try:
                services.undo_event(self.ctx.db, event_id, by=self.ctx.user)
            except Exception as exc:  # noqa: BLE001 - reported, the rest is still undone
                error = exc
        self.post_message(self._Undone(entry, error))

    @on(_Undone)
    def _undone(self, message: _Undone) -> None:
        if message.error is None:
            self.notify(f"已撤销：{message.entry.restored}", timeout=4)
        elif isinstance(message.error, services.StaleWriteError):
            self.notify(f"无法撤销「{message.entry.description}」：任务已被再次修改", severity="warning", timeout=6)
        else:
            self.notify(f"撤销失败：{message.error}", severity="error", timeout=6)
        self.refresh_data()

    # ------------------------------------------------------------------ archive
    class _Archived(Message):
        def __init__(self, text: str, error: bool) -> None:
            super().__init__()
            self.text = text
            self.error = error

    def ask_archive(self, document_id: int, title: str, archive: bool) -> None:
        """Archive or restore a document after a confirmation (from the command palette)."""
        from tracker.tui.screens.confirm_modal import ConfirmModal

        if archive:
            message = f"#{document_id}《{title}》将不再出现在任务列表、看板和报告中；任务与历史保留，可随时恢复。"
        else:
            message = f"#{document_id}《{title}》将重新出现在任务列表、看板和报告中。"
        verb = "归档" if archive else "恢复"

        def answered(confirmed: bool | None) -> None:
            if confirmed:
                self.set_archived(document_id, title, archive)

        self.push_screen(ConfirmModal(f"{verb}文件", message, confirm_label=verb), answered)

    @work(thread=True, exclusive=True, group="archive")
    def set_archived(self, document_id: int, title: str, archive: bool) -> None:
        try:
            changed = services.set_archived(self.ctx.db, document_id, archive)
        except Exception as exc:  # noqa: BLE001 - reported in a toast
            self.post_message(self._Archived(f"{'归档' if archive else '恢复'}失败：{exc}", True))
            return
        verb = "已归档" if archive else "已恢复"
        self.post_message(self._Archived(f"{verb}：#{document_id}《{title}》" if changed else "无变化", False))

    @on(_Archived)
    def _archived(self, message: _Archived) -> None:
        self.notify(message.text, severity="error" if message.error else "information", timeout=5)
        self.refresh_data()

    # ------------------------------------------------------------------ export
    def action_export(self) -> None:
        from tracker.tui.screens.export_modal import ExportModal, ExportRequest

        flt = self.home.filter
        default = self.export_dir / f"督查进展报告_{self.ctx.today.isoformat()}.md"

        def chosen(request: ExportRequest | None) -> None:
            if request is not None:
                path = request.path if request.path.is_absolute() else self.export_dir / request.path
                self.export(flt, path, request.by)

        self.push_screen(ExportModal(default, flt.describe(self.ctx.config.status_labels)), chosen)

    @work(thread=True, exclusive=True, group="export")
    def export(self, flt: TaskFilter, path: Path, by: str) -> None:
        from tracker.report.markdown import render_report

        try:
            with self.ctx.db.read_tx() as conn:
                text = render_report(conn, flt, self.ctx.today, self.ctx.config, by=by)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        except Exception as exc:  # noqa: BLE001
            self.post_message(self._Exported(None, f"导出失败：{exc}"))
            return
        self.post_message(self._Exported(path, None))

    @on(_Exported)
    def _exported(self, message: _Exported) -> None:
        if message.error:
            self.notify(message.error, severity="error", timeout=6)
        else:
            self.notify(f"已导出到 {message.path}", title="导出完成", timeout=8)

    # ------------------------------------------------------------------ refresh
    def action_reload(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Tell every screen on the stack to reload."""
        for screen in list(self.screen_stack):
            screen.post_message(DataChanged())
        self.read_token(broadcast=False)

    @work(thread=True, exclusive=True, group="change-poll")
    def read_token(self, broadcast: bool = True) -> None:
        try:
            token = self.change_probe.token()
        except Exception:  # noqa: BLE001 - a busy database: try again at the next tick
            return
        self.post_message(self._Polled(token, broadcast))

    @on(_Polled)
    def _polled(self, message: _Polled) -> None:
        previous, self.change_token = self.change_token, message.token
        if message.broadcast and previous is not None and previous != message.token:
            for screen in list(self.screen_stack):
                screen.post_message(DataChanged())


def create_app(ctx: AppContext, *, poll: bool = True, freeze_heap: bool = False) -> TrackerApp:
    """The app factory used by the command line and the tests (``freeze_heap``: see ``first_screen_shown``)."""
    return TrackerApp(ctx, poll=poll, freeze_heap=freeze_heap)


def run_app(ctx: AppContext) -> None:
    create_app(ctx, freeze_heap=True).run()
