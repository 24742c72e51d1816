"""The filter panel's drop-down choices: every option is one line, so none is measured.

Textual's drop-down measures every option's height when it opens (laying its text out twice or more): at
1M tasks the document choice holds 1,682 documents, ~0.1 s on the UI thread. The panel cuts each choice to
``OPTION_WIDTH`` cells, which fit in the drop-down's width, so each takes exactly one line.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.geometry import Size
from textual.widgets import Select
from textual.widgets._select import SelectCurrent, SelectOverlay, SelectType

OPTION_WIDTH = 24  # cells: a choice fits on one line of the panel


class OneLineOverlay(SelectOverlay):
    """A drop-down whose options are one line each (as wide as ``OPTION_WIDTH`` at most)."""

    def _fits(self, width: int) -> bool:
        """Whether a choice fits on one line of ``width`` cells (the options' padding taken off)."""
        return width - self.get_component_styles("option-list--option").padding.width >= OPTION_WIDTH

    def _update_lines(self) -> None:
        region = self.scrollable_content_region
        if not region or not self._fits(region.width - self._get_left_gutter_width()):
            super()._update_lines()  # narrower than a choice: measured as Textual does
            return
        cache = self._line_cache
        new = range(len(cache.lines), len(self.options))
        cache.index_to_line.update(zip(new, new))
        cache.heights.update(dict.fromkeys(new, 1))
        cache.lines.extend(zip(new, [0] * len(new)))
        size = Size(region.width - self._get_left_gutter_width(), len(cache.lines))
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self._fits(width):
            return super().get_content_height(container, viewport, width)
        return len(self.options)


class ChoiceSelect(Select[SelectType]):
    """A ``Select`` with a :class:`OneLineOverlay` (its options must be cut to ``OPTION_WIDTH`` cells)."""

    def compose(self) -> ComposeResult:
        # Select.compose with the overlay replaced
        yield SelectCurrent(self.prompt)
        yield OneLineOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)
