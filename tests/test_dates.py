"""Date rules: what people type, "today", overdue and due soon."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.dates import (
    DateParseError,
    days_late,
    is_due_soon,
    is_overdue,
    parse_user_date,
    resolve_today,
)

TODAY = date(2022, 11, 15)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2022-12-31", date(2022, 12, 31)),
        ("2022/12/31", date(2022, 12, 31)),
        ("2022年12月31日", date(2022, 12, 31)),
        ("2023年1月5日", date(2023, 1, 5)),
        ("2022年12月", date(2022, 12, 31)),
        ("eom", date(2022, 11, 30)),
        ("EOY", date(2022, 12, 31)),
        ("+2w", date(2022, 11, 29)),
        ("+10d", date(2022, 11, 25)),
        ("+1m", date(2022, 12, 15)),
        ("today", TODAY),
        ("31 Dec 2022", date(2022, 12, 31)),
    ],
)
def test_parse_user_date(typed, expected):
    assert parse_user_date(typed, TODAY) == expected


def test_eom_from_january_31_and_leap_years():
    assert parse_user_date("eom", date(2024, 2, 3)) == date(2024, 2, 29)
    assert parse_user_date("+1m", date(2023, 1, 31)) == date(2023, 2, 28)


@pytest.mark.parametrize("typed", ["", "2022-02-30", "tomorrowish", "12/31", "2022年13月1日", "+3x"])
def test_bad_dates_raise_a_clear_error(typed):
    with pytest.raises(DateParseError):
        parse_user_date(typed, TODAY)


def test_resolve_today_precedence(monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2022-10-01")
    assert resolve_today("2022-09-01", date(2022, 8, 1)) == date(2022, 9, 1)
    assert resolve_today(None, date(2022, 8, 1)) == date(2022, 10, 1)
    monkeypatch.delenv("TRACKER_TODAY")
    assert resolve_today(None, date(2022, 8, 1)) == date(2022, 8, 1)
    with pytest.raises(DateParseError, match="--today"):
        resolve_today("yesterday", None)


def test_overdue_and_due_soon_rules():
    assert is_overdue(date(2022, 11, 14), "doing", TODAY)
    assert not is_overdue(date(2022, 11, 15), "doing", TODAY)  # due today is not late yet
    assert not is_overdue(date(2022, 11, 1), "done", TODAY)
    assert not is_overdue(date(2022, 11, 1), "dropped", TODAY)
    assert not is_overdue(None, "todo", TODAY)
    assert is_due_soon(date(2022, 11, 15), "todo", TODAY, 7)
    assert is_due_soon(date(2022, 11, 22), "blocked", TODAY, 7)
    assert not is_due_soon(date(2022, 11, 23), "todo", TODAY, 7)
    assert not is_due_soon(date(2022, 11, 14), "todo", TODAY, 7)  # overdue, not "soon"
    assert days_late(date(2022, 11, 10), TODAY) == 5
    assert days_late(date(2022, 11, 20), TODAY) == -5
    assert days_late(None, TODAY) is None



def test_pinned_today_dates_what_is_recorded_that_day(run):
    """A note recorded with today pinned to 2022-11-20 is dated 2022-11-20 (it is November's report);
    without a pin the real clock stamps it."""
    import json

    from tracker.dates import pin_clock, utcnow

    pin_clock(date(2022, 11, 20))
    assert utcnow().date() == date(2022, 11, 20) and utcnow().tzinfo is not None
    pin_clock(None)
    assert utcnow().date() != date(2022, 11, 20)

    code, _, err = run("note", "1", "已召开部署会", today="2022-11-20")
    assert code == 0, err
    code, out, _ = run("show", "1", "--json", today="2022-11-20")
    shown = json.loads(out)
    stamps = [e["at"] for e in shown["history"] if e.get("field") == "note"]
    assert stamps and stamps[-1].startswith("2022-11-20"), shown["history"]


@pytest.mark.parametrize(("typed", "words"), [
    ("2022-02-30", "不存在的日期：'2022-02-30'"),
    ("2022年13月1日", "不存在的日期：'2022年13月1日'"),
    ("+99999y", "日期超出范围：'+99999y'"),
    ("明天", "看不懂日期 '明天'"),
])
def test_a_bad_date_is_named_for_what_is_wrong_in_chinese(typed, words):
    with pytest.raises(DateParseError) as caught:
        parse_user_date(typed, TODAY)
    assert str(caught.value).startswith(words)
    assert not any("a" <= c.lower() <= "z" for c in str(caught.value).split("（")[0].replace(typed, ""))
