"""Pilot tests of the status dialog's flows: one and several tasks, a refused write, keys, bad input."""

from __future__ import annotations

from textual.widgets import Input, Static

from tests.tui_helpers import (
    TODAY,
    USER,
    choose_status,
    cursor_to,
    engine_of,
    get,
    run_async,
    settle,
    table,
    task_id,
    text_of,
)
from tracker.store import services
from tracker.tui.app import create_app
from tracker.tui.screens.status_modal import StatusModal

SIZE = (160, 45)


@run_async
async def test_status_change_with_note_and_undo(ctx):
    tid = task_id(ctx, "三（一）", "区商务委")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = table(app)
        await cursor_to(pilot, app, tid)
        assert get(ctx, tid).is_overdue(TODAY) and get(ctx, tid).status == "todo"
        before_note = get(ctx, tid).note
        await pilot.press("s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, StatusModal)
        choose_status(modal, "doing")
        await pilot.press("tab", *"已召开专题会")  # from the status choice to the note
        modal.query_one("#status-due", Input).value = "2022-12-15"
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, StatusModal)
        row = get(ctx, tid)
        assert (row.status, row.note, row.due.isoformat(), row.updated_by) == ("doing", "已召开专题会", "2022-12-15", USER)
        assert any(n.message.startswith("已保存") for n in app._notifications)
        # the table shows the change (row moved: no longer overdue)
        assert t.total == 80
        assert get(ctx, tid).version == 2

        await pilot.press("z")
        await settle(pilot)
        row = get(ctx, tid)
        assert row.status == "todo" and row.due.isoformat() == "2022-10-31"
        assert row.note == before_note  # the note typed with the change is undone too
        assert any(n.message.startswith("已撤销") for n in app._notifications)
        # nothing left to undo
        await pilot.press("z")
        await settle(pilot)
        assert any("没有可以撤销" in n.message for n in app._notifications)


@run_async
async def test_bulk_status_change(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = table(app)
        ids = [t.row_at(i).id for i in range(3)]
        await pilot.press("space", "space", "space")
        assert set(t.marked) == set(ids)
        assert "已标记 3 项" in text_of(app.home.query_one("#filter-sentence", Static))
        await pilot.press("s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, StatusModal) and len(modal.rows) == 3
        choose_status(modal, "done")
        await pilot.press("tab", *"月报已确认")  # from the status choice to the note
        await pilot.press("enter")
        await settle(pilot)
        for tid in ids:
            row = get(ctx, tid)
            assert row.status == "review" and row.note == "月报已确认"  # 已完成 awaits 销号
        assert not t.marked
        # one undo reverts the whole bulk change
        await pilot.press("z")
        await settle(pilot)
        assert all(get(ctx, tid).status not in ("done", "review") for tid in ids)


@run_async
async def test_conflict_keeps_what_was_typed(ctx):
    tid = task_id(ctx, "三（一）", "区商务委")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = table(app)
        await cursor_to(pilot, app, tid)
        await pilot.press("s")
        await settle(pilot)
        modal = app.screen
        choose_status(modal, "done")
        await pilot.press("tab", *"已完成全部减免")  # from the status choice to the note
        # meanwhile a 街镇 clerk (another process) changes the same task
        services.set_status(engine_of(ctx), tid, "blocked", by="区商务委", note="资金未到位")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is modal, "the modal stays open after a refused write"
        error = text_of(modal.query_one("#status-error", Static))
        assert "保存被拒绝" in error and "区商务委" in error
        assert modal.query_one("#status-note", Input).value == "已完成全部减免"
        assert modal.rows[0].version == 2 and modal.rows[0].status == "blocked"
        # the row behind the modal was reloaded
        assert t.current_row.id == tid and t.current_row.status == "blocked"
        assert get(ctx, tid).status == "blocked"
        # saving again writes on top of the fresh version
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, StatusModal)
        row = get(ctx, tid)
        assert row.status == "review" and row.note == "已完成全部减免" and row.version == 3


@run_async
async def test_status_is_chosen_with_the_keyboard(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        tid = table(app).current_row.id
        await pilot.press("s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, StatusModal) and modal.focused.id == "status-choice"
        start = modal.chosen_status
        await pilot.press("down")  # another status
        await settle(pilot)
        assert modal.chosen_status != start
        chosen = modal.chosen_status
        await pilot.press("enter", *"已电话督办", "ctrl+s")  # Enter goes on to the note
        await settle(pilot)
        row = get(ctx, tid)
        assert (row.status, row.note) == (chosen, "已电话督办")


@run_async
async def test_bad_due_date_is_reported_in_the_modal(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        modal = app.screen
        modal.query_one("#status-due", Input).value = "下周五"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "截止日期看不懂" in text_of(modal.query_one("#status-error", Static))
