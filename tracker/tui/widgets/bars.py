"""Horizontal bar lists for the dashboard: one selectable line per chapter, unit or target.

Each line is label · bar · figures, laid out in terminal cells so Chinese labels line up; the bars are
rebuilt when the widget is resized so they always fill the width without wrapping.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.visual import Visual
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tracker.store.queries import Counts, TargetRow
from tracker.tui.widgets.bar_lines import (
    LazyOptions,
    OneLineEach,
    OptionIndex,
    OptionsById,
)
from tracker.tui.widgets.cells import truncate
from tracker.tui.widgets.matrix_style import STATE_STYLES, fit

DONE = Style(color="green")
OVERDUE = STATE_STYLES["overdue"]
REST = Style(dim=True)
FULL, EMPTY = "█", "░"
MIN_BAR = 6
PENDING = "统计中…"  # the figures of a row not counted yet (a completion row without counts)


@dataclass(frozen=True, slots=True)
class BarRow:
    """One line: ``key`` identifies it in selection messages. A completion row without ``counts`` is still being
    counted (:data:`PENDING`)."""

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


@dataclass
class PreparedBars:
    rows: list[BarRow]
    columns: list[int]
    labels: int
    # each row's option id (None: a heading) and the index of each id: the options are made when drawn
    ids: list[str | None]
    indexes: dict[str, int]


class BarList(OptionList):
    """A list of progress bars; Enter posts ``OptionSelected`` whose ``option_id`` is the row key.

    Every row is one line (no wrapping), so no option is measured; a row's text is made when it is drawn,
    and a resize only changes the layout (label, bar and figure widths), not the options.
    """

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
        self._columns: list[int] = []  # widths of the figures (they depend on the rows, not on the width)
        self._labels = 4
        self._layout = (12, 4, 0)  # (width, label width, bar width)
        self._drawn: Callable[[], object] | None = None
        self._line_cache = OneLineEach()  # type: ignore[assignment]  # what OptionList reads of it, computed

    def set_rows(self, rows: list[BarRow], *, drawn: Callable[[], object] | None = None) -> None:
        """Show ``rows``; ``drawn`` is called once they have been drawn (after the screen's next refresh)."""
        self.show(self.prepare(rows))
        self._drawn = drawn

    def prepare(self, rows: list[BarRow]) -> PreparedBars:
        """Everything about ``rows`` that does not depend on the width. Touches no widget state, so a worker
        thread can do it for a long list; :meth:`show` then puts it on screen."""
        columns, labels = self.widths(rows)
        # no prompt: a line is laid out only when it is drawn (a dashboard at a million tasks lists ~10,000
        # chapters and ~20,000 targets, of which a screen shows thirty); see _get_visual
        ids = [None if r.extra.get("heading") else r.key for r in rows]
        indexes = {key: i for i, key in enumerate(ids) if key is not None}
        if len(indexes) != sum(1 for key in ids if key is not None):
            raise ValueError("bar rows need distinct keys")
        return PreparedBars(rows, columns, labels, ids, indexes)

    def widths(self, rows: list[BarRow]) -> tuple[list[int], int]:
        """(width of each figure column, label width) of ``rows``; like :meth:`prepare`, safe in a worker."""
        lines = [r for r in rows if not r.extra.get("heading")]
        tails = [self._figures(r) for r in lines]
        # each distinct figure measured once (tens of thousands of rows, a few hundred distinct texts)
        columns = [max(map(cell_len, {t[i] for t in tails}), default=0) for i in range(len(tails[0]) if tails else 0)]
        labels = 4
        for label in sorted({r.label for r in lines}, key=len, reverse=True):
            if 2 * len(label) <= labels:  # a label is never wider than two cells a character: no longer one left
                break
            labels = max(labels, cell_len(label))
        return columns, labels

    def refill(self, rows: list[BarRow], widths: tuple[list[int], int]) -> None:
        """New figures for the rows on show (the same keys, in the same order): the cursor and the scroll
        position stay, the lines are laid out again when drawn."""
        if len(rows) != len(self.rows) or any(a.key != b.key for a, b in zip(rows, self.rows)):
            raise ValueError("refill needs the rows on show")
        self.rows = rows
        self._columns, self._labels = widths
        self._rebuild()
        self.refresh()

    def show(self, prepared: PreparedBars) -> None:
        self.rows = prepared.rows
        self._columns, self._labels = prepared.columns, prepared.labels
        keep = self.highlighted
        self._lay_out()
        # set_options() without its loop over every option: options made when asked, lookups worked out
        self.highlighted = None
        self.scroll_y = 0
        options = LazyOptions(prepared.ids)
        self._options = options  # type: ignore[assignment]
        self._option_to_index = OptionIndex(options)  # type: ignore[assignment]
        self._id_to_option = OptionsById(options, prepared.indexes)  # type: ignore[assignment]
        self._line_cache.clear()
        self._option_render_cache.clear()
        if self.is_mounted:
            self.refresh(layout=self.styles.auto_dimensions)
            self._update_lines()
        self._highlight(keep)

    def render_lines(self, crop: Region) -> list[Strip]:
        lines = super().render_lines(crop)
        if self._drawn is not None and len(self._line_cache.lines) == len(self.options):  # laid out: the rows drawn
            self.call_later(self._drawn)  # after this refresh, not inside it
            self._drawn = None
        return lines

    def on_resize(self, event: events.Resize) -> None:
        if self.scrollable_content_region.width != self._width:
            self._rebuild()

    def watch_show_vertical_scrollbar(self, shown: bool) -> None:
        # the scrollbar appears after the rows are set and takes two cells: lay the lines out again
        self.call_after_refresh(self._rebuild_if_narrower)

    def _rebuild_if_narrower(self) -> None:
        if self.scrollable_content_region.width != self._width:
            self._rebuild()

    def _lay_out(self) -> None:
        width = max(12, self.scrollable_content_region.width - 2)  # options have one cell of padding each side
        self._width = self.scrollable_content_region.width
        tail_width = sum(self._columns) + len(self._columns)  # one space before each figure
        labels = self._labels
        # the figures always fit whole; the label comes next, the bar takes what is left (none when narrow)
        label_width = min(labels, width - tail_width - 1 - MIN_BAR)
        bar_width = width - label_width - tail_width - 1
        if label_width < min(labels, 10):  # too narrow for a bar: the label before the picture
            bar_width = 0
            label_width = max(4, width - tail_width)
        self._layout = (width, label_width, bar_width)

    def _rebuild(self) -> None:
        """Lay the lines out for the new width: the options stay, their drawn text is dropped."""
        self._lay_out()
        for option in self._made_options():
            option._visual = None  # made again from the new layout when drawn
        self._clear_caches()

    def _made_options(self):
        options = self._options
        return options.made() if isinstance(options, LazyOptions) else iter(options)

    def _highlight(self, keep: int | None) -> None:
        if keep is not None and 0 <= keep < len(self.rows) and not self.rows[keep].extra.get("heading"):
            self.highlighted = keep
            return
        first = next((i for i, r in enumerate(self.rows) if not r.extra.get("heading")), None)
        if first is not None:
            self.highlighted = first

    def line(self, index: int) -> Text:
        """Row ``index`` laid out in the current width."""
        r = self.rows[index]
        width, label_width, bar_width = self._layout
        if r.extra.get("heading"):
            return Text(truncate(r.label, width), style="bold", no_wrap=True)
        line = Text(no_wrap=True, overflow="crop")
        line.append(fit(r.label, label_width))
        if bar_width:
            line.append(" ")
            line.append_text(self._bar(r, bar_width))
        for text, column_width, style in zip(self._figures(r), self._columns, self._figure_styles(r)):
            line.append(" ")
            line.append(fit(text, column_width, "right" if column_width and text[:1].isdigit() else "left"), style)
        return line

    # ------------------------------------------------------------------ one line per option, never measured

    def _update_lines(self) -> None:
        cache = self._line_cache
        if cache.count and cache.count == len(self.options):
            return  # asked for every line drawn: nothing new since the last time
        if not self.scrollable_content_region:
            return
        cache.count = len(self.options)
        size = Size(self.scrollable_content_region.width - self._get_left_gutter_width(), cache.count)
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self.options)

    def _get_visual(self, option: Option) -> Visual:
        """The option's line, laid out in the current width when first drawn (kept until the width changes)."""
        if (visual := option._visual) is None:
            line = self.line(self._option_to_index[option])
            visual = option._visual = Content.from_rich_text(line, console=self.app.console)
        return visual

    def _figures(self, row: BarRow) -> tuple[str, ...]:
        if self.mode == "overdue":
            return self._overdue_figures(row)
        if self.mode == "target":
            return self._target_figures(row)
        return self._completion_figures(row)

    # ------------------------------------------------------------------ line parts

    def _completion_figures(self, row: BarRow) -> tuple[str, ...]:
        if row.counts is None:
            return PENDING, "", ""
        c = row.counts
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
        if row.counts is None:
            return Text(EMPTY * width, REST)
        done, base = completion(c)
        return stacked_bar(width, [(done, DONE), (c.overdue, OVERDUE)], base)
