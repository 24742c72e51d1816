"""Ask where to write the markdown status report of the current view."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static


@dataclass(frozen=True)
class ExportRequest:
    path: Path
    by: str  # "measure" | "unit"


class ExportModal(ModalScreen[ExportRequest | None]):
    BINDINGS = [Binding("escape", "cancel", "取消"), Binding("ctrl+s", "save", "导出")]

    def __init__(self, default_path: Path, description: str) -> None:
        super().__init__()
        self.default_path = default_path
        self.description = description

    def compose(self) -> ComposeResult:
        with Vertical(id="export-box", classes="modal-box"):
            yield Label("导出进展报告（Markdown）", classes="modal-title")
            yield Static(f"范围：{self.description}", id="export-scope")
            yield Label("文件", classes="field-label")
            yield Input(str(self.default_path), id="export-path", compact=True)
            yield Label("分组方式", classes="field-label")
            with RadioSet(id="export-by", compact=True):
                yield RadioButton("按措施", value=True, name="measure")
                yield RadioButton("按单位", name="unit")
            yield Static("", id="export-error")
            with Horizontal(classes="modal-buttons"):
                yield Button("导出", id="export-save", variant="primary", compact=True)
                yield Button("取消", id="export-cancel", compact=True)
            yield Label("回车或 Ctrl+S 导出 · Esc 取消", classes="modal-hint")

    def on_mount(self) -> None:
        self.query_one("#export-path", Input).focus()

    @on(Button.Pressed, "#export-save")
    @on(Input.Submitted, "#export-path")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            error = self.query_one("#export-error", Static)
            error.update("请填写文件名")
            error.add_class("-visible")
            return
        button = self.query_one("#export-by", RadioSet).pressed_button
        by = button.name if button is not None and button.name else "measure"
        self.dismiss(ExportRequest(Path(text).expanduser(), by))

    def action_cancel(self) -> None:
        self.dismiss(None)
