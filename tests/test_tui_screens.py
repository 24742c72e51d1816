"""Pilot tests for the secondary screens: matrix, dashboard, by unit, by measure, unassigned → assigned."""

from __future__ import annotations

import pytest

from tests.tui_helpers import engine_of, run_async, settle, shown_text
from tests.tui_screens_data import TODAY, ScreenHost, build_engine, make_ctx
from tracker.config import QINGPU_TOWNS
from tracker.store import queries as q
from tracker.store.engine import read_tx
from tracker.store.filters import TaskFilter
from tracker.tui.screens.assign_modal import AssignModal
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.matrix import MatrixScreen
from tracker.tui.screens.measure import MeasureScreen
from tracker.tui.screens.unassigned import UnassignedScreen
from tracker.tui.screens.unit import UnitScreen
from tracker.tui.widgets.bars import BarList
from tracker.tui.widgets.matrix_grid import MatrixGrid
from tracker.tui.widgets.matrix_style import fit, truncate
from tracker.tui.widgets.matrix_tasks import TaskTable

SIZE = (160, 45)



@pytest.fixture
def ctx(tmp_path):
    return make_ctx(build_engine(tmp_path / "screens.db"))


def task_id(ctx, code: str, unit: str) -> int:
    with read_tx(engine_of(ctx)) as conn:
        (row,) = q.list_tasks(conn, TaskFilter(measure=code, units=(unit,)), TODAY)
    return row.id


# --------------------------------------------------------------------------- text fitting


def test_fit_counts_cjk_cells_and_truncates_with_ellipsis():
    assert fit("夏阳街道", 10) == "夏阳街道  "
    assert truncate("区人力资源社会保障局", 9) == "区人力资…"
    assert fit("区人力资源社会保障局", 9) == "区人力资…"  # 8 cells + the ellipsis
    assert fit("区人力资源社会保障局", 10) == "区人力资… "  # a wide character never straddles the edge
    assert fit("abc", 5, "right") == "  abc"


# --------------------------------------------------------------------------- matrix


@run_async
async def test_matrix_cursor_moves_and_enter_opens_the_task(ctx):
    app = ScreenHost(ctx, MatrixScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        grid = app.screen.query_one(MatrixGrid)
        m = grid.matrix
        assert len(m.measures) == 10
        assert len(m.units) == 25  # 13 bureaus + 1 group + 11 towns
        assert [code for _, code, _ in m.measures][:3] == ["三（一）", "三（二）", "三（三）"]
        assert (grid.cursor_row, grid.cursor_column) == (0, 0)

        await pilot.press("down", "down", "right")
        assert (grid.cursor_row, grid.cursor_column) == (2, 1)
        await pilot.press("up")
        assert grid.cursor_row == 1

        # walk to 三（三） × 夏阳街道 and open it
        col = next(i for i, u in enumerate(m.units) if u[1] == "夏阳街道")
        await pilot.press("down")
        step = col - grid.cursor_column  # the 街镇 may come before or after the bureaus
        await pilot.press(*(["right" if step > 0 else "left"] * abs(step)))
        assert grid.current_unit[1] == "夏阳街道"
        assert grid.current_measure[1] == "三（三）"
        info = str(app.screen.query_one("#matrix-info").render())
        assert "夏阳街道" in info and "受阻" in info
        await pilot.press("enter")
        assert app.opened == [task_id(ctx, "三（三）", "夏阳街道")]

        # an empty cell opens nothing
        mid = grid.current_measure[0]
        empty = next(i for i, u in enumerate(m.units) if (mid, u[0]) not in m.cells)
        step = empty - grid.cursor_column
        await pilot.press(*(["right" if step > 0 else "left"] * abs(step)))
        assert grid.current_cell is None
        await pilot.press("enter")
        assert len(app.opened) == 1


@run_async
async def test_matrix_scrolls_both_ways_keeping_header_and_first_column(ctx):
    app = ScreenHost(ctx, MatrixScreen)
    async with app.run_test(size=(60, 14)) as pilot:
        await settle(pilot, replaced_loads=True)
        grid = app.screen.query_one(MatrixGrid)
        await pilot.press("end", "ctrl+end")
        await pilot.pause()
        assert grid.cursor_column == len(grid.matrix.units) - 1
        assert grid.cursor_row == len(grid.matrix.measures) - 1
        assert grid.scroll_x > 0 and grid.scroll_y > 0
        lines = [grid.render_line(y).text for y in range(grid.scrollable_content_region.height)]
        assert lines[-1].startswith("五（四）")  # first column stays put
        assert lines[-2].startswith("五（三）")
        assert "措施" in lines[grid.header_height - 1]  # header stays put


def test_matrix_rows_align_whatever_the_code_width():
    from rich.cells import cell_len
    from rich.style import Style

    from tracker.store.queries import Matrix

    grid = MatrixGrid(TODAY)  # not mounted: plain styles stand in for the CSS ones
    grid._styles = {name: Style() for name in MatrixGrid.COMPONENT_CLASSES}
    grid.matrix = Matrix([(1, "三（1）", "标题甲"), (2, "三（10）", "标题乙")], [], {})
    grid._code_width = 8
    starts = []
    for row in (0, 1):
        text = grid._row_line(row, 60, Style()).text
        starts.append(cell_len(text[: text.index("标题")]))
    assert starts[0] == starts[1] == 9


@run_async
async def test_matrix_kind_toggle_shows_only_towns(ctx):
    app = ScreenHost(ctx, MatrixScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        await pilot.press("k", "k")
        await settle(pilot, replaced_loads=True)
        grid = app.screen.query_one(MatrixGrid)
        assert {u[2] for u in grid.matrix.units} == {"town"}
        assert [m[1] for m in grid.matrix.measures] == ["三（一）", "三（三）", "五（一）", "五（三）"]


# --------------------------------------------------------------------------- by unit / by measure


@run_async
async def test_unit_screen_lists_xiayang_tasks_late_first(ctx):
    app = ScreenHost(ctx, lambda c: UnitScreen(c, "夏阳街道"))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        table = app.screen.query_one(TaskTable)
        codes = [r.measure_code for r in table.rows_shown]
        # 五（一） is overdue (due 11-10): first; then by due date; all four of 夏阳街道's tasks
        assert codes == ["五（一）", "三（三）", "三（一）", "五（三）"]
        assert {r.unit for r in table.rows_shown} == {"夏阳街道"}
        assert table.row_count == 4
        summary = str(app.screen.query_one("#unit-summary").render())
        assert "逾期 1" in summary and "受阻 1" in summary

        table.focus()
        await pilot.press("enter")
        assert app.opened == [task_id(ctx, "五（一）", "夏阳街道")]

        await pilot.press("o")  # open tasks only: the done 五（三） goes
        await settle(pilot, replaced_loads=True)
        assert [r.measure_code for r in table.rows_shown] == ["五（一）", "三（三）", "三（一）"]
        await pilot.press("l")
        assert app.filters[-1].units == ("夏阳街道",)


@run_async
async def test_unit_screen_picks_another_unit(ctx):
    app = ScreenHost(ctx, UnitScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        picker = app.screen.query_one("#unit-picker")
        picker.highlighted = picker.get_option_index("区人力资源社会保障局")
        await settle(pilot, replaced_loads=True)
        table = app.screen.query_one(TaskTable)
        assert [r.measure_code for r in table.rows_shown][0] == "四（二）"  # overdue since 09-30
        assert len(table.rows_shown) == 4


@run_async
async def test_measure_screen_shows_all_units_lead_first(ctx):
    with read_tx(engine_of(ctx)) as conn:
        mid = next(m.id for m in q.list_measures(conn) if m.code == "三（一）")
    app = ScreenHost(ctx, lambda c: MeasureScreen(c, mid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        table = app.screen.query_one(TaskTable)
        rows = table.rows_shown
        assert len(rows) == 13
        assert rows[0].unit == "区人力资源社会保障局" and rows[0].role == "lead"
        assert {r.unit for r in rows if r.unit_kind == "town"} == set(QINGPU_TOWNS)
        statuses = {r.unit: r.status for r in rows}
        assert statuses["区财政局"] == "done" and statuses["夏阳街道"] == "doing"
        detail = shown_text(app.screen.query_one("#measure-text"))
        assert "牵头：区人力资源社会保障局" in detail and "32万人" in detail
        table.focus()
        await pilot.press("down", "enter")
        assert app.opened == [rows[1].id]


# --------------------------------------------------------------------------- dashboard


@run_async
async def test_dashboard_numbers(ctx):
    app = ScreenHost(ctx, DashboardScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        screen = app.screen
        chapters = {r.label: r.counts for r in screen.query_one("#dash-chapters", BarList).rows}
        assert list(chapters) == ["三、推动市场主体稳定发展", "四、促进重点群体就业", "五、强化就业服务保障"]
        # 三: 13 + 2 + 12 tasks; done: 区财政局, 盈浦街道, 区商务委; overdue: 三（二） 区经委
        assert (chapters["三、推动市场主体稳定发展"].total, chapters["三、推动市场主体稳定发展"].done) == (27, 3)
        assert chapters["三、推动市场主体稳定发展"].overdue == 1
        # 五（一） due 11-10: 12 tasks, 3 done → 9 overdue
        assert chapters["五、强化就业服务保障"].overdue == 9
        assert chapters["四、促进重点群体就业"].overdue == 2  # 四（二）: 团区委 (blocked) and 区人社局

        red = screen.query_one("#dash-red", BarList).rows
        assert len(red) == 12
        assert {r.key: r.counts.overdue for r in red}["夏阳街道"] == 1
        assert "盈浦街道" not in {r.key for r in red} and "朱家角镇" not in {r.key for r in red}

        units = {r.key: r.counts for r in screen.query_one("#dash-units", BarList).rows}
        assert (units["夏阳街道"].total, units["夏阳街道"].done) == (4, 1)
        assert (units["区人力资源社会保障局"].total, units["区人力资源社会保障局"].done) == (4, 1)

        targets = screen.query_one("#dash-targets", BarList).rows
        assert [round(r.target.progress, 2) if r.target.progress is not None else None for r in targets] == [0.8, 0.5, None]

        summary = str(screen.query_one("#dash-summary").render())
        assert "任务 62 项" in summary and "逾期 12" in summary and "待分配措施 3 项" in summary

        # Enter on the red list shows that unit's overdue tasks in the Tasks screen
        screen.query_one("#dash-red", BarList).focus()
        await pilot.press("enter")
        assert app.filters and app.filters[-1].overdue and len(app.filters[-1].units) == 1


# --------------------------------------------------------------------------- unassigned → assigned


@run_async
async def test_unassigned_assign_with_group_expands_and_first_leads(ctx):
    app = ScreenHost(ctx, UnassignedScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        screen = app.screen
        listing = screen.query_one("#unassigned-list")
        assert listing.option_count == 3
        assert screen.current.code == "E1"

        await pilot.press("down")  # pick E2
        measure = screen.current
        assert measure.code == "E2"
        await pilot.press("a")
        await settle(pilot, replaced_loads=True)
        modal = app.screen
        assert isinstance(modal, AssignModal)
        # type an alias: 区人社局 → 区人力资源社会保障局, then the 各街镇 group
        await pilot.press(*"区人社局")
        await pilot.press("enter")
        await pilot.press(*"各街镇")
        await pilot.press("enter")
        assert modal.chosen == ["区人力资源社会保障局", "各街镇"]
        chosen_text = str(modal.query_one("#assign-chosen").render())
        assert "区人力资源社会保障局（牵头）" in chosen_text
        await pilot.press("ctrl+s")
        await settle(pilot, replaced_loads=True)

        assert app.screen is screen
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        assert str(measure.id) not in ids
        assert listing.option_count == 2

    with read_tx(engine_of(ctx)) as conn:
        rows = q.list_tasks(conn, TaskFilter(measure_id=measure.id), TODAY, sort="measure")
        assert not any(m.id == measure.id for m in q.unassigned_measures(conn))
    assert len(rows) == 12
    assert [r.unit for r in rows if r.role == "lead"] == ["区人力资源社会保障局"]
    assert {r.unit for r in rows if r.role == "support"} == set(QINGPU_TOWNS)


@run_async
async def test_assign_modal_group_first_makes_its_first_town_lead_and_escape_cancels(ctx):
    app = ScreenHost(ctx, UnassignedScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        screen = app.screen
        await pilot.press("a")
        await settle(pilot, replaced_loads=True)
        await pilot.press("escape")
        await settle(pilot, replaced_loads=True)
        assert app.screen is screen and screen.query_one("#unassigned-list").option_count == 3

        await pilot.press("enter")  # Enter on a measure also opens the modal
        await settle(pilot, replaced_loads=True)
        modal = app.screen
        await pilot.press(*"各街镇", "enter")
        await pilot.press("ctrl+s")
        await settle(pilot, replaced_loads=True)
        assert screen.query_one("#unassigned-list").option_count == 2
    with read_tx(engine_of(ctx)) as conn:
        e1 = next(m for m in q.list_measures(conn) if m.code == "E1")
        rows = q.list_tasks(conn, TaskFilter(measure_id=e1.id), TODAY)
    assert modal.chosen == ["各街镇"]
    assert len(rows) == 11
    assert [r.unit for r in rows if r.role == "lead"] == [QINGPU_TOWNS[0]]


# --------------------------------------------------------------------------- by measure: remove a unit


@run_async
async def test_measure_screen_removes_a_unit_after_confirmation(ctx):
    from textual.widgets import Button

    from tracker.tui.screens.confirm_modal import ConfirmModal

    with read_tx(engine_of(ctx)) as conn:
        mid = next(m.id for m in q.list_measures(conn) if m.code == "三（一）")
    app = ScreenHost(ctx, lambda c: MeasureScreen(c, mid))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        screen = app.screen
        table = screen.query_one(TaskTable)
        table.focus()
        await pilot.press("down")  # 区财政局 (done, with a note)
        assert table.current_task.unit == "区财政局"

        # Esc keeps the unit
        await pilot.press("x")
        await settle(pilot, replaced_loads=True)
        assert isinstance(app.screen, ConfirmModal)
        assert "区财政局" in str(app.screen.query_one("#confirm-message").render())
        assert app.focused is app.screen.query_one("#confirm-no", Button)  # the safe choice has the focus
        await pilot.press("enter")
        await settle(pilot, replaced_loads=True)
        assert app.screen is screen and len(table.rows_shown) == 13

        # y removes it, with its history
        await pilot.press("x")
        await settle(pilot, replaced_loads=True)
        await pilot.press("y")
        await settle(pilot, replaced_loads=True)
        assert app.screen is screen
        assert len(table.rows_shown) == 12 and "区财政局" not in {r.unit for r in table.rows_shown}
    with read_tx(engine_of(ctx)) as conn:
        rows = q.list_tasks(conn, TaskFilter(measure_id=mid), TODAY)
    assert len(rows) == 12 and "区财政局" not in {r.unit for r in rows}


@run_async
async def test_matrix_names_the_document_of_each_row_when_there_are_several(ctx):
    from rich.cells import cell_len

    from tracker.store import services

    with read_tx(engine_of(ctx)) as conn:
        e1 = next(m for m in q.list_measures(conn) if m.code == "E1")
        clause_doc = next(d for d in q.list_documents(conn) if d.doc_number)
    services.assign(engine_of(ctx), e1.id, ["区财政局"], by="tester", config=ctx.config)
    app = ScreenHost(ctx, MatrixScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        grid = app.screen.query_one(MatrixGrid)
        assert [code for _, code, _ in grid.matrix.measures][-1] == "E1"
        lines = [grid.render_line(y).text for y in range(grid.header_height + len(grid.matrix.measures))]
        rows = lines[grid.header_height:]
        assert rows[0].startswith(f"文{clause_doc.id}  三（一）")
        assert rows[-1].startswith(f"文{e1.document_id}  E1")
        # codes and titles start in the same cell on every row
        starts = {cell_len(r[: r.index(code)]) for r, (_, code, _) in zip(rows, grid.matrix.measures)}
        assert len(starts) == 1
        assert "文件" in lines[grid.header_height - 1]
        info = str(app.screen.query_one("#matrix-info").render())
        assert clause_doc.doc_number in info and "三（一）" in info
        assert "2 份文件" in str(app.screen.query_one("#matrix-title").render())
        await pilot.press("ctrl+end")
        info = str(app.screen.query_one("#matrix-info").render())
        assert "青浦区召开稳就业工作推进会" in info and "E1" in info


@run_async
async def test_matrix_of_one_document_has_no_document_column(ctx):
    app = ScreenHost(ctx, MatrixScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        grid = app.screen.query_one(MatrixGrid)
        assert not grid.several_documents
        assert grid.render_line(grid.header_height).text.startswith("三（一）")


@run_async
async def test_long_measure_titles_stay_on_one_line_and_documents_head_the_measure_picker(ctx):
    import hashlib

    from tracker.ingest.model import ParsedDocument, ParsedMeasure
    from tracker.store import services

    long_title = "迅速把思想和行动统一到党中央、国务院和上海市委、市政府的决策部署上来，切实增强做好稳就业工作的紧迫感"
    services.import_document(engine_of(ctx), ParsedDocument(
        path="seeds/009_会议.txt", content_hash=hashlib.sha256(b"long-title").hexdigest(), title="全市稳就业工作视频会议",
        has_clauses=False, measures=[ParsedMeasure(code="S2", chapter_code="", chapter="", title=long_title,
                                                   text=long_title + "。", order=1, line=1)],
    ), by="tester")
    app = ScreenHost(ctx, UnassignedScreen)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, replaced_loads=True)
        listing = app.screen.query_one("#unassigned-list")
        assert listing.option_count == 4  # E1-E3 and the new S2
        assert listing.virtual_size.height == 4 + 1  # one line each (and a separator): nothing wrapped

    app = ScreenHost(ctx, MeasureScreen)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, replaced_loads=True)
        picker = app.screen.query_one("#measure-picker")
        heads = [picker.get_option_at_index(i) for i in range(picker.option_count)]
        titles = [str(o.prompt) for o in heads if o.disabled]
        assert len(titles) == 3 and titles[0].startswith("关于做好我区当前") and titles[0].endswith("…")
        assert titles[1:] == ["青浦区召开稳就业工作推进会", "全市稳就业工作视频会议"]
        assert not picker.highlighted_option.disabled
        assert picker.virtual_size.height == picker.option_count + 2  # + two separators
        waiting = next(o for o in heads if o.id and "待分配" in str(o.prompt))
        assert " 待分配" in str(waiting.prompt)  # never glued to the title
