"""The dashboard's two halves: the breakdown (chapters, targets) is read beside the first figures, the chapters
on screen counted before the others, every chapter right after the first figures; each half belongs to one load,
and the screen is complete only when both halves of the newest load are shown; bar lists measure each distinct
text once and get the widths that measuring every row gives."""

from __future__ import annotations

import threading
from dataclasses import replace

import pytest
from rich.cells import cell_len
from textual.app import App

from tests.tui_helpers import run_async, settle
from tests.tui_screens_data import ScreenHost, build_engine, make_ctx
from tracker.store import queries as q
from tracker.store.detail_rows import GroupProgress
from tracker.store.filters import TaskFilter
from tracker.store.rows import Counts
from tracker.tui.screens import dashboard
from tracker.tui.screens.dashboard import Breakdown, ChaptersCounted, DashboardScreen
from tracker.tui.widgets.bars import PENDING, BarList, BarRow

SIZE = (160, 45)



@run_async
async def test_a_load_is_complete_only_with_both_of_its_halves_and_a_reload_keeps_the_old_breakdown(tmp_path):
    ctx = make_ctx(build_engine(tmp_path / "halves.db"))
    app = ScreenHost(ctx, DashboardScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        screen = app.screen
        assert screen.data.complete and screen.data.chapters and screen.data.targets
        chapters = screen.query_one("#dash-chapters", BarList)
        first_rows = chapters.rows
        old = screen.data

        asked: list[tuple[str, int]] = []  # the reads a reload asks for, in place of the workers
        screen._load = lambda generation, token, chapter_list: asked.append(("figures", generation))
        screen._load_breakdown = lambda generation, *lists: asked.append(("breakdown", generation))
        screen.load(force=True)
        now = screen._generation
        assert asked == [("figures", now), ("breakdown", now)]  # both halves at once, for one load
        marked = replace(old, unassigned=old.unassigned + 7, complete=False)

        screen.post_message(DashboardScreen.Loaded(marked, now - 1))  # a load that was replaced: ignored
        await pilot.pause()
        assert screen.data is old and not screen.filled

        screen.post_message(DashboardScreen.Loaded(marked, now))
        await pilot.pause()
        await pilot.pause()
        assert screen.data.unassigned == old.unassigned + 7
        assert not screen.data.complete  # the new figures, the last load's breakdown until the new one comes
        assert screen.data.chapters == old.chapters and chapters.rows == first_rows and not screen.filled

        one = GroupProgress("九", "九、新的一章", Counts(total=3, done=1), {"document_id": 1})
        newer = Breakdown([one], old.targets[:1], chapters.prepare([BarRow("1|九", "九、新的一章", one.counts)]),
                          screen.query_one("#dash-targets", BarList).prepare([]))
        screen.post_message(DashboardScreen._BreakdownLoaded(now - 1, newer))  # the replaced load's: ignored
        await pilot.pause()
        assert not screen.data.complete and chapters.rows == first_rows

        screen.post_message(DashboardScreen._BreakdownLoaded(now, newer))
        await pilot.pause()
        assert screen.data.complete and screen.data.chapters == [one] and screen.filled
        assert [r.label for r in chapters.rows] == ["九、新的一章"]


@run_async
async def test_dashboard_targets_are_the_targets_with_their_latest_figures(tmp_path):
    ctx = make_ctx(build_engine(tmp_path / "targets.db"))
    app = ScreenHost(ctx, DashboardScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        shown = app.screen.data.targets
    with ctx.db.read_tx() as conn:
        expected = q.list_targets(conn)
    assert [t._replace(history=()) for t in expected] == shown
    assert any(t.actual is not None for t in shown) and any(t.actual is None for t in shown)


def test_bar_widths_equal_measuring_every_row():
    labels = ["x" * 11, "ABCDEFGHIJ", "中文中文中文", "三、稳就业", "a", "（未分章）", "中文中文中文"]
    rows = [BarRow(str(i), label, Counts(total=10 ** (i % 4) + i, done=i, overdue=i % 3)) for i, label in enumerate(labels)]
    rows.insert(0, BarRow("doc|1", "一个很长很长很长很长很长很长的文件标题", extra={"heading": True}))
    prepared = BarList("completion").prepare(rows)
    lines = [r for r in rows if not r.extra.get("heading")]
    bars = BarList("completion")
    tails = [bars._figures(r) for r in lines]
    assert prepared.labels == max(cell_len(r.label) for r in lines) == 12  # headings do not count
    assert prepared.columns == [max(cell_len(t[i]) for t in tails) for i in range(3)]
    assert prepared.ids == [None] + [r.key for r in lines]


@run_async
async def test_chapters_after_the_first_few_are_shown_as_being_counted_then_get_every_figure(tmp_path, monkeypatch):
    monkeypatch.setattr(dashboard, "FIRST_CHAPTERS", 1)
    shown: list[list[Counts | None]] = []  # the chapter figures each breakdown put on screen
    show = DashboardScreen._show_breakdown

    def recording(self, breakdown):
        shown.append([r.counts for r in breakdown.chapter_bars.rows if not r.extra.get("heading")])
        show(self, breakdown)

    monkeypatch.setattr(DashboardScreen, "_show_breakdown", recording)
    ctx = make_ctx(build_engine(tmp_path / "first.db"))
    app = ScreenHost(ctx, DashboardScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        screen = app.screen
        with ctx.db.read_tx() as conn:
            expected = q.progress_by_chapter(conn, TaskFilter(), ctx.today, ctx.due_soon_days)
        assert len(expected) >= 3
        assert shown[-1][:1] == [expected[0].counts] and set(shown[-1][1:]) == {None}
        assert screen.data.complete and screen.filled and screen.data.chapters == expected
        rows = screen.query_one("#dash-chapters", BarList).rows
        assert [r.counts for r in rows if not r.extra.get("heading")] == [c.counts for c in expected]


class _Bars(App):
    def compose(self):
        yield BarList("completion", id="bars")


@run_async
async def test_a_refill_keeps_the_cursor_and_the_scroll_and_shows_the_new_figures():
    keys = [BarRow(str(i), f"第{i}章") for i in range(60)]  # none counted yet
    app = _Bars()
    async with app.run_test(size=(80, 12)) as pilot:
        bars = app.query_one(BarList)
        bars.set_rows(keys)
        await pilot.pause()
        assert PENDING in bars.line(0).plain
        bars.highlighted = 40
        await pilot.pause()
        top = bars.scroll_y
        assert top > 0
        counted = [BarRow(r.key, r.label, Counts(total=i + 1, done=i)) for i, r in enumerate(keys)]
        bars.refill(counted, bars.widths(counted))
        await pilot.pause()
        assert bars.highlighted == 40 and bars.scroll_y == top and bars.rows == counted
        assert "40/41" in bars.line(40).plain and PENDING not in bars.line(40).plain
        with pytest.raises(ValueError):
            bars.refill(counted[1:], bars.widths(counted[1:]))


@run_async
async def test_every_chapter_is_counted_from_the_figures_read_without_waiting_for_the_breakdown(tmp_path, monkeypatch):
    monkeypatch.setattr(dashboard, "FIRST_CHAPTERS", 1)
    release = threading.Event()
    read_targets = dashboard.iter_report_targets

    def held_targets(conn):  # the breakdown's read is held until the test lets it go
        assert release.wait(10), "the breakdown was never released"
        return read_targets(conn)

    monkeypatch.setattr(dashboard, "iter_report_targets", held_targets)
    ctx = make_ctx(build_engine(tmp_path / "early.db"))
    with ctx.db.read_tx() as conn:
        expected = q.progress_by_chapter(conn, TaskFilter(), ctx.today, ctx.due_soon_days)
    app = ScreenHost(ctx, DashboardScreen)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        for _ in range(500):  # every chapter, counted while the breakdown is still being read
            if getattr(screen, "_counted", None) is not None:
                break
            await pilot.pause(0.01)
        try:
            assert screen._counted is not None and screen._counted[1].chapters == expected
            assert screen._breakdown is None and screen.data is not None and not screen.data.complete
        finally:
            release.set()
        await settle(pilot, replaced_loads=True)
        assert screen.data.complete and screen.filled and screen.data.chapters == expected
        rows = screen.query_one("#dash-chapters", BarList).rows
        assert [r.counts for r in rows if not r.extra.get("heading")] == [c.counts for c in expected]


@run_async
async def test_chapters_counted_from_another_read_replace_a_list_that_no_longer_matches(tmp_path):
    ctx = make_ctx(build_engine(tmp_path / "changed.db"))
    app = ScreenHost(ctx, DashboardScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        screen = app.screen
        chapters = screen.query_one("#dash-chapters", BarList)
        screen._load = lambda generation, token, chapter_list: None  # the reads are posted by hand below
        screen._load_breakdown = lambda generation, *lists: None
        screen.load(force=True)
        now = screen._generation
        listed = [BarRow("1|一", "一、旧的一章"), BarRow("1|二", "二、另一章")]  # not counted yet
        partial = Breakdown([], screen.data.targets, chapters.prepare(listed),
                            screen.query_one("#dash-targets", BarList).prepare([]), counted=False)
        one = GroupProgress("九", "九、新的一章", Counts(total=3, done=1), {"document_id": 1})
        counted = ChaptersCounted([one], chapters.prepare([BarRow("1|九", "九、新的一章", one.counts)]))

        screen.post_message(DashboardScreen._ChaptersCounted(now - 1, counted))  # a replaced load's: ignored
        screen.post_message(DashboardScreen._BreakdownLoaded(now, partial))
        await pilot.pause()
        assert [r.key for r in chapters.rows] == ["1|一", "1|二"] and not screen._breakdown.counted

        screen.post_message(DashboardScreen._ChaptersCounted(now, counted))
        await pilot.pause()
        assert [r.key for r in chapters.rows] == ["1|九"] and chapters.rows[0].counts == one.counts
        assert screen._breakdown.counted and screen.data.chapters == [one]
