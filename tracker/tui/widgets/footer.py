"""The key footer of every screen: on a narrow terminal the keys every screen shares give way.

Undo, export, reload, quit (and 新增督办) stay bound everywhere (and listed in help and the palette); below
``NARROW`` columns they leave the footer so the keys of the screen itself read whole.

Textual's footer lays its keys out again (one widget per key, ~40 ms) every time the screen says its bindings
may have changed — after each focus change, screen switch or app focus, several times while a screen opens.
This one lays them out once for a burst of such notices, and only when what it shows would differ.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 120
SECONDARY_ACTIONS = frozenset({"undo", "app.undo", "export", "app.export", "reload", "quit", "app.quit",
                               "app.add_item"})


class TrackerFooter(Footer):
    """Hidden on narrow terminals by ``App.-narrow FooterKey.-secondary`` in app.tcss (the app sets ``-narrow``)."""

    def __init__(self, *, compact: bool = True) -> None:
        super().__init__(compact=compact)
        self._composed_from: tuple | None = None  # what the keys on show were laid out from
        self._layout_queued = False

    def compose(self) -> ComposeResult:
        self._composed_from = self._shown() if self._bindings_ready else None
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in SECONDARY_ACTIONS:
                widget.add_class("-secondary")
            yield widget

    def _shown(self) -> tuple:
        """Everything ``Footer.compose`` lays the keys out from: the active bindings (each with whether it is
        enabled and its tooltip, and the key as displayed) and the footer's own settings."""
        app = self.app
        return (
            self.compact,
            self.show_command_palette and app.ENABLE_COMMAND_PALETTE,
            tuple((key, binding, enabled, tooltip, app.get_key_display(binding))
                  for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()),
        )

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._layout_queued:
            self._layout_queued = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._layout_queued = False
        if self.is_attached and self._shown() != self._composed_from:
            await self.recompose()
