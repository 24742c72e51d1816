"""The per-chapter and per-document counts read ``ix_task_measure_status_due`` and give exactly the figures of
the queries they replaced (every task row joined with its measure, nine ``SUM(CASE …)``), on a generated
database with ties, undated tasks, tasks under review and archived documents; on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import sys
from datetime import date

import pytest

from tests.conftest import REPO
from tracker.store import sql
from tracker.store.detail_rows import GroupProgress
from tracker.store.filters import TaskFilter
from tracker.store.progress_sql import (
    chapter_keys,
    progress_by_chapter,
    progress_of_chapters,
)

TODAY = date(2022, 11, 15)
SOON = 14
FILTERS = [
    TaskFilter(),
    TaskFilter(include_archived=True),
    TaskFilter(overdue=True),
    TaskFilter(due_within=30),
    TaskFilter(statuses=("review", "done")),
    TaskFilter(unit_kinds=("town",)),
    TaskFilter(units=("区人力资源社会保障局",), text="就业"),
    TaskFilter(document_id=2),
    TaskFilter(document_id=3),  # archived: a document asked for by id is shown
]
GROUPINGS = [("document",), ("chapter",), ("kind",), ("unit",), ("document", "kind"), ("document", "chapter")]


# --------------------------------------------------------------------------- the replaced queries


def old_progress_by_chapter(conn, flt: TaskFilter) -> list[GroupProgress]:
    """The query before revision 0005 (its order made total: equal first-measure orders broke ties at random)."""
    where, params = flt.where_sql(TODAY)
    params.update(sql.count_params(TODAY, SOON))
    query = (f"SELECT measure.document_id, measure.chapter_code, MIN(measure.chapter), MIN(measure.\"order\"), "
             f"{sql.COUNT_COLUMNS} FROM task JOIN measure ON measure.id = task.measure_id "
             f"JOIN unit ON unit.id = task.unit_id WHERE {where} "
             "GROUP BY measure.document_id, measure.chapter_code "
             "ORDER BY measure.document_id, MIN(measure.\"order\"), measure.chapter_code")
    return [GroupProgress(r[1], r[2], sql.counts(r[4:]), {"document_id": r[0]}) for r in sql.rows(conn, query, params)]


_OLD_KEYS = {"document": ("measure.document_id", "measure"), "kind": ("unit.kind", "unit"),
             "unit": ("unit.name", "unit"), "chapter": ("measure.chapter_code", "measure")}


def old_count_by(conn, keys: tuple[str, ...], flt: TaskFilter) -> dict:
    columns = [_OLD_KEYS[k][0] for k in keys]
    tables = {_OLD_KEYS[k][1] for k in keys}
    joins = "task"
    if "measure" in tables or flt.needs_measure:
        joins += " JOIN measure ON measure.id = task.measure_id"
    if "unit" in tables or flt.needs_unit:
        joins += " JOIN unit ON unit.id = task.unit_id"
    where, params = flt.where_sql(TODAY)
    params.update(sql.count_params(TODAY, SOON))
    group = ", ".join(columns)
    found = sql.rows(conn, f"SELECT {group}, {sql.COUNT_COLUMNS} FROM {joins} WHERE {where} GROUP BY {group}", params)
    return {tuple(r[:len(columns)]): sql.counts(r[len(columns):]) for r in found}


# --------------------------------------------------------------------------- data


def generated(path) -> None:
    """3,000 generated tasks, then: shared due dates (today, the last due-soon day, one past day), undated
    tasks, tasks under review, two chapters of one document starting at the same measure order, and two
    archived documents."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from generate import build, write_db
    finally:
        sys.path.remove(str(REPO / "bench"))
    write_db(build(3000, TODAY, 7), path)
    raw = sqlite3.connect(path)
    with raw:
        raw.execute("UPDATE task SET due = CASE id % 3 WHEN 0 THEN '2022-11-15' WHEN 1 THEN '2022-11-29' "
                    "ELSE '2022-10-01' END WHERE id % 4 = 0")
        raw.execute("UPDATE task SET due = NULL WHERE id % 13 = 0")
        raw.execute("UPDATE task SET status = 'review' WHERE id % 11 = 0")
        first = raw.execute("SELECT MIN(id) FROM document").fetchone()[0]
        codes = [r[0] for r in raw.execute("SELECT DISTINCT chapter_code FROM measure WHERE document_id = ? "
                                           "ORDER BY chapter_code", (first,))]
        assert len(codes) >= 2
        raw.execute("UPDATE measure SET \"order\" = 1 WHERE document_id = ? AND chapter_code IN (?, ?) "
                    "AND id IN (SELECT MIN(id) FROM measure WHERE document_id = ? GROUP BY chapter_code)",
                    (first, codes[0], codes[1], first))
        raw.execute("UPDATE document SET archived_at = '2022-11-01 08:00:00.000000' WHERE id IN (3, 5)")
        # document 2: its last chapter without tasks, its first chapter's first measure without tasks
        codes = [r[0] for r in raw.execute("SELECT chapter_code FROM measure WHERE document_id = 2 "
                                           "GROUP BY chapter_code ORDER BY MIN(\"order\")")]
        assert len(codes) >= 3
        raw.execute("DELETE FROM task WHERE measure_id IN (SELECT id FROM measure WHERE document_id = 2 "
                    "AND chapter_code = ?)", (codes[-1],))
        raw.execute("DELETE FROM task WHERE measure_id = (SELECT id FROM measure WHERE document_id = 2 "
                    "AND chapter_code = ? ORDER BY \"order\" LIMIT 1)", (codes[0],))
    raw.close()


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("speed") / "tasks.db"
    generated(path)
    return path


@pytest.fixture
def conn(db_path):
    c = sql.open_sqlite(db_path)
    yield c
    c.close()


def test_the_data_has_what_the_comparison_needs(conn):
    found = dict(sql.rows(conn, "SELECT status, COUNT(*) FROM task GROUP BY status"))
    assert found.get("review", 0) > 100 and len(found) == 6
    assert sql.rows(conn, "SELECT COUNT(*) FROM task WHERE due IS NULL")[0][0] > 100
    assert sql.rows(conn, "SELECT COUNT(*) FROM task WHERE due = '2022-11-29'")[0][0] > 100  # the last due-soon day
    assert sql.rows(conn, "SELECT COUNT(*) FROM document WHERE archived_at IS NOT NULL")[0][0] == 2
    untasked = "SELECT COUNT(*) FROM measure WHERE document_id = 2 AND id NOT IN (SELECT measure_id FROM task)"
    assert sql.rows(conn, untasked)[0][0] >= 2


# --------------------------------------------------------------------------- same figures


@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: f.describe({}) or "all")
def test_chapters_counted_per_measure_equal_the_old_grouping(conn, flt):
    old = old_progress_by_chapter(conn, flt)
    assert old, "the filter leaves no chapter to compare"
    assert progress_by_chapter(conn, flt, TODAY, SOON) == old


def test_chapters_listed_before_counting_are_the_chapters_counted_and_count_alike_a_few_at_a_time(conn):
    counted = progress_by_chapter(conn, TaskFilter(), TODAY, SOON)
    keys = chapter_keys(conn)
    assert [tuple(k) for k in keys] == [(c.extra["document_id"], c.key, c.label) for c in counted]
    assert {k.document_id for k in keys} >= {1, 2, 4} and not {3, 5} & {k.document_id for k in keys}
    assert progress_of_chapters(conn, keys, TODAY, SOON) == counted
    for some in (keys[:5], keys[1::3], keys[-1:], list(reversed(keys[:7])) + keys[:2]):
        wanted = {(k.document_id, k.code) for k in some}
        expected = [c for c in counted if (c.extra["document_id"], c.key) in wanted]
        assert progress_of_chapters(conn, some, TODAY, SOON) == expected
    assert progress_of_chapters(conn, [], TODAY, SOON) == []


def test_chapters_whose_first_measures_share_an_order_come_in_code_order(conn):
    first = sql.rows(conn, "SELECT MIN(id) FROM document")[0][0]
    chapters = [c for c in progress_by_chapter(conn, TaskFilter(), TODAY, SOON) if c.extra["document_id"] == first]
    orders = {r[0]: r[1] for r in sql.rows(conn, "SELECT chapter_code, MIN(\"order\") FROM measure "
                                                 "WHERE document_id = :d GROUP BY chapter_code", {"d": first})}
    tied = [c.key for c in chapters if orders[c.key] == 1]
    assert len(tied) == 2 and tied == sorted(tied)


@pytest.mark.parametrize("keys", GROUPINGS, ids="+".join)
@pytest.mark.parametrize("flt", FILTERS[:6], ids=lambda f: f.describe({}) or "all")
def test_count_by_equals_the_case_sums(conn, keys, flt):
    old = old_count_by(conn, keys, flt)
    assert old
    assert sql.count_by(conn, keys, flt, TODAY, SOON) == old


# --------------------------------------------------------------------------- the plan


def _plans(conn, run) -> list[str]:
    """The query plan of every statement ``run`` sends (parameters bound as they were)."""
    sent: list[str] = []
    conn.set_trace_callback(sent.append)
    try:
        run()
    finally:
        conn.set_trace_callback(None)
    return [" / ".join(r[3] for r in conn.execute("EXPLAIN QUERY PLAN " + s)) for s in sent if s.startswith("SELECT")]


@pytest.mark.parametrize("stats", ["analyzed", "no statistics for the new index"])
def test_sqlite_reads_the_task_side_from_the_covering_index(db_path, tmp_path, stats):
    path = db_path
    if stats != "analyzed":  # an upgraded database: revision 0005 adds the index, nobody has run ANALYZE
        path = tmp_path / "upgraded.db"
        path.write_bytes(db_path.read_bytes())
        raw = sqlite3.connect(path)
        with raw:
            assert raw.execute("DELETE FROM sqlite_stat1 WHERE idx = 'ix_task_measure_status_due'").rowcount == 1
        raw.close()
    conn = sql.open_sqlite(path)
    try:
        keys = chapter_keys(conn)
        for flt in (TaskFilter(), TaskFilter(include_archived=True)):
            for run in (lambda: progress_by_chapter(conn, flt, TODAY, SOON),
                        lambda: progress_of_chapters(conn, keys[:9], TODAY, SOON),
                        lambda: sql.count_by(conn, ("document",), flt, TODAY, SOON)):
                plan = " / ".join(_plans(conn, run))
                assert "COVERING INDEX ix_task_measure_status_due" in plan, plan
                # the task table itself is never read: every mention of task is through that index
                steps = [s for s in plan.split(" / ") if s.split(" ")[1:2] == ["task"]]
                assert steps and all("COVERING INDEX ix_task_measure_status_due" in s for s in steps), plan
    finally:
        conn.close()



def test_sqlite_asks_nothing_of_each_task_but_its_counts(conn):
    """Every chapter's pass over a million index entries tests nothing else per task: whether a task's document
    is archived is asked of its measure's sums, after counting (a list lookup per task cost ~0.05 s a million)."""
    sent: list[str] = []
    conn.set_trace_callback(sent.append)
    try:
        progress_by_chapter(conn, TaskFilter(), TODAY, SOON)
    finally:
        conn.set_trace_callback(None)
    (query,) = [s for s in sent if s.startswith("SELECT")]
    plan = {r[0]: (r[1], r[3]) for r in conn.execute("EXPLAIN QUERY PLAN " + query)}
    (per_measure,) = [i for i, (_, detail) in plan.items() if detail.split(" ")[0] in ("MATERIALIZE", "CO-ROUTINE")]
    below = [detail for parent, detail in plan.values() if parent == per_measure]
    assert below == ["SCAN task USING COVERING INDEX ix_task_measure_status_due"], plan


# --------------------------------------------------------------------------- PostgreSQL


def test_postgres_gives_the_same_figures(db_path, pg_url):
    from sqlmodel import SQLModel, select

    from tracker.store.engine import make_engine, read_tx, write_tx

    lite = make_engine(f"sqlite:///{db_path}")
    pg = make_engine(pg_url)
    try:
        with read_tx(lite) as src, write_tx(pg) as dst:
            for name in ("document", "unit", "measure", "task"):
                table = SQLModel.metadata.tables[name]
                dst.execute(table.insert(), [dict(r._mapping) for r in src.execute(select(table))])
        with read_tx(lite) as a, read_tx(pg) as b:
            for flt in FILTERS:
                assert progress_by_chapter(b, flt, TODAY, SOON) == old_progress_by_chapter(a, flt)
            keys = chapter_keys(b)
            assert keys == chapter_keys(a)
            assert progress_of_chapters(b, keys[::2], TODAY, SOON) == progress_of_chapters(a, keys[::2], TODAY, SOON)
            for keys in GROUPINGS:
                for flt in FILTERS[:4]:
                    expected = sql.count_by(a, keys, flt, TODAY, SOON)
                    assert sql.count_by(b, keys, flt, TODAY, SOON) == expected == old_count_by(a, keys, flt)
    finally:
        lite.dispose()
        pg.dispose()
