"""The command palette speaks Chinese and finds units and measures by name."""

from __future__ import annotations

from textual.command import CommandInput, CommandList, CommandPalette

from tests.tui_helpers import engine_of, run_async, settle
from tracker.tui.app import create_app
from tracker.tui.screens.measure import MeasureScreen
from tracker.tui.screens.unit import UnitScreen

SIZE = (120, 40)
ENGLISH = ("Search for commands", "No matches found", "theme", "Quit the application", "screenshot", "Keys")


async def palette_options(pilot, typed: str, wait: float = 0.3) -> list[str]:
    await pilot.press("ctrl+p")
    await settle(pilot)
    assert isinstance(pilot.app.screen, CommandPalette)
    if typed:
        await pilot.press(*typed)
    await pilot.pause(wait)
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


@run_async
async def test_palette_strings_are_chinese(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listed = await palette_options(pilot, "")
        placeholder = app.screen.query_one(CommandInput).placeholder
        assert placeholder == "搜索命令、单位或措施…"
        assert listed and not [o for o in listed if any(word in o for word in ENGLISH)], listed
        await pilot.press(*"qqxyz")
        await pilot.pause(1.5)  # the palette waits a moment before saying nothing matched
        options = app.screen.query_one(CommandList)
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("没有找到" in o for o in shown), shown
        assert not [o for o in shown if any(word in o for word in ENGLISH)], shown


@run_async
async def test_palette_opens_a_unit_by_name(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listed = await palette_options(pilot, "练塘")
        assert any("单位：练塘镇" in o for o in listed), listed
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, UnitScreen) and app.screen.unit_name == "练塘镇"


@run_async
async def test_palette_opens_a_measure_by_name(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listed = await palette_options(pilot, "纾困减负")
        assert any("措施：三（一） 加大纾困减负力度" in o for o in listed), listed
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MeasureScreen)
        assert screen.measure is not None and screen.measure.code == "三（一）"


@run_async
async def test_palette_archives_a_document_after_a_confirmation_and_restores_it(ctx):
    from tracker.store import queries
    from tracker.store.engine import read_tx
    from tracker.tui.screens.confirm_modal import ConfirmModal

    def documents(include_archived: bool) -> list[int]:
        with read_tx(engine_of(ctx)) as conn:
            return [d.id for d in queries.list_documents(conn, include_archived=include_archived)]

    active = documents(False)
    assert active
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        listed = await palette_options(pilot, "归档文件", wait=1.0)
        assert any(o.startswith(f"归档文件：#{active[0]}") for o in listed), listed
        assert listed[0].startswith("归档文件：#")
        target = int(listed[0].split("#")[1].split()[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmModal)
        await pilot.press("y")
        await settle(pilot)
        assert target not in documents(False) and target in documents(True)
        listed = await palette_options(pilot, "恢复文件", wait=1.0)
        assert listed and listed[0].startswith(f"恢复文件：#{target} "), listed
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert documents(False) == active
