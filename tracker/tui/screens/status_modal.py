"""Change the status of one or several tasks, with a progress note and an optional new due date.

The modal does the write itself (in a worker) so that a refused write keeps it open with
everything typed still there: the rows are re-read, the user is told who changed them, and
saving again writes on top of the fresh version.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioSet, Static

from tracker.config import SETTABLE_STATUSES, STATUS_CODES
from tracker.dates import DateParseError, parse_user_date
from tracker.store import queries, services
from tracker.store.queries import TaskRow
from tracker.tui.context import AppContext
from tracker.tui.widgets.cells import task_ref, truncate
from tracker.tui.widgets.status_choice import StatusChoice


@dataclass
class StatusOutcome:
    """What was written: for the undo stack and the notification."""

    status: str
    task_ids: list[int]
    event_ids: list[int] = field(default_factory=list)
    description: str = ""  # what was saved: "#2 三（一） 区经委 → 已完成", "3 项任务 → 已完成"
    undo_description: str = ""  # what an undo goes back to: "3 项任务 → 未启动"


def stale_phrase(error: services.StaleWriteError, fresh: TaskRow | None, labels: dict[str, str]) -> str:
    """Who changed the task under a refused write: ``区商务委的任务刚被 区商务委 于 11-15 10:30 修改（现为「受阻」）``."""
    who = error.by or "他人"
    when = f"于 {error.at.astimezone().strftime('%m-%d %H:%M')} " if error.at else ""
    what = f"{fresh.unit}的任务" if fresh else "这项任务"
    now = f"（现为「{labels.get(fresh.status, fresh.status)}」）" if fresh else ""
    return f"{what}刚被 {who} {when}修改{now}"


class StatusModal(ModalScreen[StatusOutcome | None]):
    BINDINGS = [
        Binding("escape", "cancel", "取消"),
        Binding("ctrl+s", "save", "保存"),
    ]

    DEFAULT_CSS = """
    StatusModal #status-evidence-row { height: auto; }
    StatusModal #status-evidence { width: 2fr; margin-right: 1; }
    StatusModal #status-caption { width: 1fr; }
    """
    SHORT = 32  # below this many rows the fields close up, so that the buttons stay in sight

    class _Saved(Message):
        def __init__(self, outcome: StatusOutcome) -> None:
            super().__init__()
            self.outcome = outcome

    class _Refused(Message):
        def __init__(self, error: services.StaleWriteError, fresh: list[TaskRow]) -> None:
            super().__init__()
            self.error = error
            self.fresh = fresh

    class _Failed(Message):
        def __init__(self, error: Exception) -> None:
            super().__init__()
            self.error = error

    class RowsReloaded(Message):
        """Posted to the app after a refused write: these rows were re-read."""

        def __init__(self, rows: list[TaskRow]) -> None:
            super().__init__()
            self.rows = rows

    def __init__(self, ctx: AppContext, rows: list[TaskRow]) -> None:
        super().__init__()
        if not rows:
            raise ValueError("no task to update")
        self.ctx = ctx
        self.rows = list(rows)
        self.saving = False

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        labels = self.ctx.config.status_labels
        first = self.rows[0]
        initial = first.status if len(self.rows) == 1 else ("doing" if first.status == "todo" else first.status)
        if initial not in SETTABLE_STATUSES:  # 待销号 is shown as the 已完成 it reported
            initial = "done"
        with Vertical(id="status-box", classes="modal-box"):
            yield Label(self._title(), classes="modal-title")
            yield Static(self._subject(), id="status-subject")
            yield StatusChoice(labels, SETTABLE_STATUSES, initial, id="status-choice", compact=True)
            yield Label("进展说明", classes="field-label")
            yield Input(placeholder="本次进展、存在问题或下一步安排", id="status-note", compact=True)
            yield Label("新的截止日期（可不填）", classes="field-label")
            yield Input(placeholder="2022-12-31 · 2022年12月 · 月底 · 年底 · +2w", id="status-due", compact=True)
            yield Label("佐证材料（文件路径或网址，可加说明；可不填）", classes="field-label")
            with Horizontal(id="status-evidence-row"):
                yield Input(placeholder="/共享盘/台账/发放清单.xlsx 或 https://…", id="status-evidence", compact=True)
                yield Input(placeholder="说明，如：发放清单", id="status-caption", compact=True)
            yield Static(self._plan(initial), id="status-plan")
            yield Static("", id="status-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("保存", id="status-save", variant="primary", compact=True)
                yield Button("取消", id="status-cancel", compact=True)
            yield Label("↑↓ 选状态 · 回车/Tab 下一项 · Ctrl+S 保存 · Esc 取消", classes="modal-hint")

    def _title(self) -> str:
        return "更新状态" if len(self.rows) == 1 else f"批量更新状态（{len(self.rows)} 项）"

    def _subject(self) -> str:
        labels = self.ctx.config.status_labels
        if len(self.rows) == 1:
            r = self.rows[0]
            due = r.due.isoformat() if r.due else "无期限"
            return (
                f"{task_ref(r.id)} {r.measure_code} {truncate(r.measure_title, 30)}\n"
                f"{r.unit} · 当前：{labels.get(r.status, r.status)} · 截止 {due}"
            )
        names = "、".join(r.unit for r in self.rows[:4]) + ("等" if len(self.rows) > 4 else "")
        return truncate(names, 60)

    def _saved_status(self, status: str) -> str:
        """The status a choice is stored as: 已完成 waits as 待销号 while verification is on."""
        return services.completion_status(self.ctx.config, status)

    def _plan(self, status: str) -> str:
        """What ctrl+s will write, in words."""
        saved = self._saved_status(status)
        label = self.ctx.config.status_label(saved)
        why = f"{self.ctx.config.status_label(status)}须经销号" if saved != status else ""
        verified = sum(1 for r in self.rows if services.report_leaves(r.status, saved))
        if len(self.rows) == 1:
            current = self.rows[0].status
            if verified:  # the store never reopens a verified task on a completion report
                return f"将保存为：{self.ctx.config.status_label(current)}（已销号，不变）"
            same = "不变" if saved == current else f"原为{self.ctx.config.status_label(current)}"
            return f"将保存为：{label}（{'；'.join(filter(None, (why, same)))}）"
        kept = f"已销号的 {verified} 项不变" if verified else ""
        notes = "；".join(filter(None, (why, kept)))
        return f"{len(self.rows)} 项任务将保存为：{label}" + (f"（{notes}）" if notes else "")

    def on_resize(self, event: events.Resize) -> None:
        self._close_up(event.size.height < self.SHORT)

    def _close_up(self, short: bool) -> None:
        # inline styles: the app's stylesheet (.field-label) outranks a screen's DEFAULT_CSS
        for widget in self.query(".field-label, #status-plan"):
            widget.styles.margin = (0, 0, 0, 0) if short else (1, 0, 0, 0)

    def on_mount(self) -> None:
        self._close_up(self.app.size.height < self.SHORT)
        # the first field first: ↑↓ choose a status, Enter or Tab goes on to the note
        self.query_one("#status-choice", StatusChoice).focus()

    @on(RadioSet.Changed, "#status-choice")
    def _status_changed(self) -> None:
        self.query_one("#status-plan", Static).update(self._plan(self.chosen_status))

    @on(StatusChoice.Confirmed)
    def _status_confirmed(self) -> None:
        self.query_one("#status-note", Input).focus()

    # ------------------------------------------------------------------ values
    @property
    def chosen_status(self) -> str:
        return self.query_one("#status-choice", StatusChoice).chosen or self.rows[0].status

    def _show_error(self, text: str) -> None:
        self.query_one("#status-error", Static).update(text)
        self.query_one("#status-error").set_class(bool(text), "-visible")

    # ------------------------------------------------------------------ actions
    @on(Button.Pressed, "#status-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#status-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self.saving:
            return
        due_text = self.query_one("#status-due", Input).value.strip()
        due: date | object = ...
        if due_text:
            try:
                due = parse_user_date(due_text, self.ctx.today)
            except DateParseError as exc:
                self._show_error(f"截止日期看不懂：{exc}")
                self.query_one("#status-due", Input).focus()
                return
        note = self.query_one("#status-note", Input).value.strip()
        ref = self.query_one("#status-evidence", Input).value.strip()
        caption = self.query_one("#status-caption", Input).value.strip()
        if caption and not ref:
            self._show_error("佐证材料只有说明：请填写文件路径或网址")
            self.query_one("#status-evidence", Input).focus()
            return
        evidence = [(ref, caption)] if ref else []
        self._show_error("")
        self.saving = True
        self.write(self._saved_status(self.chosen_status), note, due, evidence, {r.id: r.version for r in self.rows})

    @work(thread=True, exclusive=True, group="status-write")
    def write(self, status: str, note: str, due, evidence: list[tuple[str, str]], versions: dict[int, int]) -> None:
        db, by = self.ctx.db, self.ctx.user
        ids = list(versions)
        try:
            if len(ids) == 1:
                changes = [services.set_status(db, ids[0], status, by=by, note=note, due=due, evidence=evidence,
                                               expected_version=versions[ids[0]])]
            else:
                changes = services.set_status_many(db, ids, status, by=by, note=note, due=due, evidence=evidence,
                                                   expected_versions=versions)
        except services.StaleWriteError as exc:
            with db.read_tx() as conn:
                fresh = [row for tid in ids if (row := queries.get_task(conn, tid)) is not None]
            self.post_message(self._Refused(exc, fresh))
            return
        except Exception as exc:  # noqa: BLE001 - reported in the modal, nothing typed is lost
            self.post_message(self._Failed(exc))
            return
        label = self.ctx.config.status_label(status)
        description = (
            f"{task_ref(self.rows[0].id)} {self.rows[0].measure_code} {self.rows[0].unit} → {label}"
            if len(ids) == 1 else f"{len(ids)} 项任务 → {label}"
        )
        outcome = StatusOutcome(status, ids, [e for c in changes for e in c.event_ids], description,
                                self._undo_description())
        self.post_message(self._Saved(outcome))

    def _undo_description(self) -> str:
        """The statuses the tasks had before this save, which an undo restores."""
        label = self.ctx.config.status_label
        if len(self.rows) == 1:
            r = self.rows[0]
            return f"{task_ref(r.id)} {r.measure_code} {r.unit} → {label(r.status)}"
        before = Counter(r.status for r in self.rows)
        if len(before) == 1:
            return f"{len(self.rows)} 项任务 → {label(self.rows[0].status)}"
        each = "、".join(f"{label(code)} {before[code]} 项" for code in STATUS_CODES if code in before)
        return f"{len(self.rows)} 项任务 → {each}"

    @on(_Saved)
    def _on_saved(self, message: _Saved) -> None:
        self.saving = False
        self.dismiss(message.outcome)

    @on(_Refused)
    def _on_refused(self, message: _Refused) -> None:
        self.saving = False
        err = message.error
        fresh = {r.id: r for r in message.fresh}
        self.rows = [fresh.get(r.id, r) for r in self.rows]
        changed = fresh.get(err.task_id)
        self._show_error(
            f"保存被拒绝：{stale_phrase(err, changed, self.ctx.config.status_labels)}。"
            "已重新载入最新内容，你填写的内容都还在；确认无误后再按保存。"
        )
        self.query_one("#status-subject", Static).update(self._subject())
        self.query_one("#status-plan", Static).update(self._plan(self.chosen_status))
        self.app.post_message(self.RowsReloaded(message.fresh))

    @on(_Failed)
    def _on_failed(self, message: _Failed) -> None:
        self.saving = False
        self._show_error(f"保存失败：{message.error}")
