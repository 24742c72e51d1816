"""Reporting cadences and periods (pure date arithmetic) and the [cycle] config table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tracker.config import ConfigError, parse_config
from tracker.cycle import (
    Cadence,
    custom_period,
    next_period,
    parse_cadence,
    parse_period,
    period_of,
    previous_period,
)


@pytest.mark.parametrize(
    ("text", "kind", "day"),
    [
        ("monthly", "monthly", 25), ("monthly:10", "monthly", 10), ("月报：5日", "monthly", 5),
        ("weekly:fri", "weekly", 5), ("周报:周一", "weekly", 1), ("weekly", "weekly", 5),
        ("quarterly:10", "quarterly", 10), ("季报", "quarterly", 25), ("none", "none", 0), ("不报", "none", 0),
    ],
)
def test_cadences_people_write_are_read(text, kind, day):
    cadence = parse_cadence(text)
    assert (cadence.kind, cadence.day) == (kind, day)
    assert parse_cadence(cadence.text) == cadence  # the stored form reads back


@pytest.mark.parametrize("text", ["", "daily", "monthly:0", "monthly:32", "weekly:8", "weekly:funday", "none:3"])
def test_unreadable_cadence_is_one_chinese_line(text):
    with pytest.raises(ValueError) as err:
        parse_cadence(text)
    assert "报送周期" in str(err.value) and "\n" not in str(err.value)


def test_monthly_period_and_report_day_clipped_to_short_months():
    cadence = Cadence("monthly", 31)
    nov = period_of(cadence, date(2022, 11, 15))
    assert (nov.start, nov.end, nov.report_due, nov.key) == (date(2022, 11, 1), date(2022, 11, 30),
                                                             date(2022, 11, 30), "2022-11")
    feb = period_of(cadence, date(2023, 2, 3))
    assert feb.report_due == date(2023, 2, 28)
    assert previous_period(nov).key == "2022-10" and next_period(nov).key == "2022-12"
    assert next_period(period_of(cadence, date(2022, 12, 31))).key == "2023-01"


def test_weekly_and_quarterly_periods():
    week = period_of(Cadence("weekly", 5), date(2022, 11, 20))  # a Sunday: still ISO week 46
    assert (week.start, week.end, week.report_due, week.key) == (date(2022, 11, 14), date(2022, 11, 20),
                                                                 date(2022, 11, 18), "2022-W46")
    quarter = period_of(Cadence("quarterly", 10), date(2022, 11, 15))
    assert (quarter.start, quarter.end, quarter.report_due, quarter.key) == (
        date(2022, 10, 1), date(2022, 12, 31), date(2022, 12, 10), "2022-Q4")
    assert previous_period(quarter).key == "2022-Q3"
    assert period_of(Cadence("none"), date(2022, 11, 15)) is None


def test_periods_named_by_the_user():
    assert parse_period("2022-11").start == date(2022, 11, 1)
    assert parse_period("2022年2月").end == date(2022, 2, 28)
    assert parse_period("2022-11", Cadence("monthly", 10)).report_due == date(2022, 11, 10)
    assert parse_period("2022-Q1").end == date(2022, 3, 31)
    assert parse_period("2022-W01").start == date(2022, 1, 3)
    for bad in ("2022-13", "11月", "2022-W60", "today"):
        with pytest.raises(ValueError, match="报告期"):
            parse_period(bad)
    span = custom_period(date(2022, 11, 1), date(2022, 11, 20))
    assert span.contains(date(2022, 11, 20)) and not span.contains(date(2022, 11, 21))
    with pytest.raises(ValueError):
        custom_period(date(2022, 11, 20), date(2022, 11, 1))


def test_config_cycle_table(tmp_path: Path):
    cfg = parse_config(b'[cycle]\ncadence = "weekly:3"\nverify = false\n', tmp_path / "c.toml")
    assert cfg.cadence == Cadence("weekly", 3) and cfg.verify_done is False
    default = parse_config(b"", tmp_path / "c.toml")
    assert default.cadence == Cadence("monthly", 25) and default.verify_done is True
    with pytest.raises(ConfigError) as err:
        parse_config(b'[cycle]\ncadence = "daily"\n', tmp_path / "c.toml")
    assert ":2:" in str(err.value) and "cycle.cadence" in str(err.value)


def test_period_words_say_the_report_day_and_how_late():
    month = period_of(Cadence("monthly", 25), date(2022, 11, 15))
    week = period_of(Cadence("weekly", 5), date(2022, 11, 15))
    assert month.report_day_phrase == "25日前报送" and week.report_day_phrase == "11月18日前报送"
    assert month.state(date(2022, 11, 28)) == "已逾期 3 天"
    assert month.state(date(2022, 11, 25)) == "今天报送截止"
    assert month.state(date(2022, 11, 20)) == "还有 5 天"
