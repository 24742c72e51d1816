"""Keyset paging gives exactly the rows OFFSET paging gives, in every order, ties included."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date

import pytest

from tests.conftest import REPO
from tracker.store import sql
from tracker.store.filters import TaskFilter
from tracker.store.task_keyset import page_after, page_at, page_before

TODAY = date(2022, 11, 15)
CONFIG = None  # the shipped config (街镇 order for sort "unit"), set by the fixture
FILTERS = [
    TaskFilter(),
    TaskFilter(overdue=True),
    TaskFilter(statuses=("done", "dropped")),
    TaskFilter(due_within=60),
    TaskFilter(units=("区人力资源社会保障局",)),
    TaskFilter(unit_kinds=("town",), text="就业"),
]


@pytest.fixture(scope="module")
def conn(tmp_path_factory, request):
    """A generated database of 1,500 tasks with many ties: equal due dates, equal update times, undated tasks."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import build, write_db
    finally:
        sys.path.remove(str(REPO / "bench"))
    from tracker.config import load_config

    path = tmp_path_factory.mktemp("keyset") / "tasks.db"
    write_db(build(1500, TODAY, 5), path)
    raw = sqlite3.connect(path)
    with raw:
        # ties: a third of the tasks share one of three due dates (one of them today), a tenth share one
        # update time, some have no due date at all (the undated segment)
        raw.execute("UPDATE task SET due = CASE id % 3 WHEN 0 THEN '2022-11-15' WHEN 1 THEN '2022-10-01' "
                    "ELSE '2023-06-30' END WHERE id % 3 = 0 OR id % 7 = 0")
        raw.execute("UPDATE task SET updated_at = '2022-11-01 09:00:00.000000' WHERE id % 10 = 0")
        raw.execute("UPDATE task SET due = NULL WHERE id % 17 = 0")
    raw.close()
    c = sql.open_sqlite(path)
    global CONFIG
    CONFIG = load_config(REPO / "config.toml")
    yield c
    c.close()


def _offset_ids(conn, flt, sort):
    return [r.id for r in sql.list_tasks(conn, flt, TODAY, sort=sort, config=CONFIG)]


@pytest.mark.parametrize("sort", sql.SORTS)
@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f.describe())
def test_forward_and_backward_walks_equal_offset_order(conn, sort, flt):
    expected = _offset_ids(conn, flt, sort)
    assert len(expected) > 20 or flt.text  # the data set really has rows for the filter
    forward, key = [], None
    for _walked in range(len(expected) // 37 + 2):  # a walk that never ends fails instead of hanging
        page = page_after(conn, flt, TODAY, sort, key, 37, config=CONFIG)
        forward += [r.id for r in page.rows]
        if len(page) < 37:
            break
        key = page.keys[-1]
    assert forward == expected
    backward, key = [], None
    for _walked in range(len(expected) // 41 + 2):
        page = page_before(conn, flt, TODAY, sort, key, 41, config=CONFIG)
        backward = [r.id for r in page.rows] + backward
        if len(page) < 41:
            break
        key = page.keys[0]
    assert backward == expected


@pytest.mark.parametrize("sort", sql.SORTS)
def test_end_then_page_up_gives_the_offset_pages(conn, sort):
    flt, size = TaskFilter(), 50
    total = sql.count_tasks(conn, flt, TODAY).total
    last = (total - 1) // size
    page = page_before(conn, flt, TODAY, sort, None, total - last * size, config=CONFIG)  # End
    for number in range(last, last - 6, -1):
        offset_rows = sql.list_tasks(conn, flt, TODAY, sort=sort, limit=size, offset=number * size, config=CONFIG)
        assert [r.id for r in page.rows] == [r.id for r in offset_rows], number
        page = page_before(conn, flt, TODAY, sort, page.keys[0], size, config=CONFIG)  # PageUp


@pytest.mark.parametrize("sort", ["late", "due", "updated"])
@pytest.mark.parametrize("offset", [0, 5, 333, 700, 1000, 1490])
def test_a_jump_to_any_position_equals_offset(conn, sort, offset):
    flt = TaskFilter()
    total = sql.count_tasks(conn, flt, TODAY).total
    got = page_at(conn, flt, TODAY, sort, offset, 30, total, config=CONFIG)
    want = sql.list_tasks(conn, flt, TODAY, sort=sort, limit=30, offset=offset, config=CONFIG)
    assert [r.id for r in got.rows] == [r.id for r in want]
    if got.rows:  # the keys it returns continue the walk where it stopped
        after = page_after(conn, flt, TODAY, sort, got.keys[-1], 10, config=CONFIG)
        want = sql.list_tasks(conn, flt, TODAY, sort=sort, limit=10, offset=offset + 30, config=CONFIG)
        assert [r.id for r in after.rows] == [r.id for r in want]


def test_late_pages_walk_the_due_index_instead_of_sorting_everything(conn):
    """The point of the segments: each page query walks ix_task_due; none sorts the whole list."""
    issued: list[str] = []
    conn.set_trace_callback(issued.append)
    try:
        first = page_after(conn, TaskFilter(), TODAY, "late", None, 20, config=CONFIG)
        page_after(conn, TaskFilter(), TODAY, "late", first.keys[-1], 20, config=CONFIG)
        page_before(conn, TaskFilter(), TODAY, "late", None, 20, config=CONFIG)
    finally:
        conn.set_trace_callback(None)
    selects = [s for s in issued if s.startswith("SELECT")]
    assert selects
    for statement in selects:
        plan = " | ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + statement))
        # led by an index in the order's first key (due, or the document of an undated task's measure) …
        assert "ix_task_due" in plan or plan.startswith("SCAN measure USING INDEX ix_measure_document_id"), plan
        # … so only rows sharing that key are sorted, never the whole list
        assert "USE TEMP B-TREE FOR ORDER BY" not in plan, plan


@pytest.mark.parametrize("flt", [
    TaskFilter(), TaskFilter(overdue=True), TaskFilter(statuses=("todo", "blocked")), TaskFilter(due_within=30),
    TaskFilter(units=("区人力资源社会保障局", "夏阳街道"), overdue=True), TaskFilter(unit_kinds=("town",)),
], ids=lambda f: f.describe())
def test_quick_counts_equal_count_tasks(conn, flt):
    from tracker.store.app_queries import quick_counts

    want = sql.count_tasks(conn, flt, TODAY, 14)
    assert want.total  # a filter with tasks: equal zeros would prove nothing
    assert quick_counts(conn, flt, TODAY, 14) == want


@pytest.mark.parametrize("sort", ["late", "updated"])
def test_a_long_jump_skips_on_the_leading_key_and_still_lands_exactly(conn, sort, monkeypatch):
    from tracker.store import task_keyset

    monkeypatch.setattr(task_keyset, "LONG_SKIP", 10)  # the test data is small: take the long-jump path
    flt = TaskFilter()
    total = sql.count_tasks(conn, flt, TODAY).total
    for offset in (40, 400, 611, 1100):
        got = page_at(conn, flt, TODAY, sort, offset, 25, total, config=CONFIG)
        want = sql.list_tasks(conn, flt, TODAY, sort=sort, limit=25, offset=offset, config=CONFIG)
        assert [r.id for r in got.rows] == [r.id for r in want], offset
