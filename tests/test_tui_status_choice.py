"""The status dialog saves the status that is highlighted, says so in words, and keeps what is typed."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.tui_helpers import engine_of, run_async, settle
from tracker.config import STATUS_CODES
from tracker.store import queries
from tracker.store.engine import read_tx
from tracker.tui.app import create_app
from tracker.tui.screens.status_modal import StatusModal
from tracker.tui.widgets.task_table import TaskTable

SIZE = (160, 45)


def get(ctx, tid):
    with read_tx(engine_of(ctx)) as conn:
        return queries.get_task(conn, tid)


def plan_text(modal: StatusModal) -> str:
    return str(modal.query_one("#status-plan", Static).render())


@run_async
async def test_the_highlighted_status_is_the_one_saved(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("u", *"练塘", "enter")
        await settle(pilot)
        row = app.home.query_one(TaskTable).current_row
        assert row.unit == "练塘镇" and row.status == "todo"
        await pilot.press("s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, StatusModal)
        assert "将保存为：未启动" in plan_text(modal)
        await pilot.press("down", "down", "down")  # 推进中, 受阻, 已完成
        assert "将保存为：待销号（已完成须经销号；原为未启动）" in plan_text(modal)
        await pilot.press("tab", *"已全部完成", "ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, StatusModal)
        saved = get(ctx, row.id)
        assert (saved.status, saved.note) == ("review", "已全部完成")
        assert any("练塘镇 → 待销号" in n.message for n in app._notifications)


@run_async
async def test_bulk_dialog_saves_the_highlighted_status(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = app.home.query_one(TaskTable)
        ids = [t.row_at(i).id for i in range(3)]
        await pilot.press("space", "space", "space", "s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, StatusModal) and len(modal.rows) == 3
        assert "将保存为：推进中" in plan_text(modal)  # a bulk change of 未启动 tasks starts on 推进中
        await pilot.press("down", "down")  # 受阻, 已完成
        assert "3 项任务将保存为：待销号（已完成须经销号）" in plan_text(modal)
        await pilot.press("tab", *"月报已确认", "ctrl+s")
        await settle(pilot)
        assert [get(ctx, tid).status for tid in ids] == ["review"] * 3
        assert any("3 项任务 → 待销号" in n.message for n in app._notifications)


@run_async
async def test_enter_on_a_status_moves_on_to_the_note(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        row = app.home.query_one(TaskTable).current_row
        above = STATUS_CODES[STATUS_CODES.index(row.status) - 1]  # wraps from the first to the last
        await pilot.press("s")
        await settle(pilot)
        modal = app.screen
        await pilot.press("up", "enter", *"已电话督办")
        assert modal.focused is modal.query_one("#status-note", Input)
        assert modal.query_one("#status-note", Input).value == "已电话督办"
        await pilot.press("ctrl+s")
        await settle(pilot)
        saved = get(ctx, row.id)
        assert (saved.status, saved.note) == (above, "已电话督办")
