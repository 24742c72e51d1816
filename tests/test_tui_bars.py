"""A long bar list: one line per row, worked out when asked (nothing stored per line), and it still moves,
scrolls to and draws the highlighted row."""

from __future__ import annotations

import tracemalloc

from textual.app import App, ComposeResult

from tests.tui_helpers import run_async
from tracker.store.rows import Counts
from tracker.tui.widgets.bars import BarList, BarRow

ROWS = 20_000


class _OneList(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield BarList("completion", id="bars")

    def on_option_list_option_selected(self, event: BarList.OptionSelected) -> None:
        self.selected.append(event.option_id)


def rows() -> list[BarRow]:
    return [BarRow(f"r{i}", f"第{i}章", Counts(total=10, done=i % 11, todo=10 - i % 11)) for i in range(ROWS)]


@run_async
async def test_a_long_bar_list_stores_nothing_per_line_and_still_moves(tmp_path):
    app = _OneList()
    async with app.run_test(size=(100, 30)) as pilot:
        bars = app.query_one(BarList)
        prepared = bars.prepare(rows())
        await pilot.pause()
        bars.show(prepared)
        await pilot.pause()
        assert bars.scrollable_content_region.height > 20  # laid out
        tracemalloc.start()
        try:
            bars._clear_caches()  # as a resize does: the lines are laid out again
            bars._update_lines()
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < 100_000, peak  # not three structures of 20,000 entries (~3 MB)
        await pilot.pause()

        lines = bars._lines
        assert len(lines) == ROWS and lines[0] == (0, 0) and lines[-1] == (ROWS - 1, 0)
        assert bars.virtual_size.height == ROWS

        bars.focus()
        bars.highlighted = 15_000
        bars.scroll_to_highlight()
        await pilot.pause()
        assert bars.scroll_offset.y <= 15_000 < bars.scroll_offset.y + bars.scrollable_content_region.height
        await pilot.press("down", "pagedown")
        await pilot.pause()
        assert bars.highlighted > 15_001
        shown = bars.scroll_offset.y
        assert shown <= bars.highlighted < shown + bars.scrollable_content_region.height
        line = bars.render_line(bars.highlighted - shown)
        assert f"第{bars.highlighted}章" in line.text  # the highlighted row, laid out when drawn
        await pilot.press("end")
        await pilot.pause()
        assert bars.highlighted == ROWS - 1


@run_async
async def test_options_are_made_when_drawn_or_looked_at_and_headings_are_passed_over():
    listed = []
    for i in range(ROWS):
        if i % 100 == 0:
            listed.append(BarRow(f"doc|{i}", f"文件{i}", extra={"heading": True}))
        listed.append(BarRow(f"r{i}", f"第{i}章", Counts(total=10, done=i % 11)))
    app = _OneList()
    async with app.run_test(size=(100, 30)) as pilot:
        bars = app.query_one(BarList)
        bars.show(bars.prepare(listed))
        bars.focus()
        await pilot.pause()
        assert bars.highlighted == 1  # the first row, not its document's heading
        await pilot.press("pagedown", "pagedown", "end", "up", "home", "down")
        await pilot.pause()
        assert bars.highlighted == 2
        bars.highlighted = 100  # r99; the next line is a heading
        await pilot.press("down")
        await pilot.pause()
        assert bars.highlighted == 102 and bars.highlighted_option.id == "r100"
        assert len(bars._options._made) < 300  # what was drawn and looked at, not 20,200 options

        option = bars.get_option("r15000")
        assert bars.get_option_index("r15000") == 15_151 == bars.options.index(option)
        assert bars.get_option_at_index(15_151) is option and bars.options[-1].id == f"r{ROWS - 1}"
        assert [o.id for o in bars.options[99:103]] == ["r98", "r99", None, "r100"]
        assert bars.options[101].disabled and not bars.options[100].disabled

        bars.highlighted = 15_151
        await pilot.press("enter")
        await pilot.pause()
        assert app.selected == ["r15000"]
