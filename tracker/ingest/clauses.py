"""Responsibility clauses: the bracketed unit lists that close a measure.

Shapes read (all seen in real documents)::

    （责任单位：A、B、各街镇）          (责任单位:A、B)
    （牵头单位：A，配合单位：B、C，各区）
    （A牵头，B、C参与）  （A牵头，B配合）
    （A、B负责）  （A、B指导）  （A等有关部门和单位负责）
    （A、B，各省级人民政府按职责分工负责）
    （A、B负责，列第一位者为牵头单位，下同）

Brackets may be full- or half-width and even mixed; a unit name may itself contain
brackets (``市交通委（市道运局）``). Lists split on ``、``, ``，``, ``；`` outside brackets.

Each unit comes back with a role hint: ``lead`` (labelled 牵头), ``support`` (labelled
配合/参与/协助…) or ``auto`` (listed; the first listed unit leads unless someone is
labelled lead).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

OPEN = "（("
CLOSE = "）)"


@dataclass
class Clause:
    start: int  # index of the opening bracket in the text
    end: int  # index just past the closing bracket (or the end of the text)
    names: list[tuple[str, str]] = field(default_factory=list)  # (raw name, role hint)
    content: str = ""
    closed: bool = True


def bracket_groups(text: str) -> list[tuple[int, int, bool]]:
    """Top-level bracket groups as (start, end, closed); nested brackets stay inside."""
    groups: list[tuple[int, int, bool]] = []
    depth = 0
    start = -1
    for index, ch in enumerate(text):
        if ch in OPEN:
            if depth == 0:
                start = index
            depth += 1
        elif ch in CLOSE and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append((start, index + 1, True))
    if depth > 0 and start >= 0:
        groups.append((start, len(text), False))
    return groups


def split_top(text: str, separators: str = "、，,；;") -> list[str]:
    """Split on separators that are not inside brackets."""
    parts: list[str] = []
    depth = 0
    current: list[str] = []
    for ch in text:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth > 0:
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return parts


_LEAD_LABELS = ("牵头单位", "牵头部门", "主责单位", "主责部门", "牵头")
_SUPPORT_LABELS = (
    "配合单位", "配合部门", "协办单位", "参与单位", "参与部门", "协同单位", "协助单位", "协作单位", "配合",
)
_AUTO_LABELS = ("责任单位", "责任部门", "负责单位", "负责部门", "实施单位", "实施部门", "承办单位", "主办单位", "责任主体")
_LABEL = re.compile(
    r"(" + "|".join(sorted(_LEAD_LABELS + _SUPPORT_LABELS + _AUTO_LABELS, key=len, reverse=True)) + r")\s*[：:]\s*"
)
_NOTE = re.compile(r"[，,；;。]?\s*(?:列第一位(?:者|的)?(?:单位)?为牵头(?:单位|部门)|排在第一位的为牵头单位)[^，,；;。]*[，,；;。]?\s*(?:下同)?[。]?")
_DOWN_SAME = re.compile(r"[，,；;。]?\s*下同[。]?\s*$")
_VERB = re.compile(
    r"(按职责分工负责|按职责分工落实|按职责分别负责|按职能分工负责|按职责负责|依职责负责|分别负责|共同负责|负责落实|"
    r"负责|指导|牵头|参与|配合|协助|协同|落实)$"
)
_VERB_ROLE = {"牵头": "lead", "参与": "support", "配合": "support", "协助": "support", "协同": "support"}
_TIME_PART = re.compile(
    r"(\d{4}\s*年|\d{1,2}\s*月|年底|年内|年末|年中|底前|日前|季度|上半年|下半年|持续推进|长期坚持|持续开展|完成时限)"
)
_ETC = re.compile(r"等(?:有关|相关)?(?:部门|单位|部门和单位|单位和部门|机构)?$")

UNIT_SUFFIX = re.compile(
    r"(局|委|办|厅|部|院|会|署|室|中心|政府|单位|部门|公司|集团|街道|镇|乡|区|县|市|省|团|所|队|处|站|行|社|联|组|馆|"
    r"台|庭|校|学|协会|商会|机关|办事处|管委会|委员会|领导小组|成员单位|局等|司|盟|军|旗|州|盟|村|居委)$"
)


def looks_like_unit(name: str, known: set[str] | frozenset[str] = frozenset()) -> bool:
    if not name or len(name) > 40:
        return False
    if name in known:
        return True
    if re.search(r"[。！？!?\d%％《》“”\"]", name):
        return False
    base = re.sub(r"[（(][^（）()]*[）)]$", "", name)
    if not base:
        return False
    if name.startswith("各") or "有关部门" in name or "有关单位" in name or "成员单位" in name:
        return True
    return bool(UNIT_SUFFIX.search(base))


def _strip_name(raw: str) -> str:
    return re.sub(r"[\s\u3000*]+", "", raw).strip("。.，,、；;：:")


def parse_clause(content: str, known: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, str]] | None:
    """The (name, role hint) list of a clause, or None when the bracket is not a clause."""
    text = re.sub(r"[\s\u3000]+", "", content)
    text = _NOTE.sub("", text)
    text = _DOWN_SAME.sub("", text)
    text = text.strip("。，,；;")
    # a time limit inside the clause ("…负责，2023年12月31日前完成") is not a unit: drop it here
    # (the measure's deadline is read from the whole text elsewhere)
    parts = split_top(text, "，,；;")
    kept = [p for p in parts if not (_TIME_PART.search(p) and not looks_like_unit(_strip_name(p), known))]
    if len(kept) != len(parts):
        text = "，".join(kept)
    if not text:
        return None
    label = _LABEL.match(text)
    if label:
        return _parse_labelled(text, known)
    return _parse_verbal(text, known)


def _role_of_label(label: str) -> str:
    if label in _LEAD_LABELS:
        return "lead"
    if label in _SUPPORT_LABELS:
        return "support"
    return "auto"


def _parse_labelled(text: str, known: set[str] | frozenset[str]) -> list[tuple[str, str]]:
    names: list[tuple[str, str]] = []
    text = _NOT_UNIT_LABEL.sub("", text)
    matches = list(_LABEL.finditer(text))
    # a label only counts at the start or after a separator
    matches = [m for m in matches if m.start() == 0 or text[m.start() - 1] in "，,；;。、 "]
    for k, match in enumerate(matches):
        end = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        role = _role_of_label(match.group(1))
        for part in split_top(text[match.end() : end]):
            name = _strip_name(part)
            if not name:
                continue
            verb = _VERB.search(name)
            part_role = role
            if verb and len(name) > len(verb.group(1)):
                part_role = _VERB_ROLE.get(verb.group(1), role)
                name = name[: verb.start()]
            name = _ETC.sub("", name) if not name.startswith("各") else name
            if name:
                names.append((name, part_role))
    return names


def _parse_verbal(text: str, known: set[str] | frozenset[str]) -> list[tuple[str, str]] | None:
    if not _VERB.search(text):
        return None
    parts = [_strip_name(p) for p in split_top(text)]
    parts = [p for p in parts if p]
    if not parts:
        return None
    pending: list[str] = []
    names: list[tuple[str, str]] = []
    for part in parts:
        verb = _VERB.search(part)
        if not verb:
            pending.append(part)
            continue
        role = _VERB_ROLE.get(verb.group(1), "auto")
        name = part[: verb.start()]
        name = _ETC.sub("", name) if not name.startswith("各") else name
        for p in pending:
            names.append((p, "auto" if role == "lead" else role))
        pending = []
        if name:
            names.append((name, role))
        elif not names:
            return None
    if pending:
        # text after the last verb: "A牵头，B、C" reads as support units
        if any(r == "lead" for _n, r in names):
            names.extend((p, "support") for p in pending)
        else:
            return None
    if not names:
        return None
    if not all(looks_like_unit(n, known) for n, _r in names):
        return None
    return names


#: A line that is a clause without brackets: "牵头单位：A" / "责任单位：A、B" (then "配合单位：C").
LABEL_LINE = re.compile(r"^(?:" + "|".join(sorted(_LEAD_LABELS[:-1] + _SUPPORT_LABELS[:-1] + _AUTO_LABELS, key=len, reverse=True)) + r")\s*[：:]")
_INLINE_LABEL = re.compile(
    r"[。；;！!]\s*(?=(?:" + "|".join(sorted(_LEAD_LABELS[:-1] + _AUTO_LABELS, key=len, reverse=True)) + r")\s*[：:])"
)
_NOT_UNIT_LABEL = re.compile(r"[，,；;。\s]*(?:完成时限|完成时间|时间节点|时限要求|时限|进度安排|完成期限|目标任务|工作目标)\s*[：:].*$")


def _inside_brackets(text: str, index: int) -> bool:
    depth = 0
    for ch in text[:index]:
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth > 0:
            depth -= 1
    return depth > 0


def find_clauses(text: str, known: set[str] | frozenset[str] = frozenset()) -> list[Clause]:
    clauses: list[Clause] = []
    # unbracketed clause lines; consecutive label lines form one clause
    offset = 0
    pending: Clause | None = None
    for line in text.split("\n"):
        if LABEL_LINE.match(line.strip()) and len(line) <= 300:
            names = parse_clause(line.strip(), known) or []
            if pending is not None and pending.end == offset - 1:
                pending.names.extend(names)
                pending.content += "；" + line.strip()
                pending.end = offset + len(line)
            else:
                pending = Clause(offset, offset + len(line), names, line.strip(), True)
                clauses.append(pending)
        else:
            # "…。牵头单位：A；配合单位：B、C。" closing a paragraph, without brackets
            inline = next(
                (m for m in _INLINE_LABEL.finditer(line) if not _inside_brackets(line, m.start())), None
            )
            if inline and len(line) - inline.end() <= 300:
                content = line[inline.end():].strip()
                names = parse_clause(content, known)
                if names:
                    clauses.append(Clause(offset + inline.end(), offset + len(line), names, content, True))
        offset += len(line) + 1
    for start, end, closed in bracket_groups(text):
        if any(c.start <= start < c.end for c in clauses):
            continue
        inner_end = end - 1 if closed else end
        content = text[start + 1 : inner_end]
        if len(content) > 600:
            continue
        names = parse_clause(content, known)
        if names is None:
            continue
        clauses.append(Clause(start, end, names, content, closed))
    clauses.sort(key=lambda c: c.start)
    return clauses
