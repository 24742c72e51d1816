"""The detail screen lists a task's 佐证材料 and 延期申请, and its history names the cycle's steps in words."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static

from tests.tui_helpers import USER, engine_of, run_async, settle, shown_text, task_id
from tracker.store import services
from tracker.tui.app import create_app
from tracker.tui.screens.detail import DetailScreen

SIZE = (160, 45)


@run_async
async def test_detail_lists_evidence_requests_and_the_cycle_in_the_history(ctx):
    tid = task_id(ctx, "三（一）", "区财政局")  # 受阻, due 2022-10-31
    services.request_extension(engine_of(ctx), tid, date(2022, 11, 30), reason="等待市级资金拨付", by="区财政局")
    services.decide_extension(engine_of(ctx), tid, approve=False, note="请先使用区级资金", by=USER)
    services.request_extension(engine_of(ctx), tid, date(2022, 12, 15), reason="区级资金需走程序", by="区财政局")
    services.decide_extension(engine_of(ctx), tid, approve=True, by=USER)
    services.set_status(engine_of(ctx), tid, "review", by="区财政局", note="资金已拨付",
                        evidence=[("https://example.gov.cn/qp/bofu.html", "拨付公示")])
    services.verify_task(engine_of(ctx), tid, approve=False, note="缺银行回单", by=USER)
    services.add_evidence(engine_of(ctx), tid, [("/共享盘/财政局/回单.pdf", "")], by="区财政局")

    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_task(tid)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen)
        evidence = shown_text(screen.query_one("#detail-evidence", Static)).splitlines()
        assert [line.split("  ")[0] for line in evidence] == [
            "• https://example.gov.cn/qp/bofu.html（拨付公示）", "• /共享盘/财政局/回单.pdf"]
        requests = shown_text(screen.query_one("#detail-extensions", Static)).splitlines()
        assert len(requests) == 2
        assert "申请由 2022-10-31 延至 2022-11-30：等待市级资金拨付  已驳回" in requests[0]
        assert "请先使用区级资金" in requests[0]
        assert "申请由 2022-10-31 延至 2022-12-15：区级资金需走程序  已同意" in requests[1]
        history = shown_text(screen.query_one("#detail-history", Static))
        for words in ("佐证材料 /共享盘/财政局/回单.pdf", "销号退回 待销号 → 受阻  “缺银行回单”",
                      "状态 受阻 → 待销号", "延期审批：同意", "截止日期 2022-10-31 → 2022-12-15",
                      "延期审批：驳回  “请先使用区级资金”", "申请截止日期 2022-10-31 → 2022-11-30  “等待市级资金拨付”"):
            assert words in history, words
        assert history.index("佐证材料 /共享盘") < history.index("销号退回") < history.index("申请截止日期 2022-10-31 → 2022-11-30")


@run_async
async def test_detail_head_names_a_pending_request(ctx):
    tid = task_id(ctx, "三（一）", "区财政局")
    services.request_extension(engine_of(ctx), tid, date(2022, 12, 31), reason="等待市级资金拨付", by="区财政局")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_task(tid)
        await settle(pilot)
        head = shown_text(app.screen.query_one("#detail-head", Static))
        assert "延期申请  待审批：申请延至 2022-12-31" in head
        assert "佐证材料" not in head
