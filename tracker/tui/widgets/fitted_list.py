"""A pick list whose lines fit its width: the label gives way (with an ellipsis), the figures never do.

Used by the 按单位 and 按措施 lists: a label on the left, right-aligned figures (``0/18``, ``逾期18``,
``待分配``) measured from the rows themselves, laid out again whenever the list changes width.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.tui.widgets.cells import fit, truncate


@dataclass(frozen=True)
class PickRow:
    """One line; ``id`` None makes it a heading that cannot be chosen."""

    id: str | None
    label: str
    figures: tuple[tuple[str, Style | str], ...] = ()


class FittedList(OptionList):
    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[PickRow | None] = []
        self._width = 0

    def set_rows(self, rows: list[PickRow | None]) -> None:
        """Show ``rows`` (``None``: a separator line)."""
        self.rows = list(rows)
        self._layout()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._layout()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # the scrollbar appears once the rows are in and takes two cells
        self.call_after_refresh(self._relayout_if_resized)

    def _relayout_if_resized(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._layout()

    def _layout(self) -> None:
        self._width = self.scrollable_content_region.width
        width = max(8, self._width)
        lines = [r for r in self.rows if r is not None and r.id is not None]
        count = max((len(r.figures) for r in lines), default=0)
        columns = [max((cell_len(r.figures[i][0]) for r in lines if len(r.figures) > i), default=0)
                   for i in range(count)]
        label_width = max(4, width - sum(c + 1 for c in columns if c))
        keep = self.highlighted
        options: list[Option | None] = []
        for row in self.rows:
            if row is None:
                options.append(None)
            elif row.id is None:
                options.append(Option(Text(truncate(row.label, width), style="bold", no_wrap=True), disabled=True))
            else:
                line = Text(no_wrap=True, overflow="crop")
                line.append(fit(row.label, label_width))
                for (text, style), column in zip(row.figures, columns):
                    if column:
                        line.append(" ")
                        line.append(fit(text, column, "right"), style)
                options.append(Option(line, id=row.id))
        self.set_options(options)
        if keep is not None and keep < self.option_count and not self.get_option_at_index(keep).disabled:
            self.highlighted = keep
