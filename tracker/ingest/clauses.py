"""Responsibility clauses: the unit lists that close a measure.

Shapes read (all seen in real documents)::

    （责任单位：A、B、各街镇）          (责任单位:A、B)          [牵头单位:A;责任单位:B]
    （牵头单位：A，配合单位：B、C，各区、县级市）      （负责部门：A、B；适用范围：全市）
    （主办：A；协办：B）  （A牵头，B、C参与）  （A牵头负责，B参与）  （A负责，B配合）
    （A、B负责）  （A、B指导）  （A等有关部门和单位负责）  （A会同有关部门负责）
    （A、B，各省级人民政府按职责分工负责）  （A、B等和各有关省级人民政府负责）
    （A、B负责，列第一位者为牵头单位，下同）  （X指导，Y负责落实。以下均需Y落实，不再列出）
    牵头单位：A            (a line of its own; consecutive label lines form one clause)
    ……。牵头单位：A；配合单位：B。     (closing a paragraph without brackets)
    ……，由A负责。  ……。由A牵头，B配合。  (closing a paragraph in running text)

Brackets may be full- or half-width, square, and even mixed; a unit name may itself contain
brackets (``市交通委（市道运局）``). How a list is split into names is in
:mod:`tracker.ingest.names`.

Each unit comes back with a role hint: ``lead`` (labelled 牵头), ``support`` (labelled
配合/参与/协助…) or ``auto`` (listed; the first listed unit leads unless someone is
labelled lead).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.ingest.names import (
    CLOSE,
    LABEL,
    OPEN,
    is_note,
    is_time_part,
    label_role,
    looks_like_unit,
    split_names,
    split_top,
    strip_verbs,
)

__all__ = ["UNIT_LABEL", "Clause", "bracket_groups", "find_clauses", "looks_like_unit", "parse_clause", "split_top"]


_BRACKET = re.compile("[" + re.escape(OPEN + CLOSE) + "]")


@dataclass
class Clause:
    start: int  # index of the opening bracket (or the label) in the text
    end: int  # index just past the closing bracket (or the end of the line)
    names: list[tuple[str, str]] = field(default_factory=list)  # (raw name, role hint)
    content: str = ""
    closed: bool = True


def bracket_groups(text: str) -> list[tuple[int, int, bool]]:
    """Top-level bracket groups as (start, end, closed); nested brackets stay inside."""
    groups: list[tuple[int, int, bool]] = []
    depth = 0
    start = -1
    for found in _BRACKET.finditer(text):
        index, ch = found.start(), found.group()
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


_SPACE = re.compile(r"[\s\u3000]+")
#: a unit label anywhere in a text (``责任单位：`` ``牵头部门：``…)
UNIT_LABEL = _EMBEDDED_LABEL = re.compile(
    r"(?:牵头|主要|协同)?(?:牵头|责任|配合|协办|参与|主办|协同|主责|协作|负责)(?:单位|部门)[：:]"
)


def _parts(content: str, known: set[str] | frozenset[str]) -> list[tuple[str, bool]]:
    """The clause split at ，；。 with notes and time limits taken out; each part tells whether
    it opens a sentence (after a 。)."""
    # "牵头单位:A  责任单位:B" (labels set apart by spaces, which text cleaning may have removed)
    text = _SPACE.sub("", content).strip("。，,；;")
    text = _EMBEDDED_LABEL.sub(lambda m: ("；" if m.start() and text[m.start() - 1] not in "；;，,。" else "") + m.group(0), text)
    kept: list[tuple[str, bool]] = []
    for k, sentence in enumerate(split_top(text, "。")):
        for j, part in enumerate(split_top(sentence, "，,；;")):
            if not part or is_note(part):
                continue
            if is_time_part(part) and not looks_like_unit(part, known) and not LABEL.match(part):
                continue  # "…负责，2023年12月31日前完成": the deadline is read from the whole text
            kept.append((part, k > 0 and j == 0))
    return kept


def parse_clause(content: str, known: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, str]] | None:
    """The (name, role hint) list of a clause, or None when the text is not a clause."""
    parts: list[str] = []
    skipping = False
    unit_label = False
    for part, opens_sentence in _parts(content, known):
        label = LABEL.match(part)
        if label:
            skipping = label_role(label.group(1)) is None  # 适用范围：… / 完成时限：… / 牵头领导：…
            unit_label = unit_label or not skipping
        elif opens_sentence and unit_label:
            skipping = True  # "（责任单位：A。具体任务均涉及…）": a sentence after the labelled list is a note
        if not skipping:
            parts.append(part)
    if not parts:
        return None
    if unit_label:
        return _parse_labelled(parts)
    return _parse_verbal(parts, known)


_MEMO_LENGTH = 300  # clauses up to this long are remembered per document (long ones rarely repeat)
_MEMO_ENTRIES = 4096  # and this many of them: a document whose clauses all differ gains nothing from more
Memo = dict[str, "list[tuple[str, str]] | None"]


def _read(content: str, known: set[str] | frozenset[str], memo: Memo | None) -> list[tuple[str, str]] | None:
    """:func:`parse_clause`, read once per document for a clause seen before (a large document repeats
    the same few clauses thousands of times); every caller gets its own list."""
    if memo is None or len(content) > _MEMO_LENGTH:
        return parse_clause(content, known)
    try:
        names = memo[content]
    except KeyError:
        names = parse_clause(content, known)
        if len(memo) >= _MEMO_ENTRIES:
            return names
        memo[content] = names
    return None if names is None else list(names)


def _parse_labelled(parts: list[str]) -> list[tuple[str, str]] | None:
    names: list[tuple[str, str]] = []
    role: str | None = None
    labelled = False
    for part in parts:
        label = LABEL.match(part)
        if label:
            labelled = True
            role = label_role(label.group(1))
            part = part[label.end() :]
        elif not labelled:
            # "（A负责；配合单位：B）": units before the first label, else prose holding a label
            body, verb_role = strip_verbs(part)
            found = split_names(body, verb_role or "auto")
            if not found or not all(looks_like_unit(n) for n, _r in found):
                return None
            names.extend(found)
            continue
        if role is None or not part:
            continue
        body, verb_role = strip_verbs(part)
        part_role = verb_role if verb_role in ("lead", "support") else role
        names.extend(split_names(body, part_role))
    return names


def _parse_verbal(parts: list[str], known: set[str] | frozenset[str]) -> list[tuple[str, str]] | None:
    pending: list[str] = []
    names: list[tuple[str, str]] = []
    any_verb = False
    for part in parts:
        body, role = strip_verbs(part)
        if role is None:
            pending.append(part)
            continue
        any_verb = True
        group = split_names(body, role)
        for text in pending:
            names.extend(split_names(text, "auto" if role == "lead" else role))
        pending = []
        names.extend(group)
    if not any_verb:
        return None
    if pending:
        # text after the last verb: "A牵头，B、C" reads as support units
        if not any(r == "lead" for _n, r in names):
            return None
        for text in pending:
            names.extend(split_names(text, "support"))
    if not names or not all(looks_like_unit(n, known) for n, _r in names):
        return None
    return names


def _line_label(line: str) -> str | None:
    """The role of a line that opens with a label (``牵头单位：``), "" for a label naming no units."""
    match = LABEL.match(line)
    if not match:
        return None
    return label_role(match.group(1)) or ""


_INLINE_LABEL = re.compile(r"[。；;！!]\s*(?=" + LABEL.pattern + ")")
_BY = re.compile(r"(?:^|(?<=[。；;，,：:]))\s*由")


def _depth_at(line: str) -> Callable[[int], int]:
    """``at(i)``: how many brackets are open before position ``i`` (one pass over the brackets only,
    then a binary search per question)."""
    positions: list[int] = []
    depths: list[int] = []  # depth after the bracket at positions[k]
    depth = 0
    for found in _BRACKET.finditer(line):
        if found.group() in OPEN:
            depth += 1
        elif depth > 0:
            depth -= 1
        positions.append(found.start())
        depths.append(depth)

    def at(index: int) -> int:
        before = bisect_left(positions, index)
        return depths[before - 1] if before else 0

    return at


_SENTENCE_END = re.compile(r"[。！!]")
_NEAR_END = 600  # a label this close to the end of the paragraph opens its closing clause


def _labelled_to_the_end(tail: str) -> Callable[[int], bool]:
    """``at(i)``: every sentence after the one holding position ``i`` opens with a label (or there is
    none), i.e. from ``i`` on the paragraph is one run of labelled unit lists, however long.
    One pass over the text, then a binary search per question."""
    ends = [m.start() for m in _SENTENCE_END.finditer(tail)]
    labelled = [True] * (len(ends) + 1)  # labelled[k]: sentences k, k+1, … all open with a label
    for k in range(len(ends) - 1, -1, -1):
        sentence = tail[ends[k] + 1 : ends[k + 1] if k + 1 < len(ends) else len(tail)].lstrip()
        labelled[k] = (not sentence or LABEL.match(sentence) is not None) and labelled[k + 1]
    return lambda i: labelled[bisect_right(ends, i)]


def _inline_clause(
    line: str, known: set[str] | frozenset[str], memo: Memo | None = None
) -> tuple[int, list[tuple[str, str]]] | None:
    """A clause closing a paragraph without brackets: ``。牵头单位：A。`` or ``，由A负责。``.

    The clause is the first label near the end of the paragraph, or further back when nothing but
    labelled lists follows it (a list of hundreds of units is still one clause)."""
    tail = line.rstrip()
    depth_at: Callable[[int], int] | None = None
    labelled_from: Callable[[int], bool] | None = None
    for match in _INLINE_LABEL.finditer(tail):
        if len(tail) - match.end() > _NEAR_END:
            labelled_from = labelled_from or _labelled_to_the_end(tail)
            if not labelled_from(match.end()):
                continue
        if depth_at is None:
            depth_at = _depth_at(tail)
        if depth_at(match.start()) > 0:
            continue
        names = _read(tail[match.end() :], known, memo)
        if names:
            return match.end(), names
        break
    # "由A负责。" in the last sentence of the paragraph
    last_stop = max(tail.rfind("。", 0, len(tail) - 1), tail.rfind("；", 0, len(tail) - 1))
    by = None
    for found in _BY.finditer(tail, max(last_stop, 0)):
        by = found
    if by is None:
        return None
    rest = tail[by.end() :]
    if not rest or any(ch in OPEN for ch in rest):  # any length: every name must look like a unit
        return None
    names = _read(rest, known, memo)
    if names:
        return by.start() + (len(by.group(0)) - len(by.group(0).lstrip())), names
    return None


def find_clauses(text: str, known: set[str] | frozenset[str] = frozenset(), memo: Memo | None = None) -> list[Clause]:
    """The clauses of a text in order. ``memo``: a dict kept for one document (and one ``known``),
    so that a clause repeated across measures is read once."""
    clauses: list[Clause] = []
    # unbracketed clause lines; consecutive label lines form one clause
    offset = 0
    pending: Clause | None = None
    for line in text.split("\n"):
        stripped = line.strip()
        role = _line_label(stripped)
        names = (_read(stripped, known, memo) or []) if role else []
        if role is not None and len(line) > _NEAR_END and not names:
            role = None  # a long paragraph opening with a label is prose unless it reads as a unit list
        if role is not None:
            if pending is not None and pending.end == offset - 1:
                pending.names.extend(names)
                pending.content += "；" + stripped
                pending.end = offset + len(line)
            elif role:
                pending = Clause(offset, offset + len(line), names, stripped, True)
                clauses.append(pending)
        else:
            inline = _inline_clause(line, known, memo)
            if inline is not None:
                start, names = inline
                clauses.append(Clause(offset + start, offset + len(line), names, line[start:].strip(), True))
        offset += len(line) + 1
    taken = [(c.start, c.end) for c in clauses]
    pointer = 0
    for start, end, closed in bracket_groups(text):
        while pointer < len(taken) and taken[pointer][1] <= start:
            pointer += 1
        if pointer < len(taken) and taken[pointer][0] <= start < taken[pointer][1]:
            continue
        inner_end = end - 1 if closed else end
        names = _read(text[start + 1 : inner_end], known, memo)
        if names is None:
            continue
        clauses.append(Clause(start, end, names, text[start + 1 : inner_end], closed))
    clauses.sort(key=lambda c: c.start)
    return clauses
