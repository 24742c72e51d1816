"""A small dialog asking for one line of text: the coordinator's note on a decision (退回 or 驳回 needs one)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static


class NoteModal(ModalScreen[str | None]):
    """Dismissed with the note typed (stripped), or ``None`` when cancelled. A ``required`` note cannot be empty."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消"),
        Binding("ctrl+s", "confirm", "确定"),
    ]

    DEFAULT_CSS = """
    NoteModal #note-box { width: 64; max-width: 100%; }
    NoteModal #note-error { display: none; color: $text-error; margin-top: 1; }
    NoteModal #note-error.-visible { display: block; }
    """

    def __init__(self, title: str, subject: str, *, label: str = "说明", placeholder: str = "",
                 confirm_label: str = "确定", required: bool = True) -> None:
        super().__init__()
        self.title_text = title
        self.subject = subject
        self.label = label
        self.placeholder = placeholder
        self.confirm_label = confirm_label
        self.required = required

    def compose(self) -> ComposeResult:
        with Vertical(id="note-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            yield Static(self.subject, id="note-subject")
            yield Label(self.label + ("（必填）" if self.required else "（可不填）"), classes="field-label")
            yield Input(placeholder=self.placeholder, id="note-input", compact=True)
            yield Static("", id="note-error")
            with Horizontal(classes="modal-buttons"):
                yield Button(self.confirm_label, id="note-ok", variant="primary", compact=True)
                yield Button("取消", id="note-cancel", compact=True)
            yield Label("回车 确定 · Esc 取消", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one("#note-input", Input).focus()

    @on(Input.Submitted, "#note-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_confirm()

    @on(Button.Pressed, "#note-ok")
    def _ok(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#note-cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def action_confirm(self) -> None:
        note = self.query_one("#note-input", Input).value.strip()
        if self.required and not note:
            error = self.query_one("#note-error", Static)
            error.update(f"请填写{self.label}：没有{self.label}不能{self.confirm_label}")
            error.add_class("-visible")
            self.query_one("#note-input", Input).focus()
            return
        self.dismiss(note)

    def action_cancel(self) -> None:
        self.dismiss(None)
