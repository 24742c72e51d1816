"""催报 and the period report over three simulated months (store level), on SQLAlchemy and bare sqlite3."""

from __future__ import annotations

from datetime import date

import pytest

from tests import cycle_scenario as sc
from tracker.cycle import parse_period
from tracker.store.filters import TaskFilter
from tracker.store.period_report_sql import period_report
from tracker.store.periods_sql import REPORT_FIELDS, document_cadence, last_report_dates, remind

TOWNS_BUT_TWO = ["香花桥街道", "朱家角镇", "练塘镇", "金泽镇", "赵巷镇", "徐泾镇", "华新镇", "重固镇", "白鹤镇"]


@pytest.fixture
def cycle_db(loaded_db):
    sc.prepare(loaded_db)
    return loaded_db


def _remind(engine, today, config, flt=None):  # noqa: ANN001
    with engine.connect() as conn:
        return remind(conn, today, config, flt)


def _units(reminders) -> dict[str, tuple[list[int], list[int]]]:  # noqa: ANN001
    return {u.unit: ([t.id for t in u.unreported], [t.id for t in u.overdue]) for u in reminders.units}


def _unit_ids(engine) -> dict[str, int]:  # noqa: ANN001
    from sqlalchemy import text

    with engine.connect() as conn:
        return {name: uid for uid, name in conn.execute(text("SELECT id, name FROM unit"))}


def test_report_fields_are_the_units_own_actions():
    assert set(REPORT_FIELDS) == {"status", "note", "extend", "evidence"}


def test_document_cadence_own_default_and_unreadable(cycle_db, config):
    from sqlalchemy import text

    with cycle_db.begin() as conn:
        conn.execute(text("INSERT INTO document (title, source_path, content_hash, has_clauses, imported_at, cadence, kind) "
                          "VALUES ('坏周期', '', 'x', 0, '2022-08-30 00:00:00.000000', 'fortnightly', 'document')"))
    with cycle_db.connect() as conn:
        found = {doc: c.text for doc, c in document_cadence(conn, config).items()}
    assert found == {1: "monthly:25", 2: "weekly:5", 3: "monthly:25"}


def test_three_months_of_remind(cycle_db, config):
    # September, mid-month: nobody reported yet; the report day (25th) has not passed
    september = _remind(cycle_db, date(2022, 9, 5), config)
    assert september.period.key == "2022-09" and september.period.report_due == date(2022, 9, 25)
    assert all(not u.overdue for u in september.units)
    assert sum(len(u.unreported) for u in september.units) == 18

    sc.september(cycle_db)
    after = _units(_remind(cycle_db, date(2022, 9, 26), config))
    assert "区人力资源社会保障局" not in after and "夏阳街道" not in after  # they reported in September
    assert after["区经委"] == ([18], [])  # 14 reported (a note); 18 is weekly, due Friday 30 September
    assert after["区财政局"] == ([2], [2])  # past the 25th: 逾期未报

    sc.october(cycle_db)
    october = _units(_remind(cycle_db, date(2022, 10, 25), config))  # the report day itself: not yet overdue
    assert "区财政局" not in october and "夏阳街道" not in october and "区人力资源社会保障局" not in october
    assert october["盈浦街道"] == ([4], [])
    assert october["区经委"][0] == [14, 18]

    sc.november(cycle_db)
    mid = _remind(cycle_db, date(2022, 11, 15), config)
    units = _units(mid)
    # reported in November: 1 (review, then verified: closed anyway), 4 (status), 14 and 15 (延期申请)
    for unit in ("区人力资源社会保障局", "盈浦街道", "各区属公司"):
        assert unit not in units
    assert units["区经委"] == ([18], [])  # 14 asked for an extension: that is a report
    assert units["区科委"] == ([16, 17], [])
    assert set(units) == {"夏阳街道", "区财政局", "区经委", "区科委", *TOWNS_BUT_TWO}

    # Saturday 19 November: the weekly report (Friday 18th) is overdue, the monthly one (25th) not yet
    saturday = _remind(cycle_db, date(2022, 11, 19), config)
    order = [u.unit for u in saturday.units]
    assert order[:2] == ["区科委", "区经委"]  # one 逾期未报 each; 区科委 has more 未报送
    assert order[2:4] == ["夏阳街道", "香花桥街道"]  # the rest tie: the configured order of the 街镇
    assert _units(saturday)["区科委"] == ([16, 17], [17])
    assert saturday.period.key == "2022-11"  # the documents differ: the configured cadence names the period
    assert saturday.periods[2].key == "2022-W46" and saturday.periods[2].report_due == date(2022, 11, 18)

    late = _units(_remind(cycle_db, date(2022, 11, 26), config))
    assert all(unreported == overdue for unreported, overdue in late.values())


def test_remind_filters_archived_none_cadence_and_closed(cycle_db, config):
    from sqlalchemy import text

    only_doc = _remind(cycle_db, date(2022, 11, 19), config, TaskFilter(document_id=2))
    assert only_doc.period.key == "2022-W46" and set(_units(only_doc)) == {"区科委", "区经委"}
    one_unit = _remind(cycle_db, date(2022, 11, 19), config, TaskFilter(units=("区科委",)))
    assert [u.unit for u in one_unit.units] == ["区科委"]

    with cycle_db.begin() as conn:
        conn.execute(text("UPDATE document SET cadence = 'none' WHERE id = 2"))
        conn.execute(text("UPDATE task SET status = 'review' WHERE id = 3"))  # 待销号 is closed: nothing to chase
        conn.execute(text("UPDATE task SET status = 'dropped' WHERE id = 5"))
    units = _units(_remind(cycle_db, date(2022, 11, 19), config))
    assert units["区科委"] == ([16], []) and "夏阳街道" not in units and "香花桥街道" not in units
    with cycle_db.begin() as conn:
        conn.execute(text("UPDATE document SET archived_at = '2022-11-01 00:00:00.000000' WHERE id = 1"))
    assert _units(_remind(cycle_db, date(2022, 11, 19), config)) == {}


def test_last_report_dates_count_only_the_units_actions(cycle_db):
    sc.september(cycle_db)
    sc.october(cycle_db)
    sc.november(cycle_db)
    ids = _unit_ids(cycle_db)
    with cycle_db.connect() as conn:
        found = {name: last_report_dates(conn).get(uid) for name, uid in ids.items()}
        narrowed = last_report_dates(conn, (ids["区科委"],))
    assert found["区人力资源社会保障局"] == date(2022, 11, 3)  # its review; the verification (8th) is the coordinator's
    assert found["各区属公司"] == date(2022, 11, 2)  # the request; the approval (6th) is the coordinator's
    assert found["区财政局"] == date(2022, 10, 8)
    assert found["夏阳街道"] == date(2022, 10, 21)
    assert found["盈浦街道"] == date(2022, 11, 14)
    assert found["区经委"] == date(2022, 11, 10)
    assert found["香花桥街道"] is None
    assert narrowed == {ids["区科委"]: date(2022, 10, 20)}


def _ids(items) -> list[int]:  # noqa: ANN001
    return [getattr(i, "task", i).id for i in items]


def test_period_reports_of_each_month(cycle_db, config):
    sc.september(cycle_db)
    sc.october(cycle_db)
    sc.november(cycle_db)
    sc.late_november(cycle_db)
    today = date(2022, 12, 5)
    with cycle_db.connect() as conn:
        sep = period_report(conn, parse_period("2022-09"), today, config)
        octo = period_report(conn, parse_period("2022-10"), today, config)
        nov = period_report(conn, parse_period("2022-11"), today, config)

    assert _ids(sep.started) == [1] and sep.completed == [] and sep.blocked == []  # 16 was blocked only in October
    assert _ids(octo.started) == [2] and _ids(octo.blocked) == [16]
    assert _ids(octo.newly_overdue) == [14]  # due 31 October, still open
    assert {t: [n.text for n in notes] for t, notes in octo.notes.items()} == {
        2: ["资金拨付中"], 1: ["第二批"], 16: ["等待资金"], 3: [sc.NASTY_NOTE]}

    assert [(c.task.id, c.new, c.at.date()) for c in nov.completed] == [
        (1, "done", date(2022, 11, 3)),  # the unit's completion date, not the verification's
        (2, "review", date(2022, 11, 20)),
    ]
    assert _ids(nov.started) == [4] and _ids(nov.blocked) == [16]
    assert _ids(nov.newly_overdue) == [16]  # 15's deadline moved to December before it fell
    [moved] = nov.deadlines_moved
    assert (moved.task.id, moved.old, moved.new, moved.approved_extension, moved.reason) == (
        15, date(2022, 11, 20), date(2022, 12, 20), True, "资金未到位")
    assert [(x.task.id, x.requested_due) for x in nov.pending_extensions] == [(14, date(2023, 1, 31))]
    assert "材料齐全" not in [n.text for n in nov.notes.get(1, [])]  # the coordinator's verification note

    rates = {c.key: c for c in nov.by_unit}
    assert (rates["区人力资源社会保障局"].rate, rates["区人力资源社会保障局"].before_rate) == (100.0, 0.0)
    assert rates["区人力资源社会保障局"].change == 100.0
    assert (rates["区财政局"].done, rates["区财政局"].review, rates["区财政局"].rate) == (0, 1, 0.0)
    assert [c.unit_id for c in nov.by_unit][:2] == [_unit_ids(cycle_db)[n] for n in ("夏阳街道", "盈浦街道")]
    chapters = {(c.document_id, c.key): c for c in nov.by_chapter}
    assert (chapters[(1, "三")].total, chapters[(1, "三")].done, chapters[(1, "三")].review) == (14, 1, 1)
    assert chapters[(1, "三")].before_done == 0
    assert list(chapters) == [(1, "三"), (1, "四"), (2, "一")]

    silent = {u.unit: (u.tasks, u.reported) for u in octo.silent_units}
    assert "区人力资源社会保障局" not in silent and "区财政局" not in silent and "夏阳街道" not in silent
    assert silent["区科委"] == (2, 1) and silent["区经委"] == (2, 0) and silent["盈浦街道"] == (1, 0)
    assert [u.unit for u in octo.silent_units][-1] == "区科委"  # fully silent units first


def test_period_report_filter_and_tasks_created_later(cycle_db, config):
    from sqlalchemy import text

    sc.september(cycle_db)
    with cycle_db.begin() as conn:
        conn.execute(text("UPDATE task SET created_at = '2022-09-15 00:00:00.000000' WHERE id = 2"))
    with cycle_db.connect() as conn:
        sep = period_report(conn, parse_period("2022-09"), date(2022, 10, 5), config, TaskFilter(units=("区财政局",)))
    [rate] = sep.by_unit
    assert (rate.key, rate.total, rate.before_total) == ("区财政局", 1, 0)
    assert sep.started == [] and sep.notes == {}


def test_bare_sqlite_reads_the_same(cycle_db, config, tmp_db_path):
    from tracker.store.sql import open_sqlite

    sc.september(cycle_db)
    sc.october(cycle_db)
    sc.november(cycle_db)
    today = date(2022, 11, 19)
    with cycle_db.connect() as conn:
        expected = (remind(conn, today, config).to_json(), last_report_dates(conn),
                    period_report(conn, parse_period("2022-10"), today, config))
    bare = open_sqlite(tmp_db_path)
    try:
        found = (remind(bare, today, config).to_json(), last_report_dates(bare),
                 period_report(bare, parse_period("2022-10"), today, config))
    finally:
        bare.close()
    assert found[0] == expected[0] and found[1] == expected[1]
    assert found[2].by_unit == expected[2].by_unit and found[2].silent_units == expected[2].silent_units
    assert _ids(found[2].started) == _ids(expected[2].started) and found[2].notes == expected[2].notes


def test_postgres_reads_the_same_as_sqlite(cycle_db, config, pg_url):
    """The same plain SQL on PostgreSQL (timestamps with a zone, booleans, window functions)."""
    from tests.conftest import build_document, sample_measures
    from tracker.config import QINGPU_TOWNS
    from tracker.store.engine import make_engine
    from tracker.store.services import import_document

    pg = make_engine(pg_url)
    try:
        import_document(pg, build_document(sample_measures(QINGPU_TOWNS)), by="导入员")
        sc.prepare(pg)
        for engine in (cycle_db, pg):
            sc.september(engine)
            sc.october(engine)
            sc.november(engine)
        today = date(2022, 11, 19)
        found = []
        for engine in (cycle_db, pg):
            with engine.connect() as conn:
                nov = period_report(conn, parse_period("2022-11"), today, config)
                found.append((remind(conn, today, config).to_json(), last_report_dates(conn), nov.by_unit,
                              nov.by_chapter, nov.silent_units, _ids(nov.completed), _ids(nov.newly_overdue),
                              [(m.task.id, m.approved_extension, m.reason) for m in nov.deadlines_moved],
                              {t: [n.text for n in notes] for t, notes in nov.notes.items()}))
        assert found[0] == found[1]
        assert found[1][7] == [(15, True, "资金未到位")]
        from tracker.store.sql import open_postgres

        bare = open_postgres(pg_url)  # the command line's fast path on PostgreSQL (psycopg, no SQLAlchemy)
        try:
            nov = period_report(bare, parse_period("2022-11"), today, config)
            assert (remind(bare, today, config).to_json(), last_report_dates(bare), nov.by_unit) == found[0][:3]
        finally:
            bare.close()
    finally:
        pg.dispose()
