"""New 督办事项 entered by hand (领导批示, 会议议定事项, 督办单): title, units, deadline, text, source.

The form writes itself (in a worker) so that a refusal from the store is shown in the form with
everything typed still there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from tracker.dates import DateParseError, parse_user_date
from tracker.tui.context import AppContext

UNIT_SEPARATORS = re.compile(r"[、，,；;\s]+")


@dataclass(frozen=True)
class AddedItem:
    """What was created: the new measure and how many tasks it got."""

    measure_id: int
    title: str
    tasks: int
    event_ids: tuple[int, ...] = ()


def split_units(text: str) -> list[str]:
    """``区经委、区财政局 各街镇`` → the names in order, each once."""
    names: list[str] = []
    for name in UNIT_SEPARATORS.split(text.strip()):
        if name and name not in names:
            names.append(name)
    return names


class AddItemModal(ModalScreen[AddedItem | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消"),
        Binding("ctrl+s", "save", "保存"),
    ]

    DEFAULT_CSS = """
    AddItemModal #add-box { width: 76; max-width: 100%; }
    AddItemModal #add-error { display: none; color: $text-error; margin-top: 1; }
    AddItemModal #add-error.-visible { display: block; }
    """

    class _Saved(Message):
        def __init__(self, item: AddedItem) -> None:
            super().__init__()
            self.item = item

    class _Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.saving = False
        # names the coordinator confirmed as new units by saving a second time after the warning
        self.confirmed_new: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="add-box", classes="modal-box"):
            yield Label("新增督办事项", classes="modal-title")
            yield Label("事项标题", classes="field-label")
            yield Input(placeholder="如：做好重点企业用工保障", id="add-title", compact=True)
            yield Label("牵头单位", classes="field-label")
            yield Input(placeholder="一个单位，如：区人社局", id="add-lead", compact=True)
            yield Label("配合单位（可不填，用顿号分隔）", classes="field-label")
            yield Input(placeholder="区经委、区财政局、各街镇", id="add-units", compact=True)
            yield Label("截止日期", classes="field-label")
            yield Input(placeholder="2022-12-31 · 2022年12月 · 月底 · 年底 · +2w", id="add-due", compact=True)
            yield Label("事项内容（可不填）", classes="field-label")
            yield Input(placeholder="批示或议定事项的原文", id="add-text", compact=True)
            yield Label("来源（可不填）", classes="field-label")
            yield Input(placeholder="区长批示 2022-11-10 · 区政府常务会议纪要", id="add-source", compact=True)
            yield Static("", id="add-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("保存", id="add-save", variant="primary", compact=True)
                yield Button("取消", id="add-cancel", compact=True)
            yield Label("回车/Tab 下一项 · Ctrl+S 保存 · Esc 取消", classes="modal-hint")

    SHORT = 36  # below this many rows the fields close up, so that more of the form is in sight

    def on_mount(self) -> None:
        self._close_up(self.app.size.height < self.SHORT)
        self.query_one("#add-title", Input).focus()

    def on_resize(self, event: events.Resize) -> None:
        self._close_up(event.size.height < self.SHORT)

    def _close_up(self, short: bool) -> None:
        # inline styles: the app's stylesheet (.field-label) outranks a screen's DEFAULT_CSS
        for label in self.query(".field-label"):
            label.styles.margin = (0, 0, 0, 0) if short else (1, 0, 0, 0)

    def _value(self, field: str) -> str:
        return self.query_one(f"#add-{field}", Input).value.strip()

    def _show_error(self, text: str, field: str | None = None) -> None:
        error = self.query_one("#add-error", Static)
        error.update(text)
        error.set_class(bool(text), "-visible")
        if field is not None:
            self.query_one(f"#add-{field}", Input).focus()

    # ------------------------------------------------------------------ actions
    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "add-source":
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#add-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#add-cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if self.saving:
            return
        title = self._value("title")
        if not title:
            self._show_error("请填写事项标题", "title")
            return
        leads = split_units(self._value("lead"))
        if not leads:
            self._show_error("请填写牵头单位", "lead")
            return
        if len(leads) > 1:
            self._show_error(f"牵头单位只能填一个（现为 {len(leads)} 个：{'、'.join(leads)}），其余请填在配合单位", "lead")
            return
        due_text = self._value("due")
        if not due_text:
            self._show_error("请填写截止日期", "due")
            return
        try:
            due = parse_user_date(due_text, self.ctx.today)
        except DateParseError as exc:
            self._show_error(f"截止日期看不懂：{exc}", "due")
            return
        lead = leads[0]
        units = [lead] + [u for u in split_units(self._value("units")) if u != lead]
        self._show_error("")
        self.saving = True
        self.write(title, units, lead, due, self._value("text"), self._value("source"))

    @work(thread=True, exclusive=True, group="add-item")
    def write(self, title: str, units: list[str], lead: str, due: date | None, text: str, source: str) -> None:
        from tracker.store import services
        from tracker.store.services.items import unknown_units

        try:
            with self.ctx.db.read_tx() as conn:
                unknown = tuple(unknown_units(conn, self.ctx.config, units))
            if unknown and unknown != self.confirmed_new:
                self.confirmed_new = unknown  # the same names saved again: create them
                self.post_message(self._Failed(
                    f"未知单位 {'、'.join(unknown)}：请检查名称；确需新建，再按 Ctrl+S 保存"))
                return
            measure_id, changes = services.add_item(
                self.ctx.db, self.ctx.config, title, units=units, lead=lead, due=due, text=text, source=source,
                by=self.ctx.user,
            )
        except services.ServiceError as exc:
            self.post_message(self._Failed(str(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - shown in the form, nothing typed is lost
            self.post_message(self._Failed(f"保存失败：{exc}"))
            return
        events = tuple(e for c in changes for e in c.event_ids)
        self.post_message(self._Saved(AddedItem(measure_id, title, len(changes), events)))

    @on(_Saved)
    def _on_saved(self, message: _Saved) -> None:
        self.saving = False
        self.dismiss(message.item)

    @on(_Failed)
    def _on_failed(self, message: _Failed) -> None:
        self.saving = False
        self._show_error(message.text)
