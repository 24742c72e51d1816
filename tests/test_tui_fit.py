"""Every screen reads correctly at 160×45, 100×30 and 80×24: figures whole, cuts marked with an ellipsis."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from tests.tui_helpers import engine_of, make_context, run_async, screen_lines, settle
from tests.tui_screens_data import (
    REPO,
    ScreenHost,
    build_engine,
    clause_document,
    make_ctx,
)
from tracker.store import queries as q
from tracker.store import services as s
from tracker.store.engine import read_tx
from tracker.tui.app import create_app
from tracker.tui.screens.dashboard import DashboardScreen
from tracker.tui.screens.measure import MeasureScreen
from tracker.tui.screens.unit import UnitScreen

SIZES = [(160, 45), (100, 30), (80, 24)]


def seed_ctx(tmp_path, today=date(2023, 1, 15)):
    """The real 青浦 document (274 tasks), everything late: 18 tasks and 18 overdue for each 街镇."""
    from tracker.config import load_config
    from tracker.ingest.reader import parse_file
    from tracker.store.engine import make_engine

    config = load_config(REPO / "config.toml")
    engine = make_engine(f"sqlite:///{tmp_path / 'seed.db'}")
    s.import_document(engine, parse_file(next((REPO / "seeds").glob("002_*.txt")), config), by="tester")
    from tests.tui_helpers import app_context

    return app_context(engine, config=config, today=today, user="tester")


def second_document():
    doc = clause_document()
    return replace(doc, path="seeds/009_other.txt", content_hash="f" * 64, doc_number="青府办发〔2022〕9号",
                   title="关于进一步做好稳就业工作的补充通知")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
def test_footer_reads_whole_on_every_screen(tmp_path, size):
    ctx = make_context(tmp_path)

    @run_async
    async def run():
        app = create_app(ctx, poll=False)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, replaced_loads=True)
            for key in "12345678":
                await pilot.press(key)
                await settle(pilot, replaced_loads=True)
                footer = screen_lines(app)[-1]
                assert footer.rstrip().endswith("^p 命令"), (key, footer)
                assert "12345678 视图" in footer and "? 帮助" in footer, (key, footer)

    run()


@pytest.mark.parametrize("size", SIZES)
def test_unit_list_shows_the_overdue_count_whole(tmp_path, size):
    ctx = seed_ctx(tmp_path)
    with read_tx(engine_of(ctx)) as conn:
        late = {u.name: u.overdue for u in q.list_units(conn, ctx.today) if u.overdue}
    assert late

    @run_async
    async def run():
        app = ScreenHost(ctx, UnitScreen)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, replaced_loads=True)
            lines = screen_lines(app)
            for name, count in late.items():
                line = next((ln for ln in lines if f"│ {name} " in ln), None)
                if line is None:  # scrolled out of view on a small terminal
                    continue
                picker_part = line.split("│")[1]
                assert re.search(rf"逾期\s*{count}\b", picker_part), (name, picker_part)
                assert "…" not in picker_part, picker_part

    run()


@pytest.mark.parametrize("size", SIZES)
def test_measure_list_shows_awaiting_assignment_whole(tmp_path, size):
    ctx = make_ctx(build_engine(tmp_path / "fit.db"))
    from tracker.config import load_config
    from tracker.ingest.reader import parse_file

    for news in sorted((REPO / "seeds").glob("00[01]_*.txt")):  # long titles awaiting assignment
        s.import_document(engine_of(ctx), parse_file(news, load_config(REPO / "config.toml")), by="tester")

    @run_async
    async def run():
        app = ScreenHost(ctx, MeasureScreen)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, replaced_loads=True)
            picker = [ln.split("│")[1] for ln in screen_lines(app) if ln.startswith("│")]
            waiting = [ln for ln in picker if "待分" in ln]
            assert waiting, picker
            assert all("待分配" in ln for ln in waiting), waiting
            counted = [ln for ln in picker if re.search(r"\d+\s*项?\s*$", ln.rstrip())]
            assert counted, picker  # the task counts are shown, not cut

    run()


@pytest.mark.parametrize("size", [(100, 30), (80, 24)])
def test_dashboard_heads_each_document_once(tmp_path, size):
    engine = build_engine(tmp_path / "fit.db")
    s.import_document(engine, second_document(), by="tester")
    ctx = make_ctx(engine)

    @run_async
    async def run():
        app = ScreenHost(ctx, DashboardScreen)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, replaced_loads=True)
            lines = screen_lines(app)
            text = "\n".join(lines)
            assert text.count("青府规发") == 1 and text.count("青府办发") == 1, text
            chapter_rows = [ln for ln in lines if "三、推动" in ln]
            assert len(chapter_rows) == 2  # one per document, under its heading

    run()


@pytest.mark.parametrize("size", SIZES)
def test_dashboard_figures_are_whole(tmp_path, size):
    ctx = make_ctx(build_engine(tmp_path / "fit.db"))

    @run_async
    async def run():
        app = ScreenHost(ctx, DashboardScreen)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, replaced_loads=True)
            rows = [ln for ln in screen_lines(app) if "逾期" in ln and "│" in ln]
            assert rows
            for ln in rows:
                for cell in ln.split("│")[1:-1]:
                    if re.search(r"\d+/\d+|将到期", cell):
                        assert not cell.rstrip().endswith("…"), ln

    run()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("view", ["units", "measures"])
def test_task_tables_of_the_views_fit_their_width(tmp_path, size, view):
    from tracker.tui.widgets.matrix_tasks import TaskTable

    ctx = seed_ctx(tmp_path)
    screen = UnitScreen if view == "units" else MeasureScreen

    @run_async
    async def run():
        app = ScreenHost(ctx, screen)
        async with app.run_test(size=size) as pilot:
            await settle(pilot, replaced_loads=True)
            table = app.screen.query_one(TaskTable)
            assert table.rows_shown
            # nothing hides past the right edge: what does not fit is dropped or cut with an ellipsis
            assert table.virtual_size.width <= table.scrollable_content_region.width, (
                table.virtual_size, table.scrollable_content_region)
            headings = [str(c.label) for c in table.columns.values()]
            assert "状态" in headings and ("措施" in headings if view == "units" else "单位" in headings)

    run()
