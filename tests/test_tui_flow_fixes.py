"""A coordinator's first week in the app: search gives the keys back, undo says what tasks went back to."""

from __future__ import annotations

from textual.widgets import Input

from tests.tui_helpers import engine_of, make_context, run_async, settle
from tracker.store import queries
from tracker.store.engine import read_tx
from tracker.tui.app import create_app
from tracker.tui.screens.status_modal import StatusModal
from tracker.tui.widgets.task_table import TaskTable

SIZE = (160, 45)


def status_of(ctx, tid: int) -> str:
    with read_tx(engine_of(ctx)) as conn:
        return queries.get_task(conn, tid).status


@run_async
async def test_enter_in_the_search_gives_the_keys_back_to_the_table(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"创业", "enter")
        await settle(pilot)
        t = app.home.query_one(TaskTable)
        assert app.focused is t
        assert app.home.filter.text == "创业" and 0 < t.total < 80
        await pilot.press("s")  # a key of the table, not a letter of the search
        await settle(pilot)
        assert isinstance(app.screen, StatusModal)
        assert app.home.query_one("#filter-text", Input).value == "创业"


@run_async
async def test_undo_says_what_the_tasks_went_back_to(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = app.home.query_one(TaskTable)
        await pilot.press("o")  # overdue first: pick three 未启动 tasks
        await settle(pilot)
        todo = [i for i in range(t.total) if t.row_at(i).status == "todo"][:3]
        for i in todo:
            t.move_cursor(i)
            await pilot.press("space")
        ids = list(t.marked)
        assert len(ids) == 3
        await pilot.press("s")
        await settle(pilot)
        assert app.screen.chosen_status == "doing"  # a bulk change of 未启动 tasks starts on 推进中
        await pilot.press("down", "down", "enter", *"已办结", "ctrl+s")  # 受阻, 已完成
        await settle(pilot)
        assert [status_of(ctx, tid) for tid in ids] == ["review"] * 3  # 已完成 awaits 销号
        await pilot.press("z")
        await settle(pilot)
        assert [status_of(ctx, tid) for tid in ids] == ["todo"] * 3
        messages = [n.message for n in app._notifications]
        assert "已撤销：3 项任务 → 未启动" in messages, messages


@run_async
async def test_undo_of_mixed_statuses_names_each(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = app.home.query_one(TaskTable)
        by_status = {}
        for i in range(t.total):
            by_status.setdefault(t.row_at(i).status, i)
        for status in ("todo", "doing"):
            t.move_cursor(by_status[status])
            await pilot.press("space")
        await pilot.press("s")
        await settle(pilot)
        modal = app.screen
        while modal.chosen_status != "blocked":
            await pilot.press("down")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("z")
        await settle(pilot)
        messages = [n.message for n in app._notifications]
        assert "已撤销：2 项任务 → 未启动 1 项、推进中 1 项" in messages, messages


def header_text(app) -> str:
    return str(app.screen.query_one("HeaderTitle").render())


@run_async
async def test_header_names_the_day_overdue_is_measured_against(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "基准日 2022-11-15" in header_text(app)  # a set day, not the real today
        app.open_task(app.home.query_one(TaskTable).current_row.id)
        await settle(pilot)
        assert "基准日 2022-11-15" in header_text(app)


@run_async
async def test_header_says_today_when_the_day_is_today(tmp_path):
    from datetime import date

    real = date.today()
    app = create_app(make_context(tmp_path, today=real), poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert f"今天 {real.isoformat()}" in header_text(app)
