"""Wrapped Chinese text follows the line-breaking rule (禁则): no line starts with closing punctuation."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from rich.text import Text
from textual.geometry import Region

from tests.tui_helpers import make_context, run_async, task_id
from tracker.tui.app import create_app
from tracker.tui.widgets.prose import NO_LINE_END, NO_LINE_START, wrap_prose

MEASURE = (
    "全面、准确、快速落实上海市、青浦区加快经济恢复和重振行动方案，做好阶段性缓缴“五险一金”、扩大房屋租金减免范围等"
    "减负措施的落地执行，切实降低企业运营成本。强化金融助企纾困，加快80亿元金融助企纾困融资额度落地。"
    "（责任单位：区发展改革委、区经委、区商务委、区财政局、区税务局）1-10月新增正规就业 38.2 万人"
)


def shown_lines(widget) -> list[str]:
    """The lines a widget paints, as a user reads them."""
    region = widget.content_region
    strips = widget.render_lines(Region(0, 0, region.width, region.height))
    return [strip.text.rstrip() for strip in strips]


def breaks_the_rule(lines: list[str]) -> list[str]:
    bad = [line for line in lines[1:] if line.strip() and line.lstrip()[0] in NO_LINE_START]
    bad += [line for line in lines if line.rstrip() and line.rstrip()[-1] in NO_LINE_END]
    return bad


@pytest.mark.parametrize("width", range(8, 61))
def test_wrapped_lines_fit_and_never_start_with_closing_punctuation(width):
    lines = [line.plain for line in wrap_prose(Text(MEASURE), width)]
    assert "".join(lines).replace(" ", "") == MEASURE.replace(" ", "")  # nothing lost, nothing added
    assert all(cell_len(line) <= width for line in lines)
    assert not breaks_the_rule(lines)


def test_numbers_stay_whole_when_they_can():
    lines = [line.plain for line in wrap_prose(Text("加快落实2022年全区正规就业不少于400000人"), 11)]
    assert lines == ["加快落实", "2022年全区", "正规就业不", "少于400000", "人"]


@pytest.mark.parametrize("width", [80, 83, 86, 91, 97, 100])
def test_detail_view_wraps_by_the_rule(tmp_path, width):
    ctx = make_context(tmp_path)
    tid = task_id(ctx, "三（一）", "区经委")

    @run_async
    async def run():
        app = create_app(ctx, poll=False)
        async with app.run_test(size=(width, 40)) as pilot:
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            app.open_task(tid)
            for _ in range(3):
                await app.workers.wait_for_complete()
                await pilot.pause()
            lines = shown_lines(app.screen.query_one("#detail-text"))
            assert len([line for line in lines if line.strip()]) >= 3  # the measure text does wrap here
            assert not breaks_the_rule(lines), lines

    run()
