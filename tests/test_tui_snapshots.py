"""SVG snapshots of the home screen, the task detail and the status dialog (160×45 and 80×24, frozen today,
pinned clock zone)."""

from __future__ import annotations

import time

import pytest

from tests.tui_helpers import make_context, task_id
from tracker.tui.app import create_app

SIZE = (160, 45)
SMALL = (80, 24)


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    yield make_context(tmp_path)
    monkeypatch.undo()
    time.tzset()


async def _settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def test_home_screen(snap_compare, ctx):
    assert snap_compare(create_app(ctx, poll=False), terminal_size=SIZE, run_before=_settle)


def test_home_screen_filtered_and_marked(snap_compare, ctx):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("o", "down", "space", "space")
        await _settle(pilot)

    assert snap_compare(create_app(ctx, poll=False), terminal_size=SIZE, run_before=run_before)


def test_detail_screen(snap_compare, ctx):
    tid = task_id(ctx, "四（一）", "朱家角镇")

    async def run_before(pilot):
        await _settle(pilot)
        pilot.app.open_task(tid)
        await _settle(pilot)

    assert snap_compare(create_app(ctx, poll=False), terminal_size=SIZE, run_before=run_before)


def test_status_modal(snap_compare, ctx):
    async def run_before(pilot):
        await _settle(pilot)
        await pilot.press("s")
        await _settle(pilot)

    assert snap_compare(create_app(ctx, poll=False), terminal_size=SIZE, run_before=run_before)


@pytest.mark.parametrize("view", ["home", "detail", "status"])
def test_screens_at_80x24(snap_compare, ctx, view):
    tid = task_id(ctx, "四（一）", "朱家角镇")

    async def run_before(pilot):
        await _settle(pilot)
        if view == "detail":
            pilot.app.open_task(tid)
        elif view == "status":
            await pilot.press("s")
        await _settle(pilot)

    assert snap_compare(create_app(ctx, poll=False), terminal_size=SMALL, run_before=run_before)
