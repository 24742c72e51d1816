"""Pilot tests of 催报 (view 7) with a frozen today: the period header, units worst first, a unit's tasks."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update
from textual.widgets import Static

from tests.tui_helpers import (
    LEAD,
    MEASURES,
    STATUS_SCRIPT,
    TODAY,
    engine_of,
    make_context,
    run_async,
    settle,
    shown_text,
    task_id,
)
from tracker.store import services
from tracker.store.engine import write_tx
from tracker.store.models import TaskEvent
from tracker.tui.app import create_app
from tracker.tui.screens.detail import DetailScreen
from tracker.tui.screens.remind import RemindScreen
from tracker.tui.widgets.fitted_list import FittedList
from tracker.tui.widgets.fitted_table import FittedTable

SIZE = (160, 45)
AFTER_REPORT_DAY = date(2022, 11, 28)  # the November report was due on the 25th


def unreported_of(unit: str, today: date) -> list[str]:
    """The measure codes of ``unit``'s open tasks with no report since the 1st of today's month, from the
    sample data itself (a unit's update in STATUS_SCRIPT is its report)."""
    month_start = today.replace(day=1)
    reported = {code for code, who, _, _, days in STATUS_SCRIPT if who == unit and TODAY - timedelta(days=days) >= month_start}
    closed = {code for code, who, status, _, _ in STATUS_SCRIPT if who == unit and status in ("done", "dropped")}
    mine = [m[0] for m in MEASURES if any(u.name == unit for u in m[3])]
    return [code for code in mine if code not in reported and code not in closed]


def _lines(screen) -> tuple[str, list[str]]:
    units = screen.query_one("#remind-units", FittedList)
    return shown_text(screen.query_one("#remind-period", Static)), [
        str(units.get_option_at_index(i).prompt) for i in range(units.option_count)]


async def _open(pilot, app) -> RemindScreen:
    await settle(pilot)
    await pilot.press("7")
    await settle(pilot)
    assert isinstance(app.screen, RemindScreen)
    return app.screen


def _measures(screen) -> list[str]:
    table = screen.query_one("#remind-tasks", FittedTable)
    return [cells["measure"].text.split(" ")[0] for _, cells in table.rows_shown]


@run_async
async def test_after_the_report_day_units_are_late_worst_first(tmp_path):
    ctx = make_context(tmp_path, today=AFTER_REPORT_DAY)
    expected = unreported_of(LEAD, AFTER_REPORT_DAY)
    assert len(expected) == 5  # the sample data gives the lead bureau the most unreported tasks
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, app)
        header, units = _lines(screen)
        assert header.startswith("2022年11月 · 25日前报送 · 已逾期 3 天 · ")
        assert "逾期未报 " in header
        assert units[0].split() == [LEAD, f"逾期未报{len(expected)}", "11-14"]
        never = next(line for line in units if line.startswith("香花桥街道"))
        assert never.split()[-1] == "—"
        assert _measures(screen) == expected
        assert f"逾期未报 {len(expected)} 项" in shown_text(screen.query_one("#remind-unit", Static))

        # the unit reports on one task in the period: it leaves the list
        tid = task_id(ctx, expected[0], LEAD)
        change = services.add_note(engine_of(ctx), tid, "岗位已募集 60%", by=LEAD)
        with write_tx(engine_of(ctx)) as conn:
            conn.execute(update(TaskEvent).where(TaskEvent.id.in_(change.event_ids))
                         .values(at=datetime(2022, 11, 27, 3, tzinfo=UTC)))
        await pilot.press("r")
        await settle(pilot)
        assert _measures(screen) == expected[1:]
        _, units = _lines(screen)
        lead_line = next(line for line in units if line.startswith(LEAD))
        assert lead_line.split() == [LEAD, f"逾期未报{len(expected) - 1}", "11-27"]


@run_async
async def test_before_the_report_day_nothing_is_late(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, app)
        header, units = _lines(screen)
        assert header.startswith("2022年11月 · 25日前报送 · 还有 10 天 · ")
        assert "逾期未报" not in header and not any("逾期未报" in line for line in units)
        assert units[0].startswith(LEAD) and f"未报送{len(unreported_of(LEAD, TODAY))}" in units[0]


@run_async
async def test_enter_opens_the_task_and_escape_returns(ctx):
    expected = unreported_of(LEAD, TODAY)
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _open(pilot, app)
        await pilot.press("enter")  # the unit chosen: on to its tasks
        assert screen.focused is screen.query_one("#remind-tasks")
        await pilot.press("down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.task_id == task_id(ctx, expected[1], LEAD)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is screen
        await pilot.press("escape")  # from the tasks back to the units, then out
        assert screen.focused is screen.query_one("#remind-units")


@run_async
async def test_export_the_selected_units_notice(tmp_path):
    ctx = make_context(tmp_path, today=AFTER_REPORT_DAY)
    expected = unreported_of(LEAD, AFTER_REPORT_DAY)
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        app.export_dir = tmp_path / "通知"
        await _open(pilot, app)
        await pilot.press("e")
        await settle(pilot)
        written = sorted(p.name for p in (tmp_path / "通知").iterdir())
        assert written == [f"催报通知-2022-11-{LEAD}.md", f"催报通知-2022-11-{LEAD}.xlsx"]  # that unit only
        text = (tmp_path / "通知" / written[0]).read_text(encoding="utf-8")
        assert all(code in text for code in expected)
        assert any(n.message.startswith(f"已导出{LEAD}的催报通知") for n in app._notifications)
