"""One id for a task everywhere: the app shows the task id (#N) the CLI and reports use, and finds it."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from tests.tui_helpers import run_async, settle, shown_text, task_id
from tracker.tui.app import create_app
from tracker.tui.screens.detail import DetailScreen
from tracker.tui.widgets.task_table import TaskTable

SIZE = (160, 45)


def line(table: TaskTable, y: int) -> str:
    return table.render_line(y).text


async def search(pilot, text: str) -> None:
    await pilot.press("slash", *text, "enter")
    await settle(pilot)


@run_async
async def test_table_shows_the_task_id_and_keeps_the_measure_code(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = app.home.query_one(TaskTable)
        head = line(t, 0).split()
        assert head[:3] == ["编号", "条目", "措施"]
        row = t.row_at(0)
        first = line(t, 1)
        assert first.split()[:2] == [f"#{row.id}", row.measure_code]
        preview = str(app.home.query_one("#row-preview", Static).render())
        assert preview.startswith(f"#{row.id} {row.measure_code} {row.unit}")


@pytest.mark.parametrize("typed", ["{id}", "#{id}"])
def test_search_finds_a_task_by_its_id(ctx, typed):
    tid = task_id(ctx, "四（四）", "团区委")

    @run_async
    async def run():
        app = create_app(ctx, poll=False)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            await search(pilot, typed.format(id=tid))
            t = app.home.query_one(TaskTable)
            assert t.total == 1 and t.current_row.id == tid
            sentence = str(app.home.query_one("#filter-sentence", Static).render())
            assert f"编号 #{tid}" in sentence
            assert app.home.query_one("#filter-text").value == typed.format(id=tid)

    run()


@run_async
async def test_a_number_that_is_no_task_id_searches_the_text(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search(pilot, "910")  # 2022年募集就业见习岗位不少于910个 (四（四）); there are not 910 tasks
        await settle(pilot)
        t = app.home.query_one(TaskTable)
        assert t.total == 4 and {t.row_at(i).measure_code for i in range(t.total)} == {"四（四）"}
        assert "含“910”" in str(app.home.query_one("#filter-sentence", Static).render())


@run_async
async def test_detail_names_the_task_by_its_id(ctx):
    tid = task_id(ctx, "四（一）", "朱家角镇")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_task(tid)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        assert shown_text(screen.query_one("#detail-head", Static)).startswith(f"#{tid}  四（一）")
        assert screen.sub_title.startswith(f"#{tid} · 四（一）")


@run_async
async def test_id_column_is_as_wide_as_the_largest_id(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        t = app.home.query_one(TaskTable)
        widths = {c.key: w for c, w in t.layout_columns(80)}
        assert t.max_id == 80 and widths["id"] == 4  # "#80", and the heading 编号 takes four cells
        first = line(t, 1)
        assert first.startswith(f"  #{t.row_at(0).id} ")  # mark, then the id with no wasted cells
