"""Deadline phrases in a measure's text, resolved against the document's date.

Phrases and the due date they give (document dated 2022-08-29):

* ``2022年12月31日前`` -> that day; ``2022年6月底前`` / ``2022年6月前`` / ``2022年12月`` -> end of
  that month (a bare month already past, or after 截至/自/从, is history)
* ``2023年第三季度`` / ``三季度末`` -> end of that quarter; ``2023年上半年`` -> June 30,
  ``下半年`` -> December 31 (the document's year when none is written)
* ``2022年`` / ``2022 年内`` / ``2022年底`` / ``2022年度`` -> 2022-12-31
* ``年内`` ``本年度`` ``今年`` ``到年末`` ``年底前`` -> end of the document's year
* ``9月底前`` -> end of that month in the document's year (the next year if already past)
* ``10月15日前`` -> that day in the document's year (the next year if already past)
* ``明年底`` -> end of the next year
* ``5年内`` -> end of the 5th year from the start the document states (``2012年起5年内`` ->
  2016-12-31); without a stated start, nothing
* ``印发之日起30日内`` / ``自发布之日起3个月内`` -> counted from the document's date

Not deadlines: ``当年新招用…`` (that year), ``在下一年度…督查中``, the end of a window
(``2019年1月1日至12月31日``), a start (``从2019年1月1日起``, ``2019年起``).

A measure takes the latest due date its text names (it is done when all of it is done),
with the phrase that gave it. Years before the document's year are history, not deadlines.
Relative phrases need the document's date; without one they give nothing. Measures with no
phrase follow the config policy: ``none``, ``end_of_year`` (of the document's year) or
``fixed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.config import Config
from tracker.dates import end_of_month, end_of_year

_Y = r"(?P<y>\d{4})\s*年"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ymd", re.compile(_Y + r"\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:之前|以前|前|止|为止)")),
    ("ym", re.compile(_Y + r"\s*(?P<m>\d{1,2})\s*月\s*(?:底|末|份)?\s*(?:之前|以前|前|底|末)")),
    ("quarter", re.compile(r"(?:" + _Y + r"\s*)?第?(?P<q>[一二三四1-4])\s*季度(?:末|底)?(?:之前|以前|前)?")),
    ("half", re.compile(r"(?:" + _Y + r"\s*)?(?P<h>上半年|下半年)(?:末|底)?(?:之前|以前|前)?")),
    ("ym_bare", re.compile(_Y + r"\s*(?P<m>\d{1,2})\s*月(?![\s\d]*日)(?!份?\s*(?:起|以来|开始|至|到|—|-|以后|后))")),
    ("ymd_bare", re.compile(_Y + r"\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")),
    ("y", re.compile(_Y + r"\s*(?:度|内|底|末|年底|年末|全年)?(?:前)?")),
    ("md", re.compile(r"(?=\d)(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:之前|以前|前|止|为止)")),
    ("m", re.compile(r"(?=\d)(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?:底|末)\s*(?:之前|以前|前)?|(?=\d)(?<![\d年])(?P<m2>\d{1,2})\s*月\s*(?:之前|以前|前)")),
    ("this_year", re.compile(r"本年度|本年内|今年(?:内|底|年底)?(?![上下]半年|第?[一二三四1-4]季度|以来)|到年末|(?=年)(?<![\d零〇一二三四五六七八九十两几半多数每当])(?:年内|年底前?|年末|年度内)")),
    ("next_year", re.compile(r"明年(?:年底|底|内|前)")),
    ("years", re.compile(r"(?=[\d一二三四五六七八九十两力争计要])(?:^|(?<=[，,。；;：:\s在用内]))(?:力争|争取|计划|要)?(?P<n>[\d一二三四五六七八九十两]{1,3})\s*年(?:内|时间)")),
    ("since_issue", re.compile(
        r"(?:印发|发布|出台|施行|实施)之日起\s*(?P<n>[\d一二三四五六七八九十两]{1,3})\s*(?P<u>日|天|个月|月)(?:内|之内)"
    )),
]
#: Words every match of a pattern contains (all of the first set, one of the second): a text
#: lacking them cannot match and is not searched (most of a measure's text names no quarter,
#: half year, 年内 or 之日起).
_NEEDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    kind: (frozenset(all_of), frozenset(one_of))
    for kind, (all_of, one_of) in {
        "ymd": (("年", "月", "日"), ()),
        "ym": (("年", "月"), ()),
        "quarter": (("季度",), ()),
        "half": (("半年",), ()),
        "ym_bare": (("年", "月"), ()),
        "ymd_bare": (("年", "月"), ()),
        "y": (("年",), ()),
        "md": (("月", "日"), ()),
        "m": (("月",), ()),
        "this_year": ((), ("本年", "今年", "年末", "年内", "年底", "年度内")),
        "next_year": (("明年",), ()),
        "years": ((), ("年内", "年时间")),
        "since_issue": (("之日起",), ()),
    }.items()
}
_NEEDED = frozenset().union(*(all_of | one_of for all_of, one_of in _NEEDS.values()))
_START = re.compile(
    r"(?P<y>\d{4})\s*年(?:起|开始)[，,]?\s*(?:用|在)?\s*[\d一二三四五六七八九十两]{1,3}\s*年(?:内|时间)"
)
_CN_SMALL = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


def _small_number(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    if len(text) == 1:
        return _CN_SMALL.get(text)
    if len(text) == 2 and text[0] == "十":
        return 10 + _CN_SMALL.get(text[1], 0)
    if len(text) == 2 and text[1] == "十":
        return 10 * _CN_SMALL.get(text[0], 0) or None
    return None


@dataclass
class DeadlineContext:
    """What the whole document says that relative phrases are counted from."""

    issued: date | None = None
    start_year: int | None = None  # "2012年起5年内": 2012

    @classmethod
    def of(cls, paragraphs, issued: date | None) -> DeadlineContext:
        for para in paragraphs:
            match = _START.search(para.text)
            if match:
                return cls(issued, int(match["y"]))
        return cls(issued, None)


def _add_months(day: date, months: int) -> date | None:
    month = day.month - 1 + months
    year = day.year + month // 12
    try:
        last = end_of_month(date(year, month % 12 + 1, 1))
        return date(year, month % 12 + 1, min(day.day, last.day))
    except (ValueError, OverflowError):
        return None


_WINDOW = re.compile(r"[日月]\s*(?:至|—|–|-|~|～)\s*$")


def _is_window_end(text: str, start: int) -> bool:
    """"2019年1月1日至12月31日": the end of a window of dates, not a deadline (a span of years,
    "2023—2025年", ends when the work must be done)."""
    return bool(_WINDOW.search(text[max(0, start - 4) : start]))


def _safe(year: int, month: int, day: int | None = None) -> date | None:
    try:
        if day is None:
            return end_of_month(date(year, month, 1))
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def find_deadline(
    text: str, doc_date: date | None, context: DeadlineContext | None = None
) -> tuple[date | None, str | None]:
    """The latest due date named in ``text`` and its phrase."""
    best: tuple[date, str] | None = None
    taken = bytearray(len(text) + 1)  # characters already read by an earlier phrase

    present = frozenset(word for word in _NEEDED if word in text)
    for kind, pattern in _PATTERNS:
        all_of, one_of = _NEEDS[kind]
        if not all_of <= present or (one_of and one_of.isdisjoint(present)):
            continue
        for match in pattern.finditer(text):
            if any(taken[match.start() : match.end()]):
                continue
            taken[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
            if _is_window_end(text, match.start()):
                continue
            due: date | None = None
            if kind == "ymd":
                due = _safe(int(match["y"]), int(match["m"]), int(match["d"]))
            elif kind == "ym":
                due = _safe(int(match["y"]), int(match["m"]))
            elif kind == "quarter":
                year = int(match["y"]) if match["y"] else (doc_date.year if doc_date else None)
                quarter = _small_number(match["q"])
                due = _safe(year, quarter * 3) if year and quarter else None
            elif kind == "half":
                year = int(match["y"]) if match["y"] else (doc_date.year if doc_date else None)
                due = _safe(year, 12 if match["h"] == "下半年" else 6) if year else None
            if kind in ("quarter", "half") and due is not None and doc_date is not None and due < doc_date:
                continue  # "今年上半年，全区…": already past when the document was issued
            elif kind == "ym_bare":
                # "2023年12月，完成…": by the end of that month; "截至2023年6月" and past months are history
                if text[max(0, match.start() - 2) : match.start()].endswith(("自", "从", "截至", "截止", "于")):
                    continue
                due = _safe(int(match["y"]), int(match["m"]))
                if due is not None and doc_date is not None and due < doc_date:
                    continue
            elif kind == "ymd_bare":
                continue  # a date that is not a deadline ("2022年8月29日召开")
            elif kind == "y":
                year = int(match["y"])
                following = text[match.end() : match.end() + 1]
                if following in ("起", "以", "来", "相", "比", "同", "的") and not match.group(0).endswith(("内", "底", "末", "前")):
                    continue
                if following in ("“", "《", "\"", "版"):
                    continue  # "2022年“智改数转”工作推进方案": the name of a plan
                if doc_date is not None and year < doc_date.year:
                    continue
                if not 1900 <= year <= 2200:
                    continue
                due = end_of_year(year)
            elif kind == "md" and doc_date is not None:
                due = _safe(doc_date.year, int(match["m"]), int(match["d"]))
                if due is not None and due < doc_date:
                    due = _safe(doc_date.year + 1, int(match["m"]), int(match["d"]))
            elif kind == "m" and doc_date is not None:
                month = int(match["m"] or match["m2"])
                due = _safe(doc_date.year, month)
                if due is not None and due < doc_date:
                    due = _safe(doc_date.year + 1, month)
            elif kind == "this_year" and doc_date is not None:
                due = end_of_year(doc_date.year)
            elif kind == "next_year" and doc_date is not None:
                due = end_of_year(doc_date.year + 1)
            elif kind == "years" and context is not None and context.start_year is not None:
                years = _small_number(match["n"])
                if years and years <= 30:
                    due = end_of_year(context.start_year + years - 1)
            elif kind == "since_issue" and doc_date is not None:
                count = _small_number(match["n"])
                if count:
                    due = doc_date + timedelta(days=count) if match["u"] in ("日", "天") else _add_months(doc_date, count)
            if due is None:
                continue
            phrase = match.group(0).strip()
            if best is None or due >= best[0]:
                best = (due, phrase)
    if best is None:
        return None, None
    return best


def default_due(config: Config, doc_date: date | None) -> date | None:
    if config.deadline_policy == "fixed":
        return config.deadline_fixed
    if config.deadline_policy == "end_of_year" and doc_date is not None:
        return end_of_year(doc_date.year)
    return None
