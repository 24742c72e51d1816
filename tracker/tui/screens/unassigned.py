"""Unassigned: measures without units (from documents with no responsibility clause); assign them here."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from tracker.store import queries as q
from tracker.store import services
from tracker.store.writes import StoreError
from tracker.tui.context import AppContext
from tracker.tui.screens.assign_modal import AssignModal, AssignRequest
from tracker.tui.screens.base import ViewScreen
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.matrix_style import fit, truncate
from tracker.tui.widgets.prose import Prose


class UnassignedScreen(ViewScreen):
    TITLE = "待分配"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "assign", "分配单位"),
    ]

    DEFAULT_CSS = """
    UnassignedScreen #unassigned-summary { text-wrap: nowrap; text-overflow: ellipsis; height: 1; padding: 0 1; background: $panel; }
    UnassignedScreen #unassigned-body { height: 1fr; }
    UnassignedScreen #unassigned-list { text-wrap: nowrap; text-overflow: ellipsis; width: 3fr; height: 1fr; max-height: 100%; border: round $border-blurred; }
    UnassignedScreen #unassigned-list:focus { border: round $border; }
    UnassignedScreen #unassigned-preview { width: 2fr; height: 1fr; border: round $border-blurred; padding: 0 1; }
    """

    class Loaded(Message):
        def __init__(self, measures: list[q.MeasureRow], documents: dict[int, q.DocumentRow]) -> None:
            super().__init__()
            self.measures = measures
            self.documents = documents

    class Assigned(Message):
        def __init__(self, request: AssignRequest, tasks: int, lead: str | None) -> None:
            super().__init__()
            self.request = request
            self.tasks = tasks
            self.lead = lead

    class AssignFailed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, ctx: AppContext, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.ctx = ctx
        self.measures: list[q.MeasureRow] = []
        self.documents: dict[int, q.DocumentRow] = {}

    def compose(self) -> ComposeResult:
        yield Static("待分配措施 · 载入中…", id="unassigned-summary")
        with Horizontal(id="unassigned-body"):
            listing = OptionList(id="unassigned-list")
            listing.border_title = "没有责任单位的措施"
            yield listing
            with VerticalScroll(id="unassigned-preview") as preview:
                preview.border_title = "措施正文"
                yield Static("", id="unassigned-text")
        yield TrackerFooter()

    def on_mount(self) -> None:
        self.query_one("#unassigned-list").focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    # ------------------------------------------------------------------ data

    @work(thread=True, exclusive=True, group="unassigned-load")
    def load(self) -> None:
        worker = get_current_worker()
        with self.ctx.db.read_tx() as conn:
            measures = q.unassigned_measures(conn)
            documents = {d.id: d for d in q.list_documents(conn)}
        if not worker.is_cancelled:
            self.post_message(self.Loaded(measures, documents))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.measures = message.measures
        self.documents = message.documents
        listing = self.query_one("#unassigned-list", OptionList)
        keep = listing.highlighted
        options: list[Option | None] = []
        doc = None
        for m in message.measures:
            if doc is not None and m.document_id != doc:
                options.append(None)
            doc = m.document_id
            line = Text(no_wrap=True, overflow="crop")
            line.append(fit(truncate(m.document_title, 16), 16) + " ", style="dim")
            line.append(fit(m.code, 8) + " ")
            line.append(m.title or truncate(m.text, 60))
            options.append(Option(line, id=str(m.id)))
        listing.set_options(options)
        if message.measures:
            count = listing.option_count
            listing.highlighted = min(keep or 0, count - 1)
            if listing.highlighted_option is None or listing.highlighted_option.disabled:
                listing.highlighted = 0
        docs = len({m.document_id for m in message.measures})
        summary = (
            f"待分配措施 {len(message.measures)} 项，来自 {docs} 个文件 · 选中后按 a 或回车分配责任单位"
            if message.measures else "所有措施都已分配责任单位"
        )
        self.query_one("#unassigned-summary", Static).update(Text(summary, no_wrap=True, overflow="ellipsis"))
        self._preview()

    @property
    def current(self) -> q.MeasureRow | None:
        option = self.query_one("#unassigned-list", OptionList).highlighted_option
        if option is None or option.id is None:
            return None
        return next((m for m in self.measures if str(m.id) == option.id), None)

    def _preview(self) -> None:
        m = self.current
        text = Text()
        if m is not None:
            d = self.documents.get(m.document_id)
            text.append(f"{m.code} {m.title}\n", style="bold")
            source = d.title if d else m.document_title
            if d and d.doc_number:
                source += f"（{d.doc_number}）"
            text.append(f"{source}\n", style="dim")
            text.append(f"截止：{m.due.isoformat() if m.due else '无'}" + (f"（{m.due_phrase}）" if m.due_phrase else "") + "\n\n")
            text.append(m.text)
        self.query_one("#unassigned-text", Static).update(Prose(text))

    @on(OptionList.OptionHighlighted, "#unassigned-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview()

    @on(OptionList.OptionSelected, "#unassigned-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_assign()

    # ------------------------------------------------------------------ assigning

    def action_assign(self) -> None:
        m = self.current
        if m is None:
            return

        def assigned(request: AssignRequest | None) -> None:
            if request is not None:
                self.assign_units(request)

        self.app.push_screen(AssignModal(self.ctx, m), assigned)

    @work(thread=True, exclusive=False, group="unassigned-assign")
    def assign_units(self, request: AssignRequest) -> None:
        try:
            changes = services.assign(
                self.ctx.db, request.measure_id, list(request.units), by=self.ctx.user, config=self.ctx.config
            )
            with self.ctx.db.read_tx() as conn:
                from tracker.store.filters import TaskFilter

                rows = q.list_tasks(conn, TaskFilter(measure_id=request.measure_id, role="lead"), self.ctx.today)
        except (services.ServiceError, StoreError) as exc:
            self.post_message(self.AssignFailed(str(exc)))
            return
        self.post_message(self.Assigned(request, len(changes), rows[0].unit if rows else None))

    @on(Assigned)
    def _assigned(self, message: Assigned) -> None:
        lead = f"，牵头：{message.lead}" if message.lead else ""
        self.notify(f"已分配 {message.tasks} 项任务{lead}", title="分配完成")
        self.load()

    @on(AssignFailed)
    def _assign_failed(self, message: AssignFailed) -> None:
        self.notify(message.error, title="分配失败", severity="error")

    def action_reload(self) -> None:
        self.load()
