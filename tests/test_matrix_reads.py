"""The matrix read as an outline plus windows of rows holds exactly what the whole matrix held."""

from __future__ import annotations

import sys
from datetime import date

import pytest

from tests.conftest import REPO
from tracker.store import queries as q
from tracker.store.engine import make_engine, read_tx
from tracker.store.filters import TaskFilter
from tracker.store.matrix_reads import matrix_outline, matrix_window
from tracker.tui.widgets.matrix_rows import BLOCK, PagedMatrix

TODAY = date(2022, 11, 15)


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import build, write_db
    finally:
        sys.path.remove(str(REPO / "bench"))
    path = tmp_path_factory.mktemp("matrix") / "tasks.db"
    write_db(build(2500, TODAY, 9), path)  # ~280 measures: three blocks of rows
    return make_engine(f"sqlite:///{path}")


@pytest.mark.parametrize("flt", [
    TaskFilter(), TaskFilter(unit_kinds=("town",)), TaskFilter(unit_kinds=("agency", "group", "company")),
    TaskFilter(overdue=True), TaskFilter(document_id=3), TaskFilter(text="就业"),
], ids=lambda f: f.describe())
def test_outline_and_windows_equal_the_whole_matrix(engine, config, flt):
    with read_tx(engine) as conn:
        whole = q.responsibility_matrix(conn, flt, TODAY, config)
        outline = matrix_outline(conn, flt, TODAY, config)
        paged = PagedMatrix(outline)
        blocks = range((len(outline.measure_ids) + BLOCK - 1) // BLOCK)
        for block in blocks:
            paged.add(block, matrix_window(conn, flt, TODAY, paged.block_ids(block)), 0)
    assert whole.cells  # a filter that selects nothing would prove nothing
    assert len(blocks) > 1 or flt.document_id or flt.text
    assert outline.measure_ids == [m[0] for m in whole.measures]
    assert list(paged.measures) == whole.measures
    assert outline.units == whole.units
    assert outline.tasks == len(whole.cells)
    assert paged.cells == whole.cells


def test_blocks_far_from_the_cursor_are_released(engine, config):
    with read_tx(engine) as conn:
        paged = PagedMatrix(matrix_outline(conn, TaskFilter(), TODAY, config))
        paged.add(0, matrix_window(conn, TaskFilter(), TODAY, paged.block_ids(0)), 0)
        first_cells = len(paged.cells)
        paged.add(2, matrix_window(conn, TaskFilter(), TODAY, paged.block_ids(2)), 0)
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr("tracker.tui.widgets.matrix_rows.KEEP_BLOCKS", 1)
            paged.add(1, matrix_window(conn, TaskFilter(), TODAY, paged.block_ids(1)), 2 * BLOCK)
    assert paged.blocks == {1, 2}
    assert paged.measures[0] is None and paged.measures[BLOCK] is not None
    assert all(mid not in paged.document_of for mid in paged.block_ids(0))
    assert first_cells and not any(key[0] in set(paged.block_ids(0)) for key in paged.cells)


def test_dashboard_unit_figures_equal_the_grouped_query(engine, config):
    from tracker.store.dashboard_reads import unassigned_count, unit_progress

    with read_tx(engine) as conn:
        want = q.progress_by_unit(conn, TaskFilter(), TODAY, 14, config)
        got = unit_progress(conn, TODAY, 14, config)
        assert len(want) > 20 and got == want
        assert unassigned_count(conn) == len(q.unassigned_measures(conn))


def test_unit_names_in_order_equal_the_unit_list(engine, config):
    from tracker.store.app_queries import unit_names_in_order

    with read_tx(engine) as conn:
        want = [u.name for u in q.list_units(conn, TODAY, config)]
        assert len(want) > 40 and unit_names_in_order(conn, config) == want
