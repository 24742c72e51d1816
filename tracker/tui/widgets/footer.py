"""The key footer of every screen: on a narrow terminal the keys every screen shares give way.

Undo, export, reload, quit (and 新增督办) stay bound everywhere (and listed in help and the palette); below
``NARROW`` columns they leave the footer so the keys of the screen itself read whole.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

NARROW = 120
SECONDARY_ACTIONS = frozenset({"undo", "app.undo", "export", "app.export", "reload", "quit", "app.quit",
                               "app.add_item"})


class TrackerFooter(Footer):
    """Hidden on narrow terminals by ``App.-narrow FooterKey.-secondary`` in app.tcss (the app sets ``-narrow``)."""

    def __init__(self, *, compact: bool = True) -> None:
        super().__init__(compact=compact)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey) and widget.action in SECONDARY_ACTIONS:
                widget.add_class("-secondary")
            yield widget
