"""Ask before a change that cannot be undone (e.g. removing a unit's task with its history)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static


class ConfirmModal(ModalScreen[bool]):
    """``True`` when the user confirms, ``False`` on cancel. The cancel button has the focus."""

    BINDINGS = [
        Binding("escape,n", "cancel", "取消"),
        Binding("y", "confirm", "确定"),
        Binding("left,right,tab", "app.focus_next", "切换按钮", show=False),
    ]

    def __init__(self, title: str, message: str, *, confirm_label: str = "确定") -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="modal-box"):
            yield Label(self.title_text, classes="modal-title")
            yield Static(self.message, id="confirm-message")
            with Horizontal(classes="modal-buttons"):
                yield Button(self.confirm_label, id="confirm-yes", variant="error", compact=True)
                yield Button("取消", id="confirm-no", compact=True)
            yield Label(f"y {self.confirm_label} · 回车 选中的按钮 · Esc/n 取消", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    @on(Button.Pressed, "#confirm-yes")
    def action_confirm(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#confirm-no")
    def action_cancel(self) -> None:
        self.dismiss(False)
