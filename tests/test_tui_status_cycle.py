"""The status dialog in the supervision cycle: 已完成 waits as 待销号 while verification is on, and evidence
(a path or URL with a caption) is saved with the change."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Input, Static

from tests.tui_helpers import (
    USER,
    choose_status,
    cursor_to,
    engine_of,
    get,
    run_async,
    settle,
    task_id,
    text_of,
)
from tracker.store import cycle_reads, services
from tracker.store.engine import read_tx
from tracker.tui.app import create_app
from tracker.tui.screens.status_modal import StatusModal

SIZE = (160, 45)


async def _dialog(pilot, app, tid: int) -> StatusModal:
    await settle(pilot)
    await cursor_to(pilot, app, tid)
    await pilot.press("s")
    await settle(pilot)
    assert isinstance(app.screen, StatusModal)
    return app.screen


def _evidence(ctx, tid: int):
    with read_tx(engine_of(ctx)) as conn:
        return cycle_reads.task_evidence(conn, tid)


@run_async
async def test_done_is_saved_for_verification_with_its_evidence(ctx):
    tid = task_id(ctx, "三（一）", "区商务委")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _dialog(pilot, app, tid)
        choose_status(modal, "done")
        await pilot.pause()
        assert text_of(modal.query_one("#status-plan", Static)) == "将保存为：待销号（已完成须经销号；原为未启动）"
        modal.query_one("#status-note", Input).value = "减免政策已全部落实"
        modal.query_one("#status-evidence", Input).value = "https://example.gov.cn/qp/jianmian.html"
        modal.query_one("#status-caption", Input).value = "减免公示"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, StatusModal)
        row = get(ctx, tid)
        assert (row.status, row.note) == ("review", "减免政策已全部落实")
        [evidence] = _evidence(ctx, tid)
        assert (evidence.ref, evidence.caption, evidence.event_field) == (
            "https://example.gov.cn/qp/jianmian.html", "减免公示", "status")
        assert any("→ 待销号" in n.message for n in app._notifications)


@run_async
async def test_without_verification_done_is_done(ctx):
    ctx = replace(ctx, config=ctx.config.replace(verify_done=False))
    tid = task_id(ctx, "三（一）", "区商务委")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _dialog(pilot, app, tid)
        choose_status(modal, "done")
        await pilot.pause()
        assert text_of(modal.query_one("#status-plan", Static)) == "将保存为：已完成（原为未启动）"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert get(ctx, tid).status == "done"
        assert _evidence(ctx, tid) == []


@run_async
async def test_a_caption_without_a_reference_is_refused(ctx):
    tid = task_id(ctx, "三（一）", "区商务委")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _dialog(pilot, app, tid)
        choose_status(modal, "doing")
        modal.query_one("#status-caption", Input).value = "会议纪要"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "请填写文件路径或网址" in text_of(modal.query_one("#status-error", Static))
        assert modal.focused is modal.query_one("#status-evidence", Input)
        assert get(ctx, tid).status == "todo"


@run_async
async def test_evidence_alone_with_a_note_is_saved(ctx):
    tid = task_id(ctx, "三（一）", "区经委")  # 推进中, stays so
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _dialog(pilot, app, tid)
        modal.query_one("#status-note", Input).value = "第二批走访名单"
        modal.query_one("#status-evidence", Input).value = "/共享盘/经委/走访名单.docx"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, StatusModal)
        assert get(ctx, tid).status == "doing"
        assert [(e.ref, e.caption) for e in _evidence(ctx, tid)] == [("/共享盘/经委/走访名单.docx", "")]


@run_async
async def test_done_on_a_verified_task_keeps_it_verified(ctx):
    tid = task_id(ctx, "三（一）", "区商务委")
    services.set_status(engine_of(ctx), tid, "review", by="区商务委")
    services.verify_task(engine_of(ctx), tid, approve=True, by=USER)
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _dialog(pilot, app, tid)
        choose_status(modal, "done")
        await pilot.pause()
        assert text_of(modal.query_one("#status-plan", Static)) == "将保存为：已完成（已销号，不变）"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert get(ctx, tid).status == "done"
