"""One task in full: the measure text with this unit highlighted, the other units, targets, history."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Label, Static

from tracker.config import ROLE_LABELS
from tracker.store import cycle_reads, queries
from tracker.store.cycle_reads import EvidenceRow, ExtensionRow
from tracker.store.filters import TaskFilter
from tracker.store.queries import EventRow, MeasureRow, TargetRow, TaskRow
from tracker.tui.context import AppContext
from tracker.tui.messages import DataChanged
from tracker.tui.widgets.cells import ago_phrase, fit, late_phrase, task_ref
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.prose import Prose
from tracker.tui.widgets.task_record import evidence_text, extensions_text, history_text

UNIT_HEADINGS = ("编号", "责任单位", "角色", "状态", "截止日期", "逾期/剩余", "最新进展")


@dataclass
class DetailData:
    task: TaskRow
    measure: MeasureRow | None
    others: list[TaskRow]
    targets: list[TargetRow]
    history: list[EventRow]
    evidence: list[EvidenceRow]
    extensions: list[ExtensionRow]


class DetailScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,backspace", "back", "返回"),
        Binding("s", "set_status", "更新状态"),
        Binding("r", "reload", "刷新"),
    ]

    class _Loaded(Message):
        def __init__(self, data: DetailData | None) -> None:
            super().__init__()
            self.data = data

    def __init__(self, ctx: AppContext, task_id: int) -> None:
        super().__init__()
        self.ctx = ctx
        self.task_id = task_id
        self.data: DetailData | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="detail-scroll"):
            yield Static("载入中…", id="detail-head")
            yield Label("措施原文", classes="section-title")
            yield Static("", id="detail-text")
            yield Label("同一措施的责任单位", classes="section-title")
            yield DataTable(id="detail-units", cursor_type="row", zebra_stripes=False)
            yield Label("指标", classes="section-title")
            yield Static("", id="detail-targets")
            yield Label("佐证材料", classes="section-title detail-evidence")
            yield Static("", id="detail-evidence", classes="detail-evidence")
            yield Label("延期申请", classes="section-title detail-extensions")
            yield Static("", id="detail-extensions", classes="detail-extensions")
            yield Label("历史记录", classes="section-title")
            yield Static("", id="detail-history")
        yield TrackerFooter()

    def on_mount(self) -> None:
        self.sub_title = "任务详情"
        self.load()

    @work(thread=True, exclusive=True, group="detail-load")
    def load(self) -> None:
        with self.ctx.db.read_tx() as conn:
            task = queries.get_task(conn, self.task_id)
            if task is None:
                self.post_message(self._Loaded(None))
                return
            data = DetailData(
                task=task,
                measure=queries.get_measure(conn, task.measure_id),
                others=queries.list_tasks(conn, TaskFilter(measure_id=task.measure_id), self.ctx.today, sort="measure"),
                targets=queries.list_targets(conn, measure_id=task.measure_id),
                history=queries.task_history(conn, task.id),
                evidence=cycle_reads.task_evidence(conn, task.id),
                extensions=cycle_reads.task_extensions(conn, task.id),
            )
        self.post_message(self._Loaded(data))

    @on(_Loaded)
    def _show(self, message: _Loaded) -> None:
        data = message.data
        if data is None:
            self.query_one("#detail-head", Static).update("这项任务已不存在（可能已被取消分配）。按 Esc 返回。")
            return
        self.data = data
        self.sub_title = f"{task_ref(data.task.id)} · {data.task.measure_code} · {data.task.unit}"
        self.query_one("#detail-head", Static).update(Prose(self._head(data)))
        self.query_one("#detail-text", Static).update(Prose(self._text(data)))
        self._fill_units(data)
        self.query_one("#detail-targets", Static).update(Prose(self._targets(data)))
        self.query_one("#detail-evidence", Static).update(Prose(evidence_text(data.evidence)))
        self.query_one("#detail-extensions", Static).update(Prose(extensions_text(data.extensions)))
        # sections most tasks never use leave rather than say （无）
        self.query(".detail-evidence").set(display=bool(data.evidence))
        self.query(".detail-extensions").set(display=bool(data.extensions))
        self.query_one("#detail-history", Static).update(Prose(history_text(data.history, self.ctx.config.status_labels)))

    # ------------------------------------------------------------------ parts
    def _head(self, data: DetailData) -> Text:
        t = data.task
        today = self.ctx.today
        labels = self.ctx.config.status_labels
        text = Text()
        text.append(f"{task_ref(t.id)}  {t.measure_code}  {t.measure_title}\n", style="bold")
        text.append(f"{t.document_title}", style="dim")
        text.append(f" · 第{t.chapter_code}部分 {t.chapter}\n\n" if t.chapter_code else "\n\n", style="dim")
        text.append("责任单位  ", style="bold")
        text.append(f"{t.unit}（{ROLE_LABELS.get(t.role, t.role)}）\n")
        text.append("状态      ", style="bold")
        status_style = "bold red" if t.is_overdue(today) else ("bold yellow" if t.is_due_soon(today, self.ctx.due_soon_days) else "")
        text.append(labels.get(t.status, t.status), style=status_style or None)
        text.append("\n")
        text.append("截止日期  ", style="bold")
        if t.due:
            text.append(t.due.isoformat())
            text.append(f"（{late_phrase(t.due, t.status, today)}）", style=status_style or "dim")
        else:
            text.append("无期限")
        if t.due_phrase:
            text.append(f"  原文：“{t.due_phrase}”", style="dim")
        text.append("\n")
        text.append("最新进展  ", style="bold")
        text.append(t.note or "（暂无）")
        text.append(f"  — {t.updated_by} · {ago_phrase(t.updated_at, today)}", style="dim")
        pending = next((r for r in data.extensions if r.state == "pending"), None)
        if pending is not None:  # what waits for the coordinator, without scrolling down
            text.append("\n延期申请  ", style="bold")
            text.append(f"待审批：申请延至 {pending.requested_due.isoformat()}", style="bold yellow")
            text.append("（按 8 进入待办审批）", style="dim")
        if data.evidence:
            text.append("\n佐证材料  ", style="bold")
            text.append(f"{len(data.evidence)} 项（见下）")
        return text

    def _names_to_highlight(self, unit: str) -> list[str]:
        names = {unit}
        cfg = self.ctx.config
        names.update(alias for alias, target in cfg.aliases.items() if cfg.canonical_unit(target) == unit)
        names.update(g.name for g in cfg.groups.values() if unit in g.members)
        return sorted(names, key=len, reverse=True)

    def _text(self, data: DetailData) -> Text:
        body = data.measure.text if data.measure else ""
        text = Text(body)
        for name in self._names_to_highlight(data.task.unit):
            text.highlight_regex(re.escape(name), style="bold reverse")
        return text

    def _fill_units(self, data: DetailData) -> None:
        table = self.query_one("#detail-units", DataTable)
        labels = self.ctx.config.status_labels
        today = self.ctx.today
        rows = []
        for r in data.others:
            status = labels.get(r.status, r.status)
            if r.status == "blocked":
                status = "!" + status
            rows.append((r, [task_ref(r.id), r.unit, ROLE_LABELS.get(r.role, r.role), status,
                             r.due.isoformat() if r.due else "—", late_phrase(r.due, r.status, today), r.note or ""]))
        widths = self._unit_columns([cells for _, cells in rows])
        table.clear(columns=True)
        for heading, width in zip(UNIT_HEADINGS, widths):
            if width:
                table.add_column(fit(heading, width), width=width)
        cursor = 0
        for i, (r, cells) in enumerate(rows):
            style = ""
            if r.status in ("done", "dropped"):
                style = "dim"
            elif r.is_overdue(today):
                style = "red"
            elif r.is_due_soon(today, self.ctx.due_soon_days):
                style = "yellow"
            if r.id == data.task.id:
                cursor = i
                style = (style + " bold").strip()
            shown = [Text(fit(c, w), style=style) for c, w in zip(cells, widths) if w]
            table.add_row(*shown, key=str(r.id))
        if data.others:
            table.move_cursor(row=cursor)

    def _unit_columns(self, rows: list[list[str]]) -> list[int]:
        """Column widths that fit the screen: the note takes what is left, or leaves when nothing is."""
        natural = [max([cell_len(h)] + [cell_len(cells[i]) for cells in rows]) for i, h in enumerate(UNIT_HEADINGS)]
        natural[1] = min(natural[1], 22)
        available = self.size.width - 4 - 2  # the view's padding and the scrollbar
        fixed = sum(w + 2 for w in natural[:-1])  # DataTable pads each cell by one on both sides
        note = min(natural[-1], 40, available - fixed - 2)
        return natural[:-1] + [note if note >= 6 else 0]

    def on_resize(self, event: events.Resize) -> None:
        if self.data is not None:
            self._fill_units(self.data)

    def _targets(self, data: DetailData) -> Text:
        if not data.targets:
            return Text("（本措施没有量化指标）", style="dim")
        text = Text()
        for t in data.targets:
            text.append("• ")
            text.append(t.phrase)
            if t.due:
                text.append(f"  截止 {t.due.isoformat()}", style="dim")
            if t.actual is not None:
                pct = f"{t.progress * 100:.0f}%" if t.progress is not None else ""
                text.append(f"  实际 {t.actual:g}{t.uom} {pct}", style="green")
            text.append("\n")
        return text

    # ------------------------------------------------------------------ actions
    @on(DataTable.RowSelected, "#detail-units")
    def _open_other(self, event: DataTable.RowSelected) -> None:
        task_id = int(event.row_key.value)
        if task_id != self.task_id:
            self.app.switch_screen(DetailScreen(self.ctx, task_id))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_reload(self) -> None:
        self.load()

    def action_set_status(self) -> None:
        if self.data is None:
            return
        open_status = getattr(self.app, "open_status_modal", None)
        if open_status is not None:
            open_status([self.data.task])

    def on_data_changed(self, message: DataChanged) -> None:
        self.load()
