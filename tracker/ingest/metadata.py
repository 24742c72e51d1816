"""Document metadata read from the text: title, 文号, issuer and issue date.

* Title: the front matter's, else the first short line before the numbering that reads like
  a title (``关于…``, ``…意见/方案/通知…``), else the file name.
* 文号: ``青府规发〔2022〕4号`` (any bracket shape, written with 〔〕).
* Issuer: ``X文件`` at the top, else the ``X关于`` of the title, else the signature line above
  the date.
* Issued: the last line that is a date (``2022年8月29日``, ``二〇二二年八月二十九日``), else the
  front matter's ``date``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from tracker.ingest.outline import cn_to_int
from tracker.ingest.text import Paragraph, Source

_CHINA = timezone(timedelta(hours=8))

_DOC_NUMBER = re.compile(
    r"[A-Za-z\u4e00-\u9fa5]{1,14}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号"
)
_TITLE_WORDS = re.compile(r"(关于|意见|方案|通知|办法|决定|规定|细则|措施|规划|计划|纲要|批复|公告|通告|指引|要点)")
_DATE_CN = re.compile(
    r"^[（(]?\s*((?:\d{4}|[〇零一二三四五六七八九]{4}))\s*年\s*([\d〇零一二三四五六七八九十]{1,3})\s*月"
    r"\s*([\d〇零一二三四五六七八九十]{1,3})\s*日\s*[）)]?$"
)
_ISSUER_END = re.compile(r"(人民政府|政府办公厅|政府办公室|办公厅|办公室|委员会|人民代表大会|党委|[局厅部委院署]|领导小组)$")


def _cn_year(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = "".join(str(cn_to_int(ch)) if cn_to_int(ch) is not None else "" for ch in text)
    return int(digits) if len(digits) == 4 else None


def _date_of_line(text: str) -> date | None:
    match = _DATE_CN.match(text)
    if not match:
        return None
    year = _cn_year(match.group(1))
    month = cn_to_int(match.group(2))
    day = cn_to_int(match.group(3))
    if not (year and month and day):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _front_date(value: str) -> date | None:
    if not value:
        return None
    import warnings

    from dateutil import parser as du_parser

    try:
        with warnings.catch_warnings():  # an unknown zone name is read as UTC, not worth a warning
            warnings.simplefilter("ignore", du_parser.UnknownTimezoneWarning)
            parsed = du_parser.parse(value)
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    except Exception:  # dateutil raises a handful of private error types on garbage
        return None
    if isinstance(parsed, datetime) and parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(_CHINA)  # the documents are Chinese: date as read in China
        except (ValueError, OverflowError):
            pass
    try:
        return parsed.date()
    except (ValueError, OverflowError):
        return None


def read_metadata(source: Source, paragraphs: list[Paragraph], first_numbered: int, path: str):
    front = source.front
    head = paragraphs[:first_numbered] if first_numbered >= 0 else paragraphs[:12]

    title = (front.get("title") or "").strip()
    if not title:
        candidates = [p.text for p in head if len(p.text) <= 120 and "。" not in p.text and not _DOC_NUMBER.fullmatch(p.text)]
        titled = [c for c in candidates if "关于" in c] or [c for c in candidates if _TITLE_WORDS.search(c)]
        title = (titled or candidates or [Path(path).stem])[0]
    title = title.strip().strip("#*").strip()

    doc_number = None
    for para in head[:20]:
        match = _DOC_NUMBER.search(para.text)
        if match and (len(para.text) <= 40 or match.start() == 0):
            doc_number = re.sub(r"\s+", "", match.group(0))
            doc_number = doc_number.replace("[", "〔").replace("]", "〕").replace("［", "〔").replace("］", "〕")
            break

    issuer = None
    for para in head[:6]:
        match = re.match(r"^(.{2,40}?)文件$", para.text)
        if match:
            issuer = match.group(1)
            break
    if issuer is None:
        match = re.match(r"^(.{2,40}?)关于", title)
        if match and _ISSUER_END.search(match.group(1)):
            issuer = match.group(1)
    if issuer is None and doc_number is None and not front:
        issuer = None

    issued = None
    date_index = None
    for index in range(len(paragraphs) - 1, -1, -1):
        found = _date_of_line(paragraphs[index].text)
        if found:
            issued, date_index = found, index
            break
    if issuer is None and date_index is not None and date_index > 0:
        previous = paragraphs[date_index - 1].text
        if len(previous) <= 30 and _ISSUER_END.search(previous):
            issuer = previous
    if issued is None:
        issued = _front_date(front.get("date", ""))
    return title, doc_number, issuer, issued
