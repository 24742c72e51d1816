"""Pilot tests of the app's flows, asserting on state (store rows, table, screens)."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Input, Static

from tests.tui_helpers import (
    LEAD,
    TODAY,
    engine_of,
    run_async,
    settle,
    table,
    task_id,
    text_of,
)
from tracker.store import queries, services
from tracker.store.engine import read_tx
from tracker.store.filters import TaskFilter
from tracker.tui.app import create_app
from tracker.tui.screens.detail import DetailScreen
from tracker.tui.screens.help import HelpScreen
from tracker.tui.screens.status_modal import StatusModal
from tracker.tui.screens.unit_picker import UnitPicker

SIZE = (160, 45)


@run_async
async def test_home_shows_counts_and_rows(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = table(app)
        assert t.total == 80
        assert "总数 80" in text_of(app.home.query_one("#counts", Static))
        assert "逾期 17" in text_of(app.home.query_one("#counts", Static))
        first = t.current_row
        assert first is not None and first.is_overdue(TODAY)  # "late" sort: overdue first
        assert "全部任务" in text_of(app.home.query_one("#filter-sentence", Static))


@run_async
async def test_filters_combine_and_clear(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = table(app)
        await pilot.press("o")
        await settle(pilot)
        assert app.home.filter.overdue and t.total == 17
        assert "已逾期" in text_of(app.home.query_one("#filter-sentence", Static))
        assert all(t.row_at(i).is_overdue(TODAY) for i in range(t.total))

        # search, combined with overdue
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"夏阳")
        await pilot.press("enter")
        await settle(pilot)
        assert app.home.filter.text == "夏阳"
        assert t.total == 1 and t.current_row.unit == "夏阳街道"
        sentence = text_of(app.home.query_one("#filter-sentence", Static))
        assert "已逾期" in sentence and "含“夏阳”" in sentence

        # one key clears everything
        await pilot.press("escape", "c")
        await settle(pilot)
        assert app.home.filter.is_empty and t.total == 80


@run_async
async def test_unit_picker_and_my_unit(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = table(app)
        await pilot.press("u")
        await settle(pilot)
        assert isinstance(app.screen, UnitPicker)
        await pilot.press(*"财政")
        await pilot.press("enter")
        await settle(pilot)
        assert app.home.filter.units == ("区财政局",)
        assert t.total == 3
        # "m": the user 区人社局督查科 is matched to 区人力资源社会保障局 through the alias 区人社局
        await pilot.press("m")
        await settle(pilot)
        assert app.home.filter.units == (LEAD,)
        assert t.total == 9
        await pilot.press("m")
        await settle(pilot)
        assert app.home.filter.units == ()


@run_async
async def test_filter_panel_status_and_kind(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.home.set_filter(TaskFilter(statuses=("doing", "blocked"), unit_kinds=("agency",)))
        await settle(pilot)
        rows = [table(app).row_at(i) for i in range(table(app).total)]
        assert rows and all(r.status in ("doing", "blocked") and r.unit_kind == "agency" for r in rows)
        # the panel shows the filter
        from textual.widgets import SelectionList

        assert set(app.home.query_one("#filter-statuses", SelectionList).selected) == {"doing", "blocked"}


@run_async
async def test_export_writes_file_and_notifies(ctx, tmp_path):
    app = create_app(ctx, poll=False)
    app.export_dir = tmp_path
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        path_input = app.screen.query_one("#export-path", Input)
        path_input.value = "周报.md"
        await pilot.press("enter")
        await settle(pilot)
        target = tmp_path / "周报.md"
        report = target.read_text(encoding="utf-8")
        assert report.startswith("# ")
        assert "已逾期" in report.splitlines()[2]  # the filter in words, in the "as of" line
        with read_tx(engine_of(ctx)) as conn:
            overdue = queries.list_tasks(conn, TaskFilter(overdue=True), ctx.today)
        section = report.split("## 逾期任务")[1].split("\n## ")[0]
        rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line][1:]
        assert len(rows) == len(overdue) > 0
        assert any(str(target) in n.message for n in app._notifications)


@run_async
async def test_detail_shows_measure_units_targets_and_history(ctx):
    tid = task_id(ctx, "四（一）", "朱家角镇")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.open_task(tid)
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DetailScreen) and screen.data is not None
        head = text_of(screen.query_one("#detail-head", Static))
        assert "积极创造联动性岗位" in head and "朱家角镇" in head and "受阻" in head and "2022年" in head
        body = screen.query_one("#detail-text", Static).content.text
        # the unit is a member of 各街镇: the group name is highlighted in the text
        assert any(body.plain[s.start:s.end] == "各街镇" for s in body.spans)
        assert len(screen.data.others) == 15
        assert "40万人" in text_of(screen.query_one("#detail-targets", Static))
        assert "重点项目延期开工" in text_of(screen.query_one("#detail-history", Static))
        # s from the detail changes this task
        await pilot.press("s")
        await settle(pilot)
        assert isinstance(app.screen, StatusModal) and app.screen.rows[0].id == tid
        await pilot.press("escape")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.home


@run_async
async def test_enter_opens_detail(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        first = table(app).current_row
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen) and app.screen.task_id == first.id


@run_async
async def test_external_change_reloads(ctx):
    tid = task_id(ctx, "三（一）", "区商务委")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        services.set_status(engine_of(ctx), tid, "doing", by="区商务委", note="外部修改")
        app.read_token()  # what the 2-second timer does
        await settle(pilot)
        t = table(app)
        rows = {t.row_at(i).id: t.row_at(i) for i in range(min(t.total, 200))}
        assert rows[tid].status == "doing" and rows[tid].note == "外部修改"


@run_async
async def test_help_views_and_palette(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        for key in "23456":
            await pilot.press(key)
            await settle(pilot)
            # either the view opened, or the app said it is not ready yet
            assert app.screen is not app.home or app._notifications
        await pilot.press("1")
        await settle(pilot)
        assert app.screen is app.home
        # command palette: every action by its Chinese name
        await app.run_action("home('toggle_overdue')")
        await settle(pilot)
        assert app.home.filter.overdue


@run_async
async def test_palette_lists_actions(ctx):
    from tracker.tui.commands import COMMANDS

    app = create_app(ctx, poll=False)
    actions = {a.split("(")[0] for _, _, a in COMMANDS}
    assert {"view", "home", "undo", "export", "reload", "help", "quit"} <= actions
    for _, _, action in COMMANDS:
        name = action.split("(")[0]
        assert hasattr(app, f"action_{name}")
        if name == "home":
            inner = action.split("'")[1]
            from tracker.tui.screens.tasks import TasksScreen

            assert hasattr(TasksScreen, f"action_{inner}")


@run_async
async def test_open_view_reloads_when_another_process_changes_the_database(ctx):
    from tracker.tui.screens.unassigned import UnassignedScreen

    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("6")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, UnassignedScreen)
        before = [m.id for m in screen.measures]
        assert before
        app.read_token(broadcast=False)  # the token the app has seen
        await settle(pilot)
        # another process assigns the first waiting measure
        services.assign(engine_of(ctx), before[0], ["区财政局"], by="另一位协调员", config=ctx.config)
        app.read_token()  # what the 2-second poll does
        await settle(pilot)
        assert [m.id for m in screen.measures] == before[1:]


@run_async
async def test_footer_keys_fit_at_100_and_160_columns(ctx):
    from textual.widgets import Footer
    from textual.widgets._footer import FooterKey

    for width in (100, 160):
        app = create_app(ctx, poll=False)
        async with app.run_test(size=(width, 30)) as pilot:
            await settle(pilot)
            footer = app.home.query_one(Footer)
            keys = [k for k in footer.query(FooterKey) if "-command-palette" not in k.classes]
            palette = next(k for k in footer.query(FooterKey) if "-command-palette" in k.classes)
            keys = [k for k in keys if k.display]
            shown = {k.key for k in keys}
            assert {"slash", "o", "s", "question_mark"} <= shown
            # undo, export and quit leave a narrow footer (still bound, listed in help and the palette)
            assert ({"e", "z", "q"} <= shown) == (width >= 120)
            for key in keys:  # every key is on screen, left of the palette key
                assert key.region.width > 0 and key.region.right <= palette.region.x, (width, key.key)


def test_late_column_holds_four_digit_days_at_100_columns():
    from datetime import date

    from tracker.tui.widgets.cells import fit, late_phrase
    from tracker.tui.widgets.task_columns import layout_columns

    phrase = late_phrase(date(2019, 1, 5), "todo", TODAY)
    assert phrase == "逾期 1410 天"
    for width in (99, 67):  # panel hidden / panel shown at 100 columns
        columns = dict((c.key, w) for c, w in layout_columns(width, documents=True, max_id=100_000))
        assert fit(phrase, columns["late"]).rstrip() == phrase
        assert {"code", "title", "unit", "status", "late"} <= set(columns)
        assert sum(columns.values()) + len(columns) - 1 <= width


@run_async
async def test_choosing_a_document_scopes_the_chapter_and_measure_choices(ctx):
    from textual.widgets import Select

    with read_tx(engine_of(ctx)) as conn:
        docs = {d.title: d for d in queries.list_documents(conn)}
        measures = queries.list_measures(conn)
    news = docs["青浦区召开稳就业工作推进会"]
    clause = next(d for d in docs.values() if d.doc_number)
    san_yi = next(m for m in measures if m.code == "三（一）")
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        panel = app.home.panel
        measure_select = panel.query_one("#filter-measure", Select)
        # all documents: the choices name their document, codes repeat from one document to the next
        labels = [str(p) for p, _ in measure_select._options if _ is not Select.NULL]
        assert any(label.startswith(f"文{clause.id} 三（一）") for label in labels)
        assert any(label.startswith(f"文{news.id} E1") for label in labels)
        for label in labels:
            from rich.cells import cell_len

            assert cell_len(label) <= 24  # one line in the panel

        app.home.set_filter(TaskFilter(measure_id=san_yi.id))
        await settle(pilot)
        assert table(app).total == 5
        panel.query_one("#filter-document", Select).value = news.id  # another document: the measure goes
        await settle(pilot)
        assert app.home.filter.document_id == news.id and app.home.filter.measure_id is None
        values = [v for _, v in measure_select._options if v is not Select.NULL]
        assert values and all(next(m for m in measures if m.id == v).document_id == news.id for v in values)
        labels = [str(p) for p, v in measure_select._options if v is not Select.NULL]
        assert labels[0].startswith("E1 ")  # one document: no tag needed
        assert panel.query_one("#filter-chapter", Select)._options[1:] == []


@run_async
async def test_a_new_sort_reuses_the_counts(ctx, monkeypatch):
    from tracker.tui.widgets import task_pages

    calls = []
    original = task_pages.quick_counts

    def counting(*args, **kwargs):
        calls.append(args[1])
        return original(*args, **kwargs)

    monkeypatch.setattr(task_pages, "quick_counts", counting)
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert len(calls) == 1
        await pilot.press("t", "t")
        await settle(pilot)
        t = table(app)
        assert t.sort == "measure" and len(calls) == 1  # the order changed, the figures did not
        assert t.total == 80 and t.row_at(0).measure_code == "三（一）"
        assert "总数 80" in text_of(app.home.query_one("#counts", Static))
        await pilot.press("o")  # a new filter counts again
        await settle(pilot)
        assert len(calls) == 2 and t.total == 17
        app.refresh_data()  # and so does a change in the database
        await settle(pilot)
        assert len(calls) == 3


@run_async
async def test_a_quick_filter_touches_only_the_panel_controls_that_changed(ctx):
    from textual.widgets import SelectionList

    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        touched = []
        for selection in app.home.panel.query(SelectionList):
            selection.deselect_all = lambda s=selection: touched.append(s.id)  # type: ignore[method-assign]
        await pilot.press("o")
        await settle(pilot)
        assert app.home.filter.overdue and touched == []
        app.home.set_filter(TaskFilter(overdue=True, statuses=("blocked",)))
        await settle(pilot)
        assert touched == ["filter-statuses"]


@run_async
async def test_config_warnings_are_shown_in_the_app(ctx):
    """A warning about the config file (an ignored key) was printed before the app took the screen."""
    warned = replace(ctx, config=ctx.config.replace(warnings=("config.toml 第 3 行：colour：未知设置项，已忽略",)))
    app = create_app(warned, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert [n.message for n in app._notifications] == ["配置文件：config.toml 第 3 行：colour：未知设置项，已忽略"]
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not any(n.message.startswith("配置文件") for n in app._notifications)
