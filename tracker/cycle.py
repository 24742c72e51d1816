"""Reporting periods: when units report progress (月报, 周报, 季报) and by which day.

A :class:`Cadence` says how often a document's units report and the day the report is due
(``monthly:25`` = every month by the 25th, ``weekly:5`` = every week by Friday, ``quarterly:25`` =
every quarter by the 25th of its last month, ``none`` = no regular report). A :class:`Period` is
one calendar month, ISO week or quarter of a cadence with its report day. Everything here is
pure date arithmetic on an injected "today": no database, no clock.
"""

import re
from datetime import date, timedelta
from typing import NamedTuple

CADENCE_KINDS = ("monthly", "weekly", "quarterly", "none")
DEFAULT_DAY = {"monthly": 25, "weekly": 5, "quarterly": 25, "none": 0}
KIND_WORDS = {
    "monthly": "monthly", "month": "monthly", "月报": "monthly", "每月": "monthly", "月": "monthly",
    "weekly": "weekly", "week": "weekly", "周报": "weekly", "每周": "weekly", "周": "weekly",
    "quarterly": "quarterly", "quarter": "quarterly", "季报": "quarterly", "每季": "quarterly", "季": "quarterly",
    "none": "none", "不报": "none", "不报送": "none", "无": "none",
}
KIND_LABELS = {"monthly": "月报", "weekly": "周报", "quarterly": "季报", "none": "不定期报送"}
WEEKDAY_WORDS = {
    "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7,
    "周一": 1, "周二": 2, "周三": 3, "周四": 4, "周五": 5, "周六": 6, "周日": 7, "周天": 7,
    "星期一": 1, "星期二": 2, "星期三": 3, "星期四": 4, "星期五": 5, "星期六": 6, "星期日": 7, "星期天": 7,
}
WEEKDAY_LABELS = ("", "周一", "周二", "周三", "周四", "周五", "周六", "周日")
QUARTER_LABELS = ("", "第一季度", "第二季度", "第三季度", "第四季度")


class Cadence(NamedTuple):
    kind: str  # one of CADENCE_KINDS
    day: int = 0  # monthly/quarterly: day of the month (clipped to its end); weekly: ISO weekday 1–7

    @property
    def text(self) -> str:
        """The stored and configured form: ``monthly:25``, ``weekly:5``, ``none``."""
        return self.kind if self.kind == "none" else f"{self.kind}:{self.day}"

    @property
    def label(self) -> str:
        """``月报（每月25日前报送）``."""
        if self.kind == "monthly":
            return f"月报（每月{self.day}日前报送）"
        if self.kind == "weekly":
            return f"周报（每{WEEKDAY_LABELS[self.day]}前报送）"
        if self.kind == "quarterly":
            return f"季报（每季末月{self.day}日前报送）"
        return KIND_LABELS["none"]


NO_CADENCE = Cadence("none", 0)


def parse_cadence(text: str) -> Cadence:
    """``monthly``, ``monthly:25``, ``月报:25``, ``weekly:fri``, ``周报:周五``, ``quarterly:10``, ``none``.
    Raises ``ValueError`` with a one-line Chinese message."""
    raw = (text or "").strip()
    kind_text, _, day_text = raw.replace("：", ":").partition(":")
    kind = KIND_WORDS.get(kind_text.strip().lower())
    if kind is None:
        raise ValueError(f"报送周期“{raw}”无法识别（可用：monthly:日、weekly:星期几、quarterly:日、none，或 月报:25、周报:周五、季报:25、不报）")
    if kind == "none":
        if day_text.strip():
            raise ValueError(f"报送周期“{raw}”：不报送无需日期")
        return NO_CADENCE
    day_text = day_text.strip().lower().removesuffix("日").removesuffix("号")
    if not day_text:
        return Cadence(kind, DEFAULT_DAY[kind])
    if kind == "weekly":
        day = WEEKDAY_WORDS.get(day_text[:3] if day_text.isascii() else day_text)
        if day is None and day_text.isdigit():
            day = int(day_text)
        if day is None or not 1 <= day <= 7:
            raise ValueError(f"报送周期“{raw}”：周报应写星期几（1–7 或 周一…周日）")
        return Cadence(kind, day)
    if not day_text.isdigit() or not 1 <= int(day_text) <= 31:
        raise ValueError(f"报送周期“{raw}”：报送日应为 1–31 的日期")
    return Cadence(kind, int(day_text))


class Period(NamedTuple):
    """One reporting period: ``start``..``end`` inclusive, the report due by ``report_due``."""

    cadence: Cadence
    start: date
    end: date
    report_due: date
    key: str  # 2022-11, 2022-W46, 2022-Q4
    label: str  # 2022年11月, 2022年第46周（11月14日—11月20日）, 2022年第四季度

    @property
    def report_day_phrase(self) -> str:
        """``25日前报送`` (a month), ``11月25日前报送`` (a week or quarter: the day alone would not say which)."""
        due = self.report_due
        if self.cadence.kind == "monthly":
            return f"{due.day}日前报送"
        return f"{due.month}月{due.day}日前报送"

    def state(self, today: date) -> str:
        """``已逾期 N 天`` / ``今天报送截止`` / ``还有 N 天``."""
        days = (today - self.report_due).days
        if days > 0:
            return f"已逾期 {days} 天"
        if days == 0:
            return "今天报送截止"
        return f"还有 {-days} 天"

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def to_json(self) -> dict:
        return {"period": self.key, "label": self.label, "start": self.start.isoformat(),
                "end": self.end.isoformat(), "report_due": self.report_due.isoformat()}


def _month_day(year: int, month: int, day: int) -> date:
    import calendar  # here: with its locale module it costs every command's start-up ~1 ms

    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def period_of(cadence: Cadence, day: date) -> Period | None:
    """The period of ``cadence`` that ``day`` falls in; ``None`` when the cadence is ``none``."""
    if cadence.kind == "monthly":
        start = day.replace(day=1)
        end = _month_day(day.year, day.month, 31)
        return Period(cadence, start, end, _month_day(day.year, day.month, cadence.day),
                      f"{day.year}-{day.month:02d}", f"{day.year}年{day.month}月")
    if cadence.kind == "quarterly":
        q = (day.month - 1) // 3 + 1
        start = date(day.year, 3 * q - 2, 1)
        end = _month_day(day.year, 3 * q, 31)
        return Period(cadence, start, end, _month_day(day.year, 3 * q, cadence.day),
                      f"{day.year}-Q{q}", f"{day.year}年{QUARTER_LABELS[q]}")
    if cadence.kind == "weekly":
        start = day - timedelta(days=day.isoweekday() - 1)
        end = start + timedelta(days=6)
        year, week, _ = day.isocalendar()
        return Period(cadence, start, end, start + timedelta(days=cadence.day - 1), f"{year}-W{week:02d}",
                      f"{year}年第{week}周（{start.month}月{start.day}日—{end.month}月{end.day}日）")
    return None


def previous_period(period: Period) -> Period:
    found = period_of(period.cadence, period.start - timedelta(days=1))
    assert found is not None
    return found


def next_period(period: Period) -> Period:
    found = period_of(period.cadence, period.end + timedelta(days=1))
    assert found is not None
    return found


# patterns compiled on first use (re caches them), not by every command at start-up
_MONTH = r"^(\d{4})[-/.年](\d{1,2})月?$"
_QUARTER = r"^(\d{4})[-/]?[Qq]([1-4])$"
_WEEK = r"^(\d{4})[-/]?[Ww](\d{1,2})$"


def parse_period(text: str, cadence: Cadence | None = None) -> Period:
    """A period named by the user: ``2022-11`` / ``2022年11月`` (a month), ``2022-Q4``, ``2022-W46``.
    ``cadence`` supplies the report day (a month named under a monthly cadence keeps its day).
    Raises ``ValueError`` with a one-line Chinese message."""
    raw = (text or "").strip()
    if m := re.match(_MONTH, raw):
        year, month = int(m[1]), int(m[2])
        if 1900 <= year <= 2999 and 1 <= month <= 12:
            day = cadence.day if cadence is not None and cadence.kind == "monthly" else DEFAULT_DAY["monthly"]
            found = period_of(Cadence("monthly", day), date(year, month, 1))
            assert found is not None
            return found
    if m := re.match(_QUARTER, raw):
        year, q = int(m[1]), int(m[2])
        if 1900 <= year <= 2999:
            day = cadence.day if cadence is not None and cadence.kind == "quarterly" else DEFAULT_DAY["quarterly"]
            found = period_of(Cadence("quarterly", day), date(year, 3 * q, 1))
            assert found is not None
            return found
    if m := re.match(_WEEK, raw):
        year, week = int(m[1]), int(m[2])
        if 1900 <= year <= 2999:
            try:
                monday = date.fromisocalendar(year, week, 1)
            except ValueError:
                monday = None
            if monday is not None:
                day = cadence.day if cadence is not None and cadence.kind == "weekly" else DEFAULT_DAY["weekly"]
                found = period_of(Cadence("weekly", day), monday)
                assert found is not None
                return found
    raise ValueError(f"报告期“{raw}”无法识别（如 2022-11、2022年11月、2022-Q4、2022-W46）")


def custom_period(since: date, until: date) -> Period:
    """A period given as ``--since``/``--until`` (inclusive); its report day is its last day."""
    if until < since:
        raise ValueError(f"结束日期 {until.isoformat()} 早于开始日期 {since.isoformat()}")
    label = f"{since.year}年{since.month}月{since.day}日至{until.year}年{until.month}月{until.day}日"
    return Period(NO_CADENCE, since, until, until, f"{since.isoformat()}..{until.isoformat()}", label)
