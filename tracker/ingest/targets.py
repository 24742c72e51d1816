"""Targets (指标) inside a measure's text.

A target is a comparator, a number and a unit of measure, optionally with a year:
``2022年全区正规就业不少于40万人`` -> (``>=``, 400000, ``人``, 2022, label ``全区正规就业``).

* Comparators: ``不少于 不低于 不小于 至少 达到 达`` -> ``>=``; ``大于 高于 超过 多于`` -> ``>``;
  ``不超过 不高于 不大于 控制在`` -> ``<=``; ``低于 少于 小于`` -> ``<``; a suffix ``以上`` /
  ``及以上`` -> ``>=``, ``以下`` / ``以内`` -> ``<=``; a bare amount (``80亿元``) -> ``=``.
  Words may sit between comparator and number (``不少于公开招聘岗位总数的60%``).
* Values are stored in base units: ``万`` x 10^4, ``亿`` x 10^8, ``千`` x 10^3; money is
  always in ``元`` (``80亿元`` -> 8e9 ``元``); percentages stay as percent (``80%`` -> 80 ``%``).
* Amounts of time (``3个月``, ``2年``) and ordinals (``第3名``) are not targets.
"""

from __future__ import annotations

import re
from datetime import date

from tracker.dates import end_of_year
from tracker.ingest.model import ParsedTarget

_GE = ("不少于", "不低于", "不小于", "至少", "达到", "达")
_GT = ("大于", "高于", "超过", "多于")
_LE = ("不超过", "不高于", "不大于", "控制在")
_LT = ("低于", "少于", "小于")
_CMP_WORDS = sorted(_GE + _GT + _LE + _LT, key=len, reverse=True)
_CMP = {**{w: ">=" for w in _GE}, **{w: ">" for w in _GT}, **{w: "<=" for w in _LE}, **{w: "<" for w in _LT}}

_UOMS = (
    "%", "％", "人次", "万人", "人", "个", "名", "家", "户", "项", "所", "场", "次", "元", "件", "套", "平方米",
    "公顷", "亩", "公里", "千米", "吨", "张", "条", "批", "期", "班", "支", "台", "座", "床", "本",
)
_UOM_RE = "|".join(re.escape(u) for u in sorted(_UOMS, key=len, reverse=True))
_NUM = r"(?P<num>\d+(?:[.．]\d+)?|\d{1,3}(?:,\d{3})+)"
_TARGET = re.compile(
    r"(?=[\d\s" + "".join(sorted({w[0] for w in _CMP_WORDS})) + r"])"
    r"(?P<cmp>" + "|".join(_CMP_WORDS) + r")?"
    r"(?P<gap>(?(cmp)[^，。；;,、\d]{0,20}?的|))?"
    r"\s*" + _NUM + r"\s*(?P<mag>万|亿|千)?\s*(?P<uom>" + _UOM_RE + r")"
    r"(?P<suf>及以上|以上|以下|以内)?"
)
#: what every target holds: the last digit of its number, then (spaces, a magnitude and) its unit of
#: measure; a text without it is not searched (most measures name no amount). One class for the gap:
#: linear however long a run of spaces.
_AMOUNT = re.compile(r"\d[\s万亿千]*(?:" + _UOM_RE + r")")
_TIME_AFTER = re.compile(r"^(?:月|年|周|天|日|小时|工作日|季度|学期)")
_YEAR = re.compile(r"(\d{4})\s*(?:年|届)")
_MAG = {"万": 1e4, "亿": 1e8, "千": 1e3, None: 1.0}
_COUNT_VERB = re.compile(r"(?:配备|设立|建成|新增|培训|募集|开发|招募|引进|帮扶|安置|吸纳)\s*$")
_THIS_YEAR = re.compile(r"本年度|年内|今年|到年末|全年")
_CLAUSE_STOP = re.compile(r"[，。；;！!？?]")
_LEAD_REACH = 300  # characters looked back for the start of a target's phrase (keeps long texts linear)


def _label(prefix: str) -> str:
    label = re.split(r"[，。；;,：:！!？?]", prefix)[-1]
    label = re.sub(r"\d{4}\s*(?:年度?|届)(?:内|底|末)?", "", label)
    label = re.sub(r"^(?:确保|力争|努力|实现|到|在|使|要|其中|全年)+", "", label)
    return label.strip()[-30:]


def find_targets(text: str, doc_date: date | None) -> list[ParsedTarget]:
    targets: list[ParsedTarget] = []
    if not _AMOUNT.search(text):
        return targets
    for match in _TARGET.finditer(text):
        cmp_word = match.group("cmp")
        suffix = match.group("suf")
        uom = match.group("uom").replace("％", "%")
        mag = match.group("mag")
        after = text[match.end() : match.end() + 4]
        before = text[max(0, match.start() - 1) : match.start()]
        if uom in ("个", "人") and _TIME_AFTER.match(after):
            continue
        if before == "第" or (cmp_word is None and before in ("近", "约")):
            continue
        if uom == "万人":
            uom, mag = "人", "万"
        try:
            value = float(match.group("num").replace(",", "").replace("．", "."))
        except ValueError:
            continue
        if uom == "%" and mag:
            continue
        value *= _MAG.get(mag, 1.0)
        if cmp_word:
            comparator = _CMP[cmp_word]
        elif suffix in ("以上", "及以上"):
            comparator = ">="
        elif suffix in ("以下", "以内"):
            comparator = "<="
        else:
            comparator = "="
            # a bare count is a target only with a magnitude or as money ("80亿元", "1名专职人员")
            if not mag and uom != "元" and not _COUNT_VERB.search(text[max(0, match.start() - 6) : match.start()]):
                continue
        if comparator in (">=", "<=") and suffix and cmp_word:
            pass
        start = match.start()
        # the phrase runs from the previous punctuation (within a sentence's reach) to the end of the match
        lead = _CLAUSE_STOP.split(text[max(0, start - _LEAD_REACH) : start])[-1]
        phrase = (lead + text[start : match.end()]).strip()
        if len(phrase) > 80:
            phrase = phrase[-80:]
        year_match = _YEAR.search(lead)
        year: int | None = int(year_match.group(1)) if year_match else None
        if year is None and doc_date is not None and _THIS_YEAR.search(lead):
            year = doc_date.year
        if value != value or value in (float("inf"), float("-inf")):
            continue
        targets.append(
            ParsedTarget(
                phrase=phrase,
                comparator=comparator,
                value=value,
                uom=uom,
                year=year,
                due=end_of_year(year) if year and 1 <= year <= 9999 else None,
                label=_label(lead),
            )
        )
    return targets
