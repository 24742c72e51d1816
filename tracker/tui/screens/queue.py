"""待办审批: what waits for the coordinator's decision — 延期申请 (a new deadline asked for) and 待销号 (tasks a
unit reported done). ``a`` approves (同意延期 / 销号), ``x`` refuses (驳回 / 退回) with a note that must be given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Label, Static
from textual.worker import get_current_worker

from tracker.dates import is_overdue
from tracker.store import cycle_reads, services
from tracker.store import queries as q
from tracker.tui.context import AppContext
from tracker.tui.screens.base import ViewScreen
from tracker.tui.screens.note_modal import NoteModal
from tracker.tui.screens.status_modal import stale_phrase
from tracker.tui.widgets.cells import task_ref, truncate
from tracker.tui.widgets.fitted_table import Cell, Column, FittedTable
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.prose import Prose

EXTENSION_COLUMNS = [
    Column("id", "编号", 6),
    Column("unit", "单位", 16, narrowest=8),
    Column("measure", "措施", 40, narrowest=8),
    Column("due", "截止 → 申请至", 23),
    Column("reason", "理由", 60, narrowest=8, leaves=1),
    Column("asked", "申请", 20, leaves=2),
]
REVIEW_COLUMNS = [
    Column("id", "编号", 6),
    Column("unit", "单位", 16, narrowest=8),
    Column("measure", "措施", 40, narrowest=8),
    Column("note", "完成说明", 50, narrowest=8, leaves=1),
    Column("evidence", "佐证", 30, narrowest=6, leaves=3),
    Column("reported", "报送", 20, leaves=2),
]


@dataclass
class QueueData:
    extensions: list[cycle_reads.ExtensionRow]  # pending, oldest first
    reviews: list[cycle_reads.ReviewRow]  # longest waiting first
    evidence: dict[int, list[cycle_reads.EvidenceRow]] = field(default_factory=dict)  # task id -> its evidence


@dataclass(frozen=True)
class Decision:
    """What ``a`` or ``x`` acts on: a pending request or a task awaiting 销号, and the task version read."""

    kind: str  # extension | review
    task_id: int
    version: int
    unit: str
    measure_code: str
    measure_title: str
    extension: cycle_reads.ExtensionRow | None = None
    review: cycle_reads.ReviewRow | None = None

    def subject(self, title_width: int) -> str:
        return f"{task_ref(self.task_id)} {self.measure_code} {truncate(self.measure_title, title_width)} · {self.unit}"


def stale_text(error: services.StaleWriteError, fresh: q.TaskRow | None, labels: dict[str, str]) -> str:
    """A refused decision, in the status dialog's words."""
    return f"操作被拒绝：{stale_phrase(error, fresh, labels)}。已重新载入最新内容，请核对后再操作。"


def _when(value) -> str:
    return value.astimezone().strftime("%m-%d %H:%M") if value else ""


class QueueScreen(ViewScreen):
    TITLE = "待办审批"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "approve", "同意/销号"),
        Binding("x", "reject", "驳回/退回"),
    ]

    DEFAULT_CSS = """
    QueueScreen #queue-summary { text-wrap: nowrap; text-overflow: ellipsis; height: 1; padding: 0 1; background: $panel; }
    QueueScreen .queue-title { padding: 0 1; text-style: bold; color: $text-accent; }
    QueueScreen FittedTable { height: 1fr; }
    QueueScreen #queue-preview { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    """

    class Loaded(Message):
        def __init__(self, data: QueueData) -> None:
            super().__init__()
            self.data = data

    class Decided(Message):
        def __init__(self, text: str, error: Exception | None = None, fresh: q.TaskRow | None = None) -> None:
            super().__init__()
            self.text = text
            self.error = error
            self.fresh = fresh

    def __init__(self, ctx: AppContext, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.ctx = ctx
        self.data: QueueData | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield Static("待办审批 · 载入中…", id="queue-summary")
        with Vertical(id="queue-body"):
            yield Label("延期申请", id="queue-extensions-title", classes="queue-title")
            yield FittedTable(EXTENSION_COLUMNS, id="queue-extensions")
            yield Label("待销号", id="queue-reviews-title", classes="queue-title")
            yield FittedTable(REVIEW_COLUMNS, id="queue-reviews")
        yield Static("", id="queue-preview")
        yield TrackerFooter()

    def on_mount(self) -> None:
        self.query_one("#queue-extensions").focus()
        self.load()

    def on_screen_resume(self) -> None:
        self.load()

    # ------------------------------------------------------------------ data
    @work(thread=True, exclusive=True, group="queue-load")
    def load(self) -> None:
        worker = get_current_worker()
        with self.ctx.db.read_tx() as conn:
            extensions = cycle_reads.pending_extensions(conn)
            reviews = cycle_reads.review_queue(conn)
            evidence = {r.task.id: cycle_reads.task_evidence(conn, r.task.id) for r in reviews if r.evidence}
        if not worker.is_cancelled:
            self.post_message(self.Loaded(QueueData(extensions, reviews, evidence)))

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        self.data = data = message.data
        today = self.ctx.today
        ext_rows = []
        for ext in data.extensions:
            old = ext.task_due.isoformat() if ext.task_due else "无期限"
            late = is_overdue(ext.task_due, ext.task_status, today)
            ext_rows.append((str(ext.id), {
                "id": Cell(task_ref(ext.task_id)),
                "unit": Cell(ext.unit),
                "measure": Cell(f"{ext.measure_code} {ext.measure_title}"),
                "due": Cell(f"{old} → {ext.requested_due.isoformat()}", "red" if late else ""),
                "reason": Cell(ext.reason or "—", "" if ext.reason else "dim"),
                "asked": Cell(f"{ext.requested_by} {_when(ext.requested_at)}".strip(), "dim"),
            }))
        review_rows = []
        for review in data.reviews:
            task = review.task
            refs = data.evidence.get(task.id, [])
            shown = (refs[0].caption or refs[0].ref) + (f" 等{len(refs)}项" if len(refs) > 1 else "") if refs else "无"
            review_rows.append((str(task.id), {
                "id": Cell(task_ref(task.id)),
                "unit": Cell(task.unit),
                "measure": Cell(f"{task.measure_code} {task.measure_title}"),
                "note": Cell(task.note or "（未填写）", "" if task.note else "dim"),
                "evidence": Cell(shown, "" if refs else "dim"),
                "reported": Cell(self._submitted(review), "dim"),
            }))
        self.query_one("#queue-extensions", FittedTable).show(ext_rows)
        self.query_one("#queue-reviews", FittedTable).show(review_rows)
        self.query_one("#queue-extensions-title", Label).update(f"延期申请（{len(ext_rows)}）")
        self.query_one("#queue-reviews-title", Label).update(f"待销号（{len(review_rows)}）")
        if ext_rows or review_rows:
            summary = (f"待审批：延期申请 {len(ext_rows)} 项 · 待销号 {len(review_rows)} 项 · "
                       "a 同意/销号 · x 驳回/退回（需填写理由）· Tab 切换列表 · 回车 详情")
        else:
            summary = "没有待审批的事项：延期申请与待销号都已处理"
        self.query_one("#queue-summary", Static).update(Text(summary, no_wrap=True, overflow="ellipsis"))
        if not ext_rows and review_rows and self.focused is self.query_one("#queue-extensions"):
            self.query_one("#queue-reviews").focus()
        self._preview()

    @staticmethod
    def _submitted(review: cycle_reads.ReviewRow) -> str:
        if review.submitted_at is None:
            return f"{review.task.updated_by} {_when(review.task.updated_at)}".strip()
        return f"{review.submitted_by} {_when(review.submitted_at)}".strip()

    # ------------------------------------------------------------------ selection
    @property
    def _table(self) -> FittedTable:
        focused = self.focused
        if isinstance(focused, FittedTable):
            return focused
        return self.query_one("#queue-extensions", FittedTable)

    def current(self) -> Decision | None:
        """The request or task under the cursor of the focused list."""
        if self.data is None:
            return None
        table = self._table
        key = table.current_key
        if key is None:
            return None
        if table.id == "queue-extensions":
            ext = next((e for e in self.data.extensions if str(e.id) == key), None)
            if ext is None:
                return None
            return Decision("extension", ext.task_id, ext.task_version, ext.unit, ext.measure_code,
                            ext.measure_title, extension=ext)
        review = next((r for r in self.data.reviews if str(r.task.id) == key), None)
        if review is None:
            return None
        t = review.task
        return Decision("review", t.id, t.version, t.unit, t.measure_code, t.measure_title, review=review)

    @on(DataTable.RowHighlighted)
    def _highlighted(self) -> None:
        self._preview()

    def on_descendant_focus(self) -> None:
        self._preview()

    def _preview(self) -> None:
        chosen = self.current()
        text = Text()
        if chosen is not None:
            text.append(f"{chosen.subject(40)}\n", style="bold")
            if chosen.extension is not None:
                ext = chosen.extension
                old = ext.task_due.isoformat() if ext.task_due else "无期限"
                text.append(f"申请将截止日期由 {old} 延至 {ext.requested_due.isoformat()}")
                text.append(f"（{ext.requested_by} {_when(ext.requested_at)}）\n", style="dim")
                text.append(f"理由：{ext.reason or '（未填写）'}")
            elif chosen.review is not None:
                task = chosen.review.task
                text.append(f"完成说明：{task.note or '（未填写）'}")
                text.append(f"（{self._submitted(chosen.review)}）", style="dim")
                refs = self.data.evidence.get(task.id, []) if self.data else []
                for ev in refs:
                    text.append(f"\n佐证：{ev.ref}" + (f"（{ev.caption}）" if ev.caption else ""))
                if not refs:
                    text.append("\n佐证：无", style="dim")
        self.query_one("#queue-preview", Static).update(Prose(text))

    @on(FittedTable.RowChosen)
    def _chosen(self) -> None:
        self.action_open()

    # ------------------------------------------------------------------ decisions
    def action_open(self) -> None:
        chosen = self.current()
        if chosen is not None:
            self.app.open_task(chosen.task_id)

    def action_approve(self) -> None:
        chosen = self.current()
        if chosen is None or self.busy:
            return
        self.busy = True
        self.decide(chosen, True, "")

    def action_reject(self) -> None:
        chosen = self.current()
        if chosen is None or self.busy:
            return
        subject = chosen.subject(24)
        if chosen.extension is not None:
            title, label, verb = "驳回延期申请", "驳回理由", "驳回"
            subject += f"\n申请延至 {chosen.extension.requested_due.isoformat()}，驳回后截止日期不变"
        else:
            title, label, verb = "退回销号", "退回理由", "退回"
            subject += "\n退回后任务回到报送完成前的状态，由责任单位继续办理"

        def answered(note: str | None) -> None:
            if note:
                self.busy = True
                self.decide(chosen, False, note)

        self.app.push_screen(NoteModal(title, subject, label=label, placeholder="写给责任单位的说明",
                                       confirm_label=verb), answered)

    @work(thread=True, exclusive=True, group="queue-decide")
    def decide(self, chosen: Decision, approve: bool, note: str) -> None:
        db, by = self.ctx.db, self.ctx.user
        try:
            if chosen.kind == "extension":
                services.decide_extension(db, chosen.task_id, approve=approve, note=note, by=by,
                                          expected_version=chosen.version)
                done = "已同意延期" if approve else "已驳回延期申请"
            else:
                services.verify_task(db, chosen.task_id, approve=approve, note=note, by=by,
                                     expected_version=chosen.version)
                done = "已销号" if approve else "已退回"
        except services.StaleWriteError as exc:
            with db.read_tx() as conn:
                fresh = q.get_task(conn, chosen.task_id)
            self.post_message(self.Decided("", exc, fresh))
            return
        except Exception as exc:  # noqa: BLE001 - reported in a toast, the list stays
            self.post_message(self.Decided("", exc))
            return
        self.post_message(self.Decided(f"{done}：{task_ref(chosen.task_id)} {chosen.measure_code} {chosen.unit}"))

    @on(Decided)
    def _decided(self, message: Decided) -> None:
        self.busy = False
        if isinstance(message.error, services.StaleWriteError):
            self.notify(stale_text(message.error, message.fresh, self.ctx.config.status_labels),
                        severity="warning", timeout=8)
        elif message.error is not None:
            self.notify(f"操作失败：{message.error}", severity="error", timeout=6)
        else:
            self.notify(message.text, timeout=4)
        refresh = getattr(self.app, "refresh_data", None)
        if refresh is not None:
            refresh()  # every view (and this list) reloads
        else:
            self.load()

    def action_reload(self) -> None:
        self.load()
