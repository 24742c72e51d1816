"""The footer lays its keys out again only when the keys it would show change."""

from __future__ import annotations

from textual.widgets._footer import FooterKey

from tests.tui_helpers import run_async, settle
from tracker.tui.app import create_app
from tracker.tui.widgets.footer import TrackerFooter

SIZE = (160, 45)


@run_async
async def test_footer_keeps_its_keys_until_the_bindings_change(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        footer = app.home.query_one(TrackerFooter)
        keys = list(footer.query(FooterKey))
        assert "space" in {k.key for k in keys}  # the table has the focus: its 标记 key is shown

        # the screen says its bindings may have changed (as after a focus change), several times: nothing did
        for _ in range(3):
            app.screen.refresh_bindings()
        await settle(pilot)
        assert list(footer.query(FooterKey)) == keys  # the same widgets: not laid out again

        # the search field takes the focus: the table's keys leave the footer
        await pilot.press("slash")
        await settle(pilot)
        shown = {k.key for k in footer.query(FooterKey)}
        assert "space" not in shown and "slash" in shown

        # back to the table: its keys return
        await pilot.press("escape")
        await settle(pilot)
        assert "space" in {k.key for k in footer.query(FooterKey)}
