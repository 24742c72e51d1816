"""The filter panel's drop-downs lay out one line per choice without measuring any: what they show is what
Textual's own drop-down shows."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Select
from textual.widgets._select import SelectOverlay

from tests.tui_helpers import run_async, settle
from tracker.store.app_queries import FilterChoices
from tracker.store.document_choices import DocumentChoice
from tracker.tui.app import create_app

SIZE = (160, 45)


def documents(n: int) -> list[DocumentChoice]:
    # the longest names the panel cuts to its choice width (24 cells)
    return [DocumentChoice(1000 + i, f"文件{i}", f"沪青府办发〔2022〕{i}号关于进一步做好工作的通知", True, True)
            for i in range(n)]


@run_async
async def test_document_choices_are_one_line_each_and_never_measured(ctx, monkeypatch):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.home.panel
        panel.set_options(documents(60), FilterChoices([], []))
        await settle(pilot)
        select = panel.query_one("#filter-document", Select)
        labels = [str(prompt) for prompt, _ in select._options]
        assert len(labels) == 61 and all(len(label) <= 24 for label in labels)  # the blank choice and 60

        measured: list[str] = []
        get_height = Content.get_height

        def recording(self, rules, width):
            measured.append(self.plain)
            return get_height(self, rules, width)

        monkeypatch.setattr(Content, "get_height", recording)
        select.expanded = True
        await settle(pilot)
        overlay = select.query_one(SelectOverlay)
        assert overlay.virtual_size.height == 61  # one line per choice
        assert overlay.region.height == 12  # as tall as Textual's drop-down (at most 12 lines)
        assert not set(measured) & set(labels)  # no choice was laid out to find its height
        shown = [str(overlay.get_option_at_index(i).prompt) for i, _ in overlay._line_cache.lines[:4]]
        assert shown == [select.prompt, *labels[1:4]]  # the blank choice reads as the prompt
