"""The command palette in Chinese: Textual's palette with our placeholder and "nothing found" line."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

PLACEHOLDER = "搜索命令、单位或措施…"
NOTHING_FOUND = "没有找到匹配的命令、单位或措施"


class TrackerPalette(CommandPalette):
    """Ctrl+P: every command, unit and measure by its Chinese name."""

    def __init__(self) -> None:
        super().__init__(placeholder=PLACEHOLDER, id="--command-palette")

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Textual writes "No matches found" in this method, with no setting for the words; the same
        # countdown, in Chinese (a test checks that Textual still calls it)
        self._stop_no_matches_countdown()

        def show_nothing_found() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NOTHING_FOUND, style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_nothing_found)
