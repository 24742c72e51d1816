"""Every date rule in one place: parsing what people type, "today", overdue and due-soon.

Nothing else in tracker calls ``date.today()``: "today" is resolved once, by
:func:`resolve_today`, and passed down as a parameter.
"""

from __future__ import annotations

import os
import re
from datetime import date, datetime, time, timezone

# review (待销号) counts as closed for lateness: overdue stops when the unit reports completion
CLOSED_STATUSES = frozenset({"review", "done", "dropped"})


class DateParseError(ValueError):
    """A date a person typed that we cannot read."""


_clock_day: date | None = None


def pin_clock(day: date | None) -> None:
    """Let timestamps fall on ``day`` (at the real time of day) while "today" is pinned to it.

    A coordinator who works with ``--today``/``TRACKER_TODAY`` expects what they record "today" to count
    for that day: a progress note entered with today = 2022-11-20 is November's report, not one dated
    years later, and the history reads in the order things were recorded. ``None``: the real clock.
    """
    global _clock_day
    _clock_day = day


def utcnow() -> datetime:
    """Timezone-aware current UTC time (the only clock for timestamps), on the pinned day if any: at the real
    local time of day on the pinned local day, so that :func:`local_day` of the stamp is that day."""
    now = datetime.now(timezone.utc)
    if _clock_day is not None:
        local = now.astimezone()
        if local.date() != _clock_day:
            now = datetime.combine(_clock_day, local.time()).astimezone().astimezone(timezone.utc)
    return now


# Stored times are UTC; the days people mean (today, a period, a due date) are local, as date.today() is.
# China keeps one zone without daylight saving, so a local day is always 24 hours.


def local_time(at: datetime) -> datetime:
    """A stored time on the machine's clock (aware, in the local zone); a naive one is taken to be UTC, as
    stored times are, not local."""
    return (at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)).astimezone()


def local_day(at: datetime) -> date:
    """The local day of a stored (UTC) time: a note saved at 07:00 on 1 December in Beijing (23:00 UTC the day
    before) belongs to 1 December."""
    return local_time(at).date()


def local_minute(at: datetime) -> str:
    """A stored time as people read it on their own clock: ``2022-12-01 07:00`` (no zone named)."""
    return local_time(at).strftime("%Y-%m-%d %H:%M")


def day_start(day: date) -> datetime:
    """Local midnight starting ``day``, in UTC: where a period, the day after a deadline or a staleness
    cut-off begins among stored times."""
    return datetime.combine(day, time.min).astimezone().astimezone(timezone.utc)


# "Today" must leave room for date arithmetic (deadlines, due-soon windows, periods) on either side.
TODAY_RANGE = (date(1900, 1, 1), date(2999, 12, 31))


def resolve_today(cli_value: str | None = None, config_value: date | None = None) -> date:
    """``--today`` > ``TRACKER_TODAY`` > config ``today`` > the real date."""
    for source, value in (("--today", cli_value), ("TRACKER_TODAY", os.environ.get("TRACKER_TODAY"))):
        if value:
            try:
                day = parse_iso_day(value)
            except DateParseError as exc:
                raise DateParseError(f"{source}：{exc}") from None
            return check_today(day, source)
    if config_value is not None:
        return check_today(config_value, "today")
    return date.today()


def parse_iso_day(text: str) -> date:
    """A date given as ``YYYY-MM-DD`` (an option, a variable, a setting; the caller names which in the error).
    A well-formed date beyond the calendar says so, as for every date a person types (不存在的日期…)."""
    value = text.strip()
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = re.match(_ISO, value)
    if match is None:
        raise DateParseError(f"日期应为 YYYY-MM-DD，实际为 {text!r}")
    return _calendar_date(match, value)


def check_today(day: date, source: str) -> date:
    low, high = TODAY_RANGE
    if not low <= day <= high:
        raise DateParseError(f"{source}：基准日应在 {low.year}–{high.year} 年之间，实际为 {day.isoformat()}")
    return day


# patterns as text: re compiles (and caches) one when it is first used, not every command at start-up
_ISO = r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"
_CN = r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"
_CN_MONTH = r"^(\d{4})\s*年\s*(\d{1,2})\s*月(?:底|末)?$"
_REL = r"(?i)^\+\s*(\d+)\s*([dwmy天周月年])$"


def end_of_month(day: date) -> date:
    # imported here: with calendar and locale it costs every command's start-up ~2 ms
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(day=31)


def end_of_year(year_or_day: int | date) -> date:
    year = year_or_day if isinstance(year_or_day, int) else year_or_day.year
    return date(year, 12, 31)


def parse_user_date(text: str, today: date) -> date:
    """Read a date typed by a person (a date beyond the calendar is a :class:`DateParseError`, not a crash).

    See :func:`_parse_user_date` for the accepted forms."""
    try:
        return _parse_user_date(text, today)
    except DateParseError:  # already says what is wrong (不存在的日期…, 无法识别…)
        raise
    except (OverflowError, ValueError):  # relativedelta says "year … is out of range" with a ValueError
        raise DateParseError(f"日期超出范围：{text.strip()!r}") from None


def _calendar_date(match: re.Match[str], raw: str) -> date:
    """Year, month and day matched by :data:`_ISO` or :data:`_CN`, when the calendar has that day."""
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        raise DateParseError(f"不存在的日期：{raw!r}") from None


def _parse_user_date(text: str, today: date) -> date:
    """Read a date typed by a person.

    Accepts ``2022-12-31``, ``2022/12/31``, ``2022年12月31日``, ``2022年12月`` (end of that month),
    ``today``, ``eom`` (end of this month), ``eoy`` (end of this year), ``+10d``, ``+2w``, ``+1m``, ``+1y``.
    """
    raw = text.strip()
    value = raw.lower()
    if not value:
        raise DateParseError("日期为空")
    if value in {"today", "今天"}:
        return today
    if value in {"eom", "月底"}:
        return end_of_month(today)
    if value in {"eoy", "年底"}:
        return end_of_year(today)
    match = re.match(_REL, value)
    if match:
        from dateutil.relativedelta import relativedelta

        amount, unit = int(match.group(1)), match.group(2)
        step = {
            "d": relativedelta(days=amount), "天": relativedelta(days=amount),
            "w": relativedelta(weeks=amount), "周": relativedelta(weeks=amount),
            "m": relativedelta(months=amount), "月": relativedelta(months=amount),
            "y": relativedelta(years=amount), "年": relativedelta(years=amount),
        }[unit]
        return today + step
    for pattern in (_ISO, _CN):
        match = re.match(pattern, value)
        if match:
            return _calendar_date(match, raw)
    match = re.match(_CN_MONTH, value)
    if match:
        try:
            return end_of_month(date(int(match.group(1)), int(match.group(2)), 1))
        except ValueError:
            raise DateParseError(f"不存在的日期：{raw!r}") from None
    # Last resort: dateutil for forms such as "31 Dec 2022"; never guess from bare numbers.
    if re.search(r"[a-z]{3}", value):
        from dateutil import parser as du_parser

        try:
            return du_parser.parse(raw, default=datetime(today.year, 1, 1)).date()
        except (ValueError, OverflowError):
            pass
    raise DateParseError(
        f"看不懂日期 {raw!r}（可写 YYYY-MM-DD、YYYY/MM/DD、YYYY年M月D日、eom、eoy、+10d、+2w）"
    )


def is_overdue(due: date | None, status: str, today: date) -> bool:
    """Red: due before today and not done or dropped."""
    return due is not None and due < today and status not in CLOSED_STATUSES


def is_due_soon(due: date | None, status: str, today: date, within_days: int) -> bool:
    """Yellow: open and due today or within ``within_days`` days."""
    if due is None or status in CLOSED_STATUSES:
        return False
    return 0 <= (due - today).days <= within_days


def days_late(due: date | None, today: date) -> int | None:
    """Positive: days past the deadline; negative: days left; None: no deadline."""
    if due is None:
        return None
    return (today - due).days


def as_utc(value: datetime) -> datetime:
    """Make a datetime aware UTC (naive values are taken to be UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
