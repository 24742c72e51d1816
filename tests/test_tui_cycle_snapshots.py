"""SVG snapshots of 催报 (view 7) and 待办审批 (view 8) at 160×45 and 80×24 (frozen today, pinned clock and zone)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import update

from tests.tui_helpers import engine_of, make_context, task_id
from tracker.store import services
from tracker.store.engine import write_tx
from tracker.store.models import Evidence, ExtensionRequest, Task, TaskEvent
from tracker.tui.app import create_app

SIZES = {"160x45": (160, 45), "80x24": (80, 24)}
AFTER_REPORT_DAY = date(2022, 11, 28)
PINNED = datetime(2022, 11, 21, 2, 30, tzinfo=UTC)


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    ctx = make_context(tmp_path, today=AFTER_REPORT_DAY)
    ext = task_id(ctx, "三（一）", "区财政局")
    services.request_extension(engine_of(ctx), ext, date(2022, 12, 31), reason="等待市级资金拨付，预计12月中旬到位", by="区财政局")
    review = task_id(ctx, "三（二）", "盈浦街道")
    services.set_status(engine_of(ctx), review, "review", by="盈浦街道", note="补贴已全部发放",
                        evidence=[("/共享盘/盈浦/发放清单.xlsx", "发放清单")])
    with write_tx(engine_of(ctx)) as conn:  # the writes above ran on the real clock
        for tid in (ext, review):
            conn.execute(update(Task).where(Task.id == tid).values(updated_at=PINNED))
            conn.execute(update(TaskEvent).where(TaskEvent.task_id == tid, TaskEvent.at > PINNED).values(at=PINNED))
        conn.execute(update(ExtensionRequest).values(requested_at=PINNED))
        conn.execute(update(Evidence).values(added_at=PINNED))
    yield ctx
    monkeypatch.undo()
    time.tzset()


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", ["7", "8"], ids=["remind", "queue"])
def test_cycle_views(snap_compare, ctx, key, size):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press(key)
        await _settle(pilot)

    assert snap_compare(create_app(ctx, poll=False), terminal_size=SIZES[size], run_before=run_before)
