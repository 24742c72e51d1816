"""Deadline phrases in a measure's text, resolved against the document's date.

Phrases and the due date they give (document dated 2022-08-29):

* ``2022年12月31日前`` -> that day; ``2022年6月底前`` / ``2022年6月前`` -> end of that month
* ``2022年`` / ``2022 年内`` / ``2022年底`` / ``2022年度`` -> 2022-12-31
* ``年内`` ``本年度`` ``今年`` ``到年末`` ``年底前`` -> end of the document's year
* ``9月底前`` -> end of that month in the document's year (the next year if already past)
* ``10月15日前`` -> that day in the document's year (the next year if already past)
* ``明年`` ``下一年度`` -> end of the next year

A measure takes the latest due date its text names (it is done when all of it is done),
with the phrase that gave it. Years before the document's year are history, not deadlines.
Relative phrases need the document's date; without one they give nothing. Measures with no
phrase follow the config policy: ``none``, ``end_of_year`` (of the document's year) or
``fixed``.
"""

from __future__ import annotations

import re
from datetime import date

from tracker.config import Config
from tracker.dates import end_of_month, end_of_year

_Y = r"(?P<y>\d{4})\s*年"
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("ymd", re.compile(_Y + r"\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:之前|以前|前|止|为止)")),
    ("ym", re.compile(_Y + r"\s*(?P<m>\d{1,2})\s*月\s*(?:底|末|份)?\s*(?:之前|以前|前|底|末)")),
    ("ymd_bare", re.compile(_Y + r"\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?")),
    ("y", re.compile(_Y + r"\s*(?:度|内|底|末|年底|年末|全年)?(?:前)?")),
    ("md", re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日\s*(?:之前|以前|前|止|为止)")),
    ("m", re.compile(r"(?<![\d年])(?P<m>\d{1,2})\s*月\s*(?:底|末)\s*(?:之前|以前|前)?|(?<![\d年])(?P<m2>\d{1,2})\s*月\s*(?:之前|以前|前)")),
    ("this_year", re.compile(r"本年度|本年内|今年(?:内|底|年底)?|到年末|(?<![\d零〇一二三四五六七八九十两几半多数每])(?:年内|年底前?|年末|年度内)|当年")),
    ("next_year", re.compile(r"明年|下一年度|下年度")),
]


def _safe(year: int, month: int, day: int | None = None) -> date | None:
    try:
        if day is None:
            return end_of_month(date(year, month, 1))
        return date(year, month, day)
    except (ValueError, OverflowError):
        return None


def find_deadline(text: str, doc_date: date | None) -> tuple[date | None, str | None]:
    """The latest due date named in ``text`` and its phrase."""
    best: tuple[date, str] | None = None
    taken: list[tuple[int, int]] = []

    def overlaps(a: int, b: int) -> bool:
        return any(a < e and s < b for s, e in taken)

    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if overlaps(match.start(), match.end()):
                continue
            taken.append((match.start(), match.end()))
            due: date | None = None
            if kind == "ymd":
                due = _safe(int(match["y"]), int(match["m"]), int(match["d"]))
            elif kind == "ym":
                due = _safe(int(match["y"]), int(match["m"]))
            elif kind == "ymd_bare":
                continue  # a date that is not a deadline ("2022年8月29日召开")
            elif kind == "y":
                year = int(match["y"])
                following = text[match.end() : match.end() + 1]
                if following in ("起", "以", "来", "相", "比", "同", "的") and not match.group(0).endswith(("内", "底", "末", "前")):
                    continue
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
