"""The app moves what its first screen left alive out of the garbage collector's reach, once."""

from __future__ import annotations

import gc

from tests.tui_helpers import run_async, settle, table
from tracker.tui import app as app_module
from tracker.tui.app import create_app

SIZE = (160, 45)


@run_async
async def test_the_heap_is_frozen_once_the_first_screen_is_whole(ctx):
    gc.unfreeze()
    app = create_app(ctx, poll=False, freeze_heap=True)
    try:
        at_start = gc.get_freeze_count()
        assert at_start > 1000  # what the imports made, before the app runs
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert table(app).loaded_once and app.home.unit_names  # rows, counts and choices are in
            frozen = gc.get_freeze_count()
            assert frozen > at_start + len(list(app.home.walk_children()))  # the home screen with its widgets too
            await pilot.press("o")  # a reload: not frozen again (that would take in everything made since)
            await settle(pilot)
            assert table(app).filter.overdue
            assert gc.get_freeze_count() <= frozen
    finally:
        gc.unfreeze()


@run_async
async def test_tests_leave_the_heap_alone_and_the_command_freezes_it(ctx, monkeypatch):
    gc.unfreeze()
    app = create_app(ctx, poll=False)  # as every Pilot test runs it: one process runs many apps
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert table(app).loaded_once
        assert gc.get_freeze_count() == 0

    started = []
    monkeypatch.setattr(app_module.TrackerApp, "run", lambda self: started.append(self.freeze_heap))
    app_module.run_app(ctx)
    assert started == [True]
