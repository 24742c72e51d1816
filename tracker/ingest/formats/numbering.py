"""Word's automatic list numbering, rendered as Word shows it (``一、``, ``（一）``, ``1.``).

A numbered paragraph stores no number, only a list id (``w:numId``) and a level
(``w:ilvl``); ``word/numbering.xml`` says, per level, the format (``chineseCounting``,
``decimal``…), the pattern (``%1、``, ``（%2）``) and the start. Counters run per abstract
list, so two lists built on the same definition continue each other unless one
restarts (``w:startOverride``), and a level's counter restarts whenever a higher level
advances.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _val(element: ET.Element | None, default: str | None = None) -> str | None:
    if element is None:
        return default
    return element.get(f"{W}val", default)


def chinese_number(n: int, digits: str = _CN_DIGITS, ten: str = "十") -> str:
    """1 -> 一, 10 -> 十, 21 -> 二十一, 105 -> 一百零五 (Word's chineseCounting)."""
    if n <= 0:
        return str(n)
    if n >= 10000:
        return str(n)
    units = [(1000, "千"), (100, "百"), (10, ten)]
    out = ""
    rest = n
    zero = False
    for size, name in units:
        q, rest = divmod(rest, size)
        if q:
            if zero:
                out += digits[0]
                zero = False
            out += ("" if (size == 10 and q == 1 and not out) else digits[q]) + name
        elif out:
            zero = True
    if rest:
        if zero:
            out += digits[0]
        out += digits[rest]
    return out


def _letters(n: int) -> str:
    # Word repeats the letter: a..z, aa..zz, aaa…
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    table = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
             (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, letters in table:
        while n >= value:
            out += letters
            n -= value
    return out


def format_number(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting",
               "taiwaneseCountingThousand", "koreanCounting"):
        return chinese_number(n)
    if fmt in ("chineseLegalSimplified", "japaneseLegal"):
        return chinese_number(n, _CN_LEGAL, "拾")
    if fmt == "ideographTraditional":
        return _HEAVENLY[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _EARTHLY[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle"):
        return _CIRCLED[n - 1] if 0 < n <= len(_CIRCLED) else str(n)
    if fmt == "decimalEnclosedParen":
        return f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return f"{n}."
    if fmt == "decimalFullWidth" or fmt == "decimalFullWidth2":
        return "".join(chr(ord(d) - 0x30 + 0xFF10) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n)
    if fmt == "upperRoman":
        return _roman(n).upper()
    if fmt in ("none", "bullet"):
        return ""
    return str(n)  # decimal and everything unknown


@dataclass
class Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    legal: bool = False  # w:isLgl: every level shown as decimal
    restart: int | None = None  # w:lvlRestart


@dataclass
class Numbering:
    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> start
    counters: dict[str, dict[int, int]] = field(default_factory=dict)  # abstractNumId -> ilvl -> value
    started: set[str] = field(default_factory=set)  # numIds whose override was applied

    @classmethod
    def parse(cls, xml: bytes | None) -> Numbering:
        numbering = cls()
        if not xml:
            return numbering
        root = ET.fromstring(xml)
        for abstract in root.iter(f"{W}abstractNum"):
            levels: dict[int, Level] = {}
            for lvl in abstract.findall(f"{W}lvl"):
                ilvl = int(lvl.get(f"{W}ilvl", "0"))
                restart = _val(lvl.find(f"{W}lvlRestart"))
                levels[ilvl] = Level(
                    fmt=_val(lvl.find(f"{W}numFmt"), "decimal") or "decimal",
                    text=_val(lvl.find(f"{W}lvlText"), "") or "",
                    start=int(_val(lvl.find(f"{W}start"), "1") or 1),
                    legal=lvl.find(f"{W}isLgl") is not None and _val(lvl.find(f"{W}isLgl"), "1") not in ("0", "false"),
                    restart=int(restart) if restart and restart.isdigit() else None,
                )
            numbering.abstract[abstract.get(f"{W}abstractNumId", "")] = levels
        for num in root.iter(f"{W}num"):
            num_id = num.get(f"{W}numId", "")
            numbering.nums[num_id] = _val(num.find(f"{W}abstractNumId"), "") or ""
            for override in num.findall(f"{W}lvlOverride"):
                start = _val(override.find(f"{W}startOverride"))
                if start is not None and start.lstrip("-").isdigit():
                    ilvl = int(override.get(f"{W}ilvl", "0"))
                    numbering.overrides.setdefault(num_id, {})[ilvl] = int(start)
        return numbering

    def label(self, num_id: str, ilvl: int) -> str:
        """Advance the list and return the paragraph's number as Word shows it ('' for none)."""
        abstract_id = self.nums.get(num_id)
        if abstract_id is None or num_id == "0":
            return ""
        levels = self.abstract.get(abstract_id, {})
        if ilvl not in levels:
            return ""
        counters = self.counters.setdefault(abstract_id, {})
        if num_id in self.overrides and num_id not in self.started:
            self.started.add(num_id)
            for level, start in self.overrides[num_id].items():
                counters[level] = start - 1
                for deeper in [k for k in counters if k > level]:
                    del counters[deeper]
        level = levels[ilvl]
        counters[ilvl] = counters.get(ilvl, level.start - 1) + 1
        for deeper in [k for k in counters if k > ilvl]:
            deeper_level = levels.get(deeper)
            if deeper_level is None or deeper_level.restart is None or deeper_level.restart > ilvl:
                del counters[deeper]

        def replace(match: re.Match[str]) -> str:
            k = int(match.group(1)) - 1
            spec = levels.get(k, Level())
            value = counters.get(k, spec.start)
            fmt = "decimal" if level.legal and spec.fmt not in ("decimal",) else spec.fmt
            return format_number(value, fmt)

        if level.fmt == "bullet":
            return ""
        return re.sub(r"%([1-9])", replace, level.text)
