"""Pilot tests of the 新增督办事项 form: reached with n and the palette, checked in Chinese, saved as a measure
of the standing 督办事项 document with one task per unit."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Static

from tests.tui_helpers import LEAD, USER, engine_of, run_async, settle, text_of
from tracker.config import QINGPU_TOWNS
from tracker.store import queries, sql
from tracker.store.engine import read_tx
from tracker.store.filters import TaskFilter
from tracker.tui.app import create_app
from tracker.tui.screens.add_item_modal import AddItemModal, split_units

SIZE = (160, 45)


def fill(modal: AddItemModal, **values: str) -> None:
    for field, value in values.items():
        modal.query_one(f"#add-{field}", Input).value = value


async def _form(pilot, app) -> AddItemModal:
    await settle(pilot)
    await pilot.press("n")
    await settle(pilot)
    assert isinstance(app.screen, AddItemModal)
    return app.screen


def test_unit_names_split_on_any_separator():
    assert split_units(" 区经委、区财政局，各街镇 区经委;团区委 ") == ["区经委", "区财政局", "各街镇", "团区委"]


@run_async
async def test_add_item_creates_its_tasks_and_shows_them(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _form(pilot, app)
        fill(modal, title="做好重点企业用工保障", lead="区人社局", units="区经委、各街镇", due="2022-12-20",
             text="区长批示：对重点企业逐户走访", source="区长批示 2022-11-10")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, AddItemModal)
        measure_id = app.home.filter.measure_id
        assert measure_id is not None  # the task list shows the new item's tasks
        with read_tx(engine_of(ctx)) as conn:
            measure = queries.get_measure(conn, measure_id)
            rows = queries.list_tasks(conn, TaskFilter(measure_id=measure_id), ctx.today, sort="measure")
        assert (measure.title, measure.due, measure.document_title) == ("做好重点企业用工保障", date(2022, 12, 20), "督办事项")
        assert {r.unit: r.role for r in rows} == {LEAD: "lead", "区经委": "support"} | {t: "support" for t in QINGPU_TOWNS}
        assert all(r.due == date(2022, 12, 20) and r.status == "todo" for r in rows)
        assert any(n.message == f"已新增督办事项「做好重点企业用工保障」：{len(rows)} 项任务" for n in app._notifications)


@run_async
async def test_add_item_from_the_palette(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p", *"新增督办")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AddItemModal)


@run_async
async def test_form_checks_are_in_chinese_and_keep_what_was_typed(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _form(pilot, app)
        error = modal.query_one("#add-error", Static)
        cases = [
            ({}, "请填写事项标题", "add-title"),
            ({"title": "落实会议议定事项"}, "请填写牵头单位", "add-lead"),
            ({"lead": "区经委、区财政局"}, "牵头单位只能填一个", "add-lead"),
            ({"lead": "区经委"}, "请填写截止日期", "add-due"),
            ({"due": "明年春天"}, "截止日期看不懂", "add-due"),
        ]
        for values, words, field in cases:
            fill(modal, **values)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert app.screen is modal
            assert words in text_of(error), (values, text_of(error))
            assert modal.focused.id == field
        assert modal.query_one("#add-title", Input).value == "落实会议议定事项"
        with read_tx(engine_of(ctx)) as conn:
            assert not [d for d in queries.list_documents(conn) if d.title == "督办事项"]  # nothing written
        fill(modal, due="月底")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, AddItemModal)
        with read_tx(engine_of(ctx)) as conn:
            [row] = queries.list_tasks(conn, TaskFilter(measure_id=app.home.filter.measure_id), ctx.today)
        assert (row.unit, row.role, row.due, row.updated_by) == ("区经委", "lead", date(2022, 11, 30), USER)


@run_async
async def test_an_unknown_unit_is_named_and_created_only_when_saved_again(ctx):
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        modal = await _form(pilot, app)
        fill(modal, title="落实会议议定事项", lead="区经委", units="区财攻局", due="2022-12-20")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is modal
        assert "未知单位 区财攻局" in text_of(modal.query_one("#add-error", Static))
        with read_tx(engine_of(ctx)) as conn:
            assert "区财攻局" not in sql.unit_names(conn)
            assert not [d for d in queries.list_documents(conn) if d.title == "督办事项"]  # nothing written
        await pilot.press("ctrl+s")  # the same names again: the coordinator means it
        await settle(pilot)
        assert not isinstance(app.screen, AddItemModal)
        with read_tx(engine_of(ctx)) as conn:
            rows = queries.list_tasks(conn, TaskFilter(measure_id=app.home.filter.measure_id), ctx.today)
        assert {r.unit for r in rows} == {"区经委", "区财攻局"}
