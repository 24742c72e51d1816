"""Horizontal bar lists for the dashboard: one selectable line per chapter, unit or target.

Each line is label · bar · figures, laid out in terminal cells so Chinese labels line up; the bars are
rebuilt when the widget is resized so they always fill the width without wrapping.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.store.queries import Counts, TargetRow
from tracker.tui.widgets.cells import truncate
from tracker.tui.widgets.matrix_style import STATE_STYLES, fit

DONE = Style(color="green")
OVERDUE = STATE_STYLES["overdue"]
REST = Style(dim=True)
FULL, EMPTY = "█", "░"
MIN_BAR = 6


@dataclass(frozen=True)
class BarRow:
    """One line: ``key`` identifies it in selection messages."""

    key: str
    label: str
    counts: Counts | None = None
    target: TargetRow | None = None
    extra: dict = field(default_factory=dict)


def completion(counts: Counts) -> tuple[int, int]:
    """(done, tasks that count): dropped tasks are left out of the denominator."""
    return counts.done, counts.total - counts.dropped


def format_quantity(value: float | None, uom: str = "") -> str:
    """``400000, 人`` → ``40万人``; ``8e9, 元`` → ``80亿元``; ``80, %`` → ``80%``."""
    if value is None:
        return "—"
    for size, word in ((1e8, "亿"), (1e4, "万")):
        if abs(value) >= size:
            scaled = value / size
            text = f"{scaled:.0f}" if scaled == int(scaled) else f"{scaled:.2f}".rstrip("0").rstrip(".")
            return f"{text}{word}{uom}"
    text = f"{value:.0f}" if value == int(value) else f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text}{uom}"


COMPARATOR_WORDS = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "="}


def stacked_bar(width: int, parts: list[tuple[int, Style]], total: int) -> Text:
    """A bar ``width`` cells wide: each part's share of ``total`` in its style, the rest shaded."""
    bar = Text(no_wrap=True, overflow="crop")
    used = 0
    for amount, style in parts:
        cells = 0 if not total else round(width * amount / total)
        if amount and not cells:
            cells = 1  # a non-zero share is always visible
        cells = min(cells, width - used)
        if cells:
            bar.append(FULL * cells, style)
            used += cells
    if used < width:
        bar.append(EMPTY * (width - used), REST)
    return bar


class BarList(OptionList):
    """A list of progress bars; Enter posts ``OptionSelected`` whose ``option_id`` is the row key."""

    DEFAULT_CSS = """
    BarList {
        text-wrap: nowrap;
        text-overflow: ellipsis;
        height: auto;
        max-height: 100%;
        border: round $border-blurred;
        padding: 0;
        &:focus { border: round $border; }
        & > .option-list--option { padding: 0 1; }
    }
    """

    def __init__(self, mode: str = "completion", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.mode = mode  # completion | overdue | target
        self.rows: list[BarRow] = []
        self._width = 0

    def set_rows(self, rows: list[BarRow]) -> None:
        self.rows = rows
        self._rebuild()

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._rebuild()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # the scrollbar appears after the rows are set and takes two cells: lay the lines out again
        self.call_after_refresh(self._rebuild_if_narrower)

    def _rebuild_if_narrower(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._rebuild()

    def _rebuild(self) -> None:
        width = max(12, self.scrollable_content_region.width - 2)  # options have one cell of padding each side
        self._width = self.scrollable_content_region.width
        keep = self.highlighted
        figures = {"overdue": self._overdue_figures, "target": self._target_figures}.get(self.mode, self._completion_figures)
        tails = [figures(r) for r in self.rows if not r.extra.get("heading")]
        columns = [max((cell_len(t[i]) for t in tails), default=0) for i in range(len(tails[0]) if tails else 0)]
        tail_width = sum(columns) + len(columns)  # one space before each figure
        labels = max([cell_len(r.label) for r in self.rows if not r.extra.get("heading")] or [4])
        # the figures always fit whole; the label comes next, the bar takes what is left (none when narrow)
        label_width = min(labels, width - tail_width - 1 - MIN_BAR)
        bar_width = width - label_width - tail_width - 1
        if label_width < min(labels, 10):  # too narrow for a bar: the label before the picture
            bar_width = 0
            label_width = max(4, width - tail_width)
        options = []
        for r in self.rows:
            if r.extra.get("heading"):
                options.append(Option(Text(truncate(r.label, width), style="bold", no_wrap=True), disabled=True))
                continue
            line = Text(no_wrap=True, overflow="crop")
            line.append(fit(r.label, label_width))
            if bar_width:
                line.append(" ")
                line.append_text(self._bar(r, bar_width))
            for text, column_width, (style) in zip(figures(r), columns, self._figure_styles(r)):
                line.append(" ")
                line.append(fit(text, column_width, "right" if column_width and text[:1].isdigit() else "left"), style)
            options.append(Option(line, id=r.key))
        self.set_options(options)
        enabled = [i for i, o in enumerate(options) if not o.disabled]
        if enabled:
            self.highlighted = keep if keep in enabled else enabled[0]

    # ------------------------------------------------------------------ line parts

    def _completion_figures(self, row: BarRow) -> tuple[str, ...]:
        c = row.counts or Counts()
        done, base = completion(c)
        pct = 100.0 * done / base if base else 100.0
        return f"{done}/{base}", f"{pct:.0f}%", f"逾期{c.overdue}" if c.overdue else ""

    def _overdue_figures(self, row: BarRow) -> tuple[str, ...]:
        c = row.counts or Counts()
        return f"逾期{c.overdue}", f"受阻{c.blocked}", f"将到期{c.due_soon}"

    def _target_figures(self, row: BarRow) -> tuple[str, ...]:
        t = row.target
        if t is None:
            return "", "", ""
        goal = f"{COMPARATOR_WORDS.get(t.comparator, t.comparator)}{format_quantity(t.value, t.uom)}"
        pct = "未填报" if t.progress is None else f"{100 * t.progress:.0f}%"
        return goal, f"实际{format_quantity(t.actual, t.uom)}", pct

    def _figure_styles(self, row: BarRow) -> tuple[Style | str, ...]:
        if self.mode == "completion":
            return "", "", OVERDUE
        if self.mode == "overdue":
            return OVERDUE, "", ""
        return "", "", ""

    def _bar(self, row: BarRow, width: int) -> Text:
        c = row.counts or Counts()
        if self.mode == "overdue":
            most = max(10, int(row.extra.get("max", c.overdue) or 1))  # a few late tasks never fill the bar
            cells = max(1, round(width * c.overdue / most)) if c.overdue else 0
            return Text(FULL * cells + " " * (width - cells), OVERDUE)
        if self.mode == "target":
            progress = row.target.progress if row.target else None
            if progress is None:
                return Text(EMPTY * width, REST)
            style = DONE if progress >= 1 else (Style(color="yellow") if progress >= 0.5 else OVERDUE)
            return stacked_bar(width, [(min(1000, round(1000 * progress)), style)], 1000)
        done, base = completion(c)
        return stacked_bar(width, [(done, DONE), (c.overdue, OVERDUE)], base)
