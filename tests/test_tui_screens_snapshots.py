"""SVG snapshots of the secondary views at 160×45 and 80×24 (frozen today 2022-11-15)."""

from __future__ import annotations

import pytest
from textual.worker import WorkerCancelled

from tests.tui_screens_data import ScreenHost, build_engine, make_ctx
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.matrix import MatrixScreen
from tracker.tui.screens.measure import MeasureScreen
from tracker.tui.screens.unassigned import UnassignedScreen
from tracker.tui.screens.unit import UnitScreen
from tracker.tui.widgets.matrix_grid import MatrixGrid

WIDE, SMALL = (160, 45), (80, 24)


async def _settle(pilot) -> None:
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive load replaced by a newer one
            pass
        await pilot.pause()


@pytest.mark.parametrize("size", [WIDE, SMALL], ids=["160x45", "80x24"])
def test_matrix_snapshot(snap_compare, tmp_path, size):
    app = ScreenHost(make_ctx(build_engine(tmp_path / "snap.db")), MatrixScreen)

    async def run_before(pilot) -> None:
        await _settle(pilot)
        grid = pilot.app.screen.query_one(MatrixGrid)
        column = next(i for i, u in enumerate(grid.matrix.units) if u[1] == "夏阳街道")
        await pilot.press("down", "down", *(["right"] * column))  # 三（三） × 夏阳街道: blocked, due soon
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [WIDE, SMALL], ids=["160x45", "80x24"])
@pytest.mark.parametrize("screen", [DashboardScreen, UnitScreen, MeasureScreen, UnassignedScreen],
                         ids=["dashboard", "units", "measures", "unassigned"])
def test_view_snapshot(snap_compare, tmp_path, size, screen):
    app = ScreenHost(make_ctx(build_engine(tmp_path / "snap.db")), screen)
    assert snap_compare(app, terminal_size=size, run_before=_settle)
