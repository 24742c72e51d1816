"""Pilot tests of 待办审批 (view 8): approve and reject 延期申请, 销号 and 退回, a refused stale decision."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Static

from tests.tui_helpers import USER, engine_of, get, run_async, settle, task_id, text_of
from tracker.store import cycle_reads, services
from tracker.store.engine import read_tx
from tracker.tui.app import create_app
from tracker.tui.screens.note_modal import NoteModal
from tracker.tui.screens.queue import QueueScreen
from tracker.tui.widgets.fitted_table import FittedTable

SIZE = (160, 45)


def _queue(ctx):
    """One pending request (区财政局 asks to move 三（一） to 2022-12-31) and one task in 待销号 with evidence."""
    ext = task_id(ctx, "三（一）", "区财政局")
    services.request_extension(engine_of(ctx), ext, date(2022, 12, 31), reason="等待市级资金拨付", by="区财政局")
    review = task_id(ctx, "三（二）", "盈浦街道")
    services.set_status(engine_of(ctx), review, "review", by="盈浦街道", note="补贴已全部发放")
    services.add_evidence(engine_of(ctx), review, [("/docs/盈浦/发放清单.xlsx", "发放清单")], by="盈浦街道")
    return ext, review


def _extensions(ctx):
    with read_tx(engine_of(ctx)) as conn:
        return cycle_reads.task_extensions(conn, task_id(ctx, "三（一）", "区财政局"))


async def _open_queue(pilot, app):
    await settle(pilot)
    await pilot.press("8")
    await settle(pilot)
    assert isinstance(app.screen, QueueScreen)
    return app.screen


@run_async
async def test_queue_lists_requests_and_reviews(ctx):
    _, review = _queue(ctx)
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_queue(pilot, app)
        requests = screen.query_one("#queue-extensions", FittedTable)
        reviews = screen.query_one("#queue-reviews", FittedTable)
        assert [k for k, _ in requests.rows_shown] == [str(_extensions(ctx)[0].id)]
        assert [k for k, _ in reviews.rows_shown] == [str(review)]
        cells = requests.rows_shown[0][1]
        assert (cells["unit"].text, cells["due"].text, cells["reason"].text) == (
            "区财政局", "2022-10-31 → 2022-12-31", "等待市级资金拨付")
        assert reviews.rows_shown[0][1]["note"].text == "补贴已全部发放"
        assert reviews.rows_shown[0][1]["evidence"].text == "发放清单"
        assert "理由：等待市级资金拨付" in text_of(screen.query_one("#queue-preview", Static))
        await pilot.press("tab")
        assert "佐证：/docs/盈浦/发放清单.xlsx（发放清单）" in text_of(screen.query_one("#queue-preview", Static))
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "DetailScreen" and app.screen.task_id == review


@run_async
async def test_approve_extension_moves_the_deadline(ctx):
    ext, _ = _queue(ctx)
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_queue(pilot, app)
        await pilot.press("a")
        await settle(pilot)
        assert get(ctx, ext).due == date(2022, 12, 31)
        request = _extensions(ctx)[0]
        assert (request.state, request.decided_by) == ("approved", USER)
        assert screen.query_one("#queue-extensions", FittedTable).rows_shown == []
        assert any(n.message.startswith("已同意延期") for n in app._notifications)


@run_async
async def test_reject_extension_needs_a_note(ctx):
    ext, _ = _queue(ctx)
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot, app)
        await pilot.press("x")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NoteModal)
        await pilot.press("enter")  # no note: refused, the dialog stays
        await settle(pilot)
        assert app.screen is modal
        assert "请填写驳回理由" in text_of(modal.query_one("#note-error", Static))
        assert _extensions(ctx)[0].state == "pending"
        await pilot.press(*"资金已到位请按期完成")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        request = _extensions(ctx)[0]
        assert (request.state, request.decision_note) == ("rejected", "资金已到位请按期完成")
        assert get(ctx, ext).due == date(2022, 10, 31)


@run_async
async def test_reject_cancelled_changes_nothing(ctx):
    _queue(ctx)
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot, app)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert _extensions(ctx)[0].state == "pending"


@run_async
async def test_verify_and_send_back(ctx):
    _, review = _queue(ctx)
    other = task_id(ctx, "四（一）", "朱家角镇")  # blocked before it was reported done
    services.set_status(engine_of(ctx), other, "review", by="朱家角镇", note="项目已开工")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open_queue(pilot, app)
        reviews = screen.query_one("#queue-reviews", FittedTable)
        await pilot.press("tab")
        assert screen.focused is reviews
        reviews.select_key(str(review))
        await pilot.press("a")
        await settle(pilot)
        assert get(ctx, review).status == "done"
        assert [k for k, _ in reviews.rows_shown] == [str(other)]
        assert screen.focused is reviews
        await pilot.press("x")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NoteModal)
        modal.query_one("#note-input", Input).value = "缺开工许可证明"
        await pilot.press("enter")
        await settle(pilot)
        row = get(ctx, other)
        assert row.status == "blocked"  # back to the status it had before 待销号
        assert reviews.rows_shown == []


@run_async
async def test_stale_decision_is_refused_then_done_on_fresh_data(ctx):
    _, review = _queue(ctx)
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await _open_queue(pilot, app)
        await pilot.press("tab")
        services.add_note(engine_of(ctx), review, "补充：发放名单已公示", by="盈浦街道")  # after the list was read
        await pilot.press("a")
        await settle(pilot)
        assert get(ctx, review).status == "review"
        warning = [n.message for n in app._notifications if n.severity == "warning"]
        assert warning and warning[-1].startswith("操作被拒绝：盈浦街道的任务刚被 盈浦街道")
        await pilot.press("a")  # the list was read again: this time it is the current version
        await settle(pilot)
        assert get(ctx, review).status == "done"
