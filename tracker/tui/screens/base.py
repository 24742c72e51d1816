"""What every secondary view shares: back, reload, and reloading when the database changes."""

from __future__ import annotations

from textual.binding import Binding
from textual.screen import Screen

from tracker.tui.messages import DataChanged


class ViewScreen(Screen):
    """A view pushed over the home screen. Subclasses implement ``action_reload``."""

    BINDINGS = [
        Binding("escape", "back", "返回"),
        Binding("r", "reload", "刷新"),
    ]

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()

    def on_data_changed(self, message: DataChanged) -> None:
        """The database changed (here or in another process): show the new state."""
        self.action_reload()

    def action_reload(self) -> None:  # pragma: no cover - every view overrides it
        raise NotImplementedError
