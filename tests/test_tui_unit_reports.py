"""The 按单位 list shows when each unit last reported (its latest status, note, request or evidence)."""

from __future__ import annotations

from datetime import timedelta

from textual.widgets import Static

from tests.tui_helpers import LEAD, STATUS_SCRIPT, TODAY, run_async, settle, shown_text
from tracker.tui.app import create_app
from tracker.tui.screens.unit import UnitScreen
from tracker.tui.widgets.fitted_list import FittedList


def last_report(unit: str) -> str | None:
    """``MM-DD`` of the unit's latest update in the sample data, which is its latest report."""
    days = [d for _, who, _, _, d in STATUS_SCRIPT if who == unit]
    return (TODAY - timedelta(days=min(days))).strftime("%m-%d") if days else None


async def _units(pilot, app, size) -> tuple[UnitScreen, dict[str, list[str]]]:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    screen = app.screen
    assert isinstance(screen, UnitScreen)
    picker = screen.query_one("#unit-picker", FittedList)
    lines = [str(picker.get_option_at_index(i).prompt) for i in range(picker.option_count)]
    return screen, {line.split()[0]: line.split()[1:] for line in lines if line.strip() and not line.startswith("─")}


@run_async
async def test_unit_list_shows_the_last_report_date(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=(160, 45)) as pilot:
        screen, lines = await _units(pilot, app, (160, 45))
        assert last_report(LEAD) == "11-14" and lines[LEAD][-1] == "11-14"
        assert lines["夏阳街道"][-1] == last_report("夏阳街道")
        assert lines["练塘镇"][-1] == "—" and last_report("练塘镇") is None
        picker = screen.query_one("#unit-picker", FittedList)
        picker.highlighted = picker.get_option_index("练塘镇")
        await settle(pilot)
        assert "练塘镇（街镇） · 最近报送 从未报送" in shown_text(screen.query_one("#unit-summary", Static))


@run_async
async def test_narrow_list_leaves_the_date_to_the_summary(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, lines = await _units(pilot, app, (80, 24))
        assert not any("11-14" in " ".join(figures) for figures in lines.values())
        picker = screen.query_one("#unit-picker", FittedList)
        picker.highlighted = picker.get_option_index(LEAD)
        await settle(pilot)
        assert f"最近报送 {last_report(LEAD)}" in shown_text(screen.query_one("#unit-summary", Static))
