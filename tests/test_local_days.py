"""Stored times are UTC; the days people mean are local (as ``date.today()`` is). In Beijing (the POSIX zone
``CST-8``: UTC+8, no zone database needed) a note saved at 07:00 on 1 December — 23:00 UTC on 30 November — is
December's report, is dated 12-01 in the reports, and counts as an update on 1 December."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from tests import cycle_scenario as sc
from tracker import dates
from tracker.cycle import parse_period
from tracker.dates import day_start, local_day, pin_clock
from tracker.report.period import report_parts
from tracker.store import sql
from tracker.store.filters import TaskFilter
from tracker.store.period_report_sql import period_report
from tracker.store.periods_sql import last_report_dates, remind
from tracker.tui.widgets.cells import ago_phrase

UTC = timezone.utc
SEVEN_ON_THE_FIRST = datetime(2022, 11, 30, 23, 0, tzinfo=UTC)  # 2022-12-01 07:00 in Beijing


@pytest.fixture
def cycle_db(loaded_db):
    sc.prepare(loaded_db)
    return loaded_db


def test_a_local_day_starts_at_local_midnight(beijing):
    assert day_start(date(2022, 12, 1)) == datetime(2022, 11, 30, 16, 0, tzinfo=UTC)
    assert local_day(SEVEN_ON_THE_FIRST) == date(2022, 12, 1)
    assert local_day(datetime(2022, 11, 30, 15, 59, 59, tzinfo=UTC)) == date(2022, 11, 30)


def test_in_utc_nothing_moves():
    assert day_start(date(2022, 12, 1)) == datetime(2022, 12, 1, tzinfo=UTC)
    assert local_day(SEVEN_ON_THE_FIRST) == date(2022, 11, 30)


@pytest.mark.parametrize("pinned", [date(2022, 12, 1), date(2022, 12, 5), date(2022, 11, 2)])
def test_a_pinned_day_stamps_that_local_day_at_the_local_time(beijing, monkeypatch, pinned):
    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return SEVEN_ON_THE_FIRST.astimezone(tz)

    monkeypatch.setattr(dates, "datetime", Clock)
    pin_clock(pinned)
    try:
        stamped = dates.utcnow()
    finally:
        pin_clock(None)
    local = stamped.astimezone()
    assert (local.date(), local.hour, local.minute) == (pinned, 7, 0)
    assert stamped.utcoffset().total_seconds() == 0


def test_a_note_at_seven_on_the_first_is_that_months_report(beijing, cycle_db, config):
    sc.event(cycle_db, 2, SEVEN_ON_THE_FIRST, "note", "", "资金已拨付")  # 2: 区财政局
    with cycle_db.connect() as conn:
        november = period_report(conn, parse_period("2022-11"), date(2022, 12, 5), config)
        december = period_report(conn, parse_period("2022-12"), date(2022, 12, 5), config)
        units = dict(sql.rows(conn, "SELECT name, id FROM unit"))
        last = last_report_dates(conn, (units["区财政局"],))
        reminders = remind(conn, date(2022, 12, 5), config)
    assert 2 not in november.notes
    assert [(n.text, local_day(n.at)) for n in december.notes[2]] == [("资金已拨付", date(2022, 12, 1))]
    assert last == {units["区财政局"]: date(2022, 12, 1)}
    assert reminders.period.key == "2022-12"
    assert 2 not in [t.id for u in reminders.units for t in u.unreported]
    notes = next(p for p in report_parts(december, config) if any("资金已拨付" in str(c) for r in p.rows for c in r))
    assert any("12-01" in str(c) for r in notes.rows for c in r)


def test_a_task_done_at_seven_the_morning_after_its_deadline_was_late(beijing, cycle_db, config):
    # 16 (区科委) is due 2022-11-20; done at 07:00 on the 21st in Beijing: open when its deadline passed
    sc.event(cycle_db, 16, datetime(2022, 11, 20, 23, 0, tzinfo=UTC), "status", "doing", "done")
    with cycle_db.connect() as conn:
        november = period_report(conn, parse_period("2022-11"), date(2022, 12, 5), config)
    assert 16 in [t.id for t in november.newly_overdue]


def test_staleness_counts_local_days(beijing, cycle_db):
    from sqlalchemy import text

    with cycle_db.begin() as conn:
        conn.execute(text("UPDATE task SET updated_at = '2022-11-30 23:00:00.000000' WHERE id = 2"))
    with cycle_db.connect() as conn:
        def stale(today: date) -> list[int]:
            return [t.id for t in sql.list_tasks(conn, TaskFilter(task_ids=(2,), stale_days=10), today)]

        assert stale(date(2022, 12, 11)) == []  # updated on 1 December: ten days later it is not yet stale
        assert stale(date(2022, 12, 12)) == [2]


def test_the_app_says_today_for_a_note_saved_this_morning(beijing):
    assert ago_phrase(SEVEN_ON_THE_FIRST, date(2022, 12, 1)) == "今天"
    assert ago_phrase(SEVEN_ON_THE_FIRST, date(2022, 12, 2)) == "昨天"
    assert ago_phrase(SEVEN_ON_THE_FIRST, date(2023, 6, 1)) == "2022-12-01"
