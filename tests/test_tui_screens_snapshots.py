"""SVG snapshots of the responsibility matrix and the dashboard at 160×45 (frozen today 2022-11-15)."""

from __future__ import annotations

from textual.worker import WorkerCancelled

from tests.tui_screens_data import ScreenHost, build_engine, make_ctx
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.matrix import MatrixScreen

SIZE = (160, 45)


async def _settle(pilot) -> None:
    for _ in range(3):
        try:
            await pilot.app.workers.wait_for_complete()
        except WorkerCancelled:  # an exclusive load replaced by a newer one
            pass
        await pilot.pause()


def test_matrix_snapshot(snap_compare, tmp_path):
    app = ScreenHost(make_ctx(build_engine(tmp_path / "snap.db")), MatrixScreen)

    async def run_before(pilot) -> None:
        await _settle(pilot)
        await pilot.press("down", "down", *(["right"] * 15))  # 三（三） × 夏阳街道: blocked, due soon
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)


def test_dashboard_snapshot(snap_compare, tmp_path):
    app = ScreenHost(make_ctx(build_engine(tmp_path / "snap.db")), DashboardScreen)
    assert snap_compare(app, terminal_size=SIZE, run_before=_settle)
