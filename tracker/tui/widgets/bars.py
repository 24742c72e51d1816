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
from tracker.tui.widgets.matrix_style import STATE_STYLES, fit

DONE = Style(color="green")
OVERDUE = STATE_STYLES["overdue"]
REST = Style(dim=True)
FULL, EMPTY = "█", "░"


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

    def _rebuild(self) -> None:
        width = max(20, self.scrollable_content_region.width - 2)
        self._width = self.scrollable_content_region.width
        keep = self.highlighted
        # the label gives way first when the terminal is narrow; the figures and a short bar always fit
        reserved = {"overdue": 40, "target": 44}.get(self.mode, 32)
        label_width = max(6, min(24, max([cell_len(r.label) for r in self.rows] or [4]), width - reserved))
        render = {"overdue": self._overdue_line, "target": self._target_line}.get(self.mode, self._completion_line)
        options = []
        for r in self.rows:
            line = render(r, width, label_width)
            line.truncate(width, overflow="crop")  # never wrap
            options.append(Option(line, id=r.key))
        self.set_options(options)
        if self.rows:
            self.highlighted = min(keep or 0, len(self.rows) - 1)

    # ------------------------------------------------------------------ line layouts

    def _completion_line(self, row: BarRow, width: int, label_width: int) -> Text:
        c = row.counts or Counts()
        done, base = completion(c)
        pct = 100.0 * done / base if base else 100.0
        figures = f"{done:>4}/{base:<4}{pct:>4.0f}%"
        late = f"逾期{c.overdue:>3}" if c.overdue else ""
        bar_width = max(4, width - label_width - cell_len(figures) - 10)
        line = Text(no_wrap=True, overflow="crop")
        line.append(fit(row.label, label_width) + " ")
        line.append_text(stacked_bar(bar_width, [(done, DONE), (c.overdue, OVERDUE)], base))
        line.append(" " + figures + " ")
        line.append(fit(late, 7), OVERDUE)
        return line

    def _overdue_line(self, row: BarRow, width: int, label_width: int) -> Text:
        c = row.counts or Counts()
        most = max(10, int(row.extra.get("max", c.overdue) or 1))  # a few late tasks never fill the bar
        tail = f"逾期{c.overdue:>4} 受阻{c.blocked:>3} 将到期{c.due_soon:>3}"
        bar_width = max(4, width - label_width - cell_len(tail) - 3)
        line = Text(no_wrap=True, overflow="crop")
        line.append(fit(row.label, label_width) + " ")
        cells = max(1, round(bar_width * c.overdue / most)) if c.overdue else 0
        line.append(FULL * cells, OVERDUE)
        line.append(" " * (bar_width - cells) + " ")
        line.append(tail)
        return line

    def _target_line(self, row: BarRow, width: int, label_width: int) -> Text:
        t = row.target
        line = Text(no_wrap=True, overflow="crop")
        if t is None:
            return line
        goal = f"{COMPARATOR_WORDS.get(t.comparator, t.comparator)}{format_quantity(t.value, t.uom)}"
        actual = format_quantity(t.actual, t.uom)
        progress = t.progress
        pct = "未填报" if progress is None else f"{100 * progress:.0f}%"
        figures = f"{fit(goal, 12, 'right')} 实际{fit(actual, 10, 'right')} {fit(pct, 6, 'right')}"
        bar_width = max(4, width - label_width - cell_len(figures) - 3)
        line.append(fit(row.label, label_width) + " ")
        if progress is None:
            line.append(EMPTY * bar_width, REST)
        else:
            style = DONE if progress >= 1 else (Style(color="yellow") if progress >= 0.5 else OVERDUE)
            line.append_text(stacked_bar(bar_width, [(min(1000, round(1000 * progress)), style)], 1000))
        line.append(" " + figures)
        return line
