"""The outline of a document, read from its numbering (never from its markup).

Numbering markers and the code piece each contributes:

======================  ==========  ===========
marker                  rank        code piece
======================  ==========  ===========
``第一部分`` ``第一章``   0 part      ``第一部分``
``一、``                 1 chapter   ``一``
``第一条``               1.5 article ``第一条``
``（一）`` ``(一)``       2 section   ``（一）``
``1.`` ``1、`` ``1．``    3 item      ``1``
``（1）`` ``(1)``         4 subitem   ``（1）``
``①``                   5 point     ``①``
======================  ==========  ===========

A measure's code is the concatenation of the pieces on its path, e.g. ``三（一）`` or
``一（二）3``; half-width brackets are written full-width in codes. A new marker closes
every open node of the same or a lower rank, so ``#`` levels that disagree with the
numbering do not matter.

Documents without numbered measures (news articles) are read for enumerations inside
paragraphs: ``一是…；二是…`` become measures ``E1``, ``E2``, … in document order. Failing
those, sentences that open with ``要`` (``要加强…``) become measures ``S1``, ``S2``, ….
Unnumbered paragraphs that carry a responsibility clause before any numbering are coded
``P1``, ``P2``, ….
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.ingest.names import LABEL, OPEN, label_role
from tracker.ingest.text import Paragraph

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
CN_NUM = "零〇一二三四五六七八九十百两"


def cn_to_int(text: str) -> int | None:
    """Chinese numerals up to 九百九十九 (``十一`` -> 11, ``九十九`` -> 99); digits pass through."""
    text = text.strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    seen = False
    for ch in text:
        if ch in CN_DIGITS:
            current = CN_DIGITS[ch]
            seen = True
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
            seen = True
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
            seen = True
        else:
            return None
    if not seen:
        return None
    return total + current


_N = r"[零〇一二三四五六七八九十百两]{1,4}"
_MARKERS: list[tuple[float, re.Pattern[str]]] = [
    (0, re.compile(r"^第\s*(" + _N + r"|\d{1,2})\s*(部分|章|篇)\s*")),
    (1.5, re.compile(r"^第\s*(" + _N + r"|\d{1,3})\s*条\s*")),
    (1, re.compile(r"^(" + _N + r")\s*(?:、|[．.](?!\d))\s*")),
    (2, re.compile(r"^[（(]\s*(" + _N + r")\s*[）)]\s*[、．.]?\s*")),
    (3, re.compile(r"^(\d{1,3})\s*(?:[.．、](?!\d)|\s*[）)](?![\d%％]))\s*")),
    (4, re.compile(r"^[（(]\s*(\d{1,3})\s*[）)]\s*")),
    (5, re.compile(r"^([①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])\s*")),
]


@dataclass
class Marker:
    rank: float
    number: int
    piece: str  # code piece
    end: int  # where the text after the marker starts


def match_marker(text: str) -> Marker | None:
    for rank, pattern in _MARKERS:
        match = pattern.match(text)
        if not match:
            continue
        raw = match.group(1)
        if rank == 5:
            number = ord(raw) - ord("①") + 1
        else:
            number = cn_to_int(raw) or 0
        if number <= 0 and rank != 5:
            continue
        if rank == 0:
            piece = f"第{raw}{match.group(2)}"
        elif rank == 1.5:
            piece = f"第{raw}条"
        elif rank == 1:
            piece = raw
        elif rank == 2:
            piece = f"（{raw}）"
        elif rank == 3:
            piece = str(number)
        elif rank == 4:
            piece = f"（{number}）"
        else:
            piece = raw
        # "1、2022年…" is an item; "2022.5" was excluded above. A heading such as "一、" alone is fine.
        return Marker(rank, number, piece, match.end())
    return None


@dataclass
class Node:
    rank: float  # -1 for the root (text before any numbering)
    code: str
    title: str
    line: int
    parent: Node | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)  # body (heading text excluded)
    children: list[Node] = field(default_factory=list)
    order: int = 0
    head: Paragraph | None = None  # the numbered paragraph itself
    head_body: bool = False  # paragraphs[0] is the body of the numbered paragraph

    def chapter(self) -> Node | None:
        """The chapter (rank 1) above or at this node; else the top numbered ancestor."""
        node: Node | None = self
        top: Node | None = None
        while node is not None and node.rank >= 0:
            if node.rank == 1:
                return node
            top = node
            node = node.parent
        return top if top is not None and top is not self else None


_TITLE_END = re.compile(r"[。；;！!？?]|[：:](?!\d)")


def _without_clause(title: str) -> str:
    """A title sentence that ends with a responsibility clause, without the clause."""
    from tracker.ingest.clauses import bracket_groups, parse_clause

    groups = bracket_groups(title)
    if groups and groups[-1][1] == len(title) and parse_clause(title[groups[-1][0] + 1 : -1]):
        return title[: groups[-1][0]].strip()
    return title


def split_title(para: Paragraph, marker: Marker) -> tuple[str, str]:
    """(title, body) of a numbered paragraph."""
    rest = para.text[marker.end :].strip()
    if para.lead:
        lead_marker = match_marker(para.lead)
        lead = para.lead[lead_marker.end :] if lead_marker else para.lead
        lead = lead.strip()
        if lead and rest.startswith(lead):
            body = rest[len(lead) :].strip()
            return lead.rstrip("。；;：:，, "), body
    match = _TITLE_END.search(rest)
    if match and match.start() <= 60:
        title = _without_clause(rest[: match.start()].strip())
        if title:
            return title, rest  # the title sentence stays part of the measure text
    if len(rest) <= 60 and not re.search(r"[，,。]", rest):
        return rest, ""
    return rest[:30].rstrip("，,、"), rest


_CLOSING = re.compile(
    r"^(?:本(?:意见|方案|办法|通知|措施|规定|细则|计划|决定|实施意见|实施方案|若干措施|政策)"
    r".{0,30}(?:施行|实施|执行|有效)|抄送|抄报|印发|附件[：:]?\s*$)"
)


_TAIL_DATE = re.compile(r"^[（(]?\s*(?:\d{4}|[〇零一二三四五六七八九]{4})\s*年.{1,8}日\s*(?:印发|发布)?\s*[）)]?$")


def _is_tail(text: str) -> bool:
    if _TAIL_DATE.match(text):
        return True
    if LABEL.match(text):
        return False  # "责任单位：区发展和改革局" closing the last measure
    return len(text) <= 30 and not re.search(r"[，。；,;（(]", text) and match_marker(text) is None


def build_outline(paragraphs: list[Paragraph]) -> tuple[Node, list[Node], int]:
    """Return (root, numbered nodes in order, index of the first closing paragraph)."""
    root = Node(-1, "", "", paragraphs[0].line if paragraphs else 1)
    nodes: list[Node] = []
    stack: list[Node] = [root]
    closing = len(paragraphs)
    # Signature, date and distribution lines at the end belong to no measure.
    while closing > 0 and _is_tail(paragraphs[closing - 1].text):
        closing -= 1
    for index, para in enumerate(paragraphs[:closing]):
        if len(para.text) <= 60 and _CLOSING.match(para.text):
            closing = index
            break
        marker = match_marker(para.text)
        if marker is None:
            if not _fold_into_parent(para, nodes, stack):
                stack[-1].paragraphs.append(para)
            continue
        while stack[-1].rank >= marker.rank:
            stack.pop()
        parent = stack[-1]
        title, body = split_title(para, marker)
        node = Node(marker.rank, parent.code + marker.piece, title, para.line, parent, head=para)
        if body:
            node.paragraphs.append(Paragraph(body, para.line))
            node.head_body = True
        parent.children.append(node)
        nodes.append(node)
        stack.append(node)
    return root, nodes, closing


_FOLD_LIMIT = 20_000  # characters of sub-items looked at when folding (keeps it linear)
_FOLD_ITEMS = 50  # sub-items looked at when folding


def _standalone_clause(text: str) -> bool:
    """A paragraph that is nothing but a responsibility clause: ``（责任单位：A、B）``."""
    from tracker.ingest.clauses import bracket_groups, parse_clause

    text = text.rstrip("。；; ")
    if text and text[0] in OPEN:
        groups = bracket_groups(text)
        return len(groups) == 1 and groups[0][1] == len(text) and bool(parse_clause(text[1:-1]))
    label = LABEL.match(text)
    return bool(label and label_role(label.group(1)) and parse_clause(text))


def _fold_into_parent(para: Paragraph, nodes: list[Node], stack: list[Node]) -> bool:
    """A clause paragraph after sub-items none of which has a clause closes their parent:

    ``1.完善预案体系`` ``(1)…`` ``(2)…`` ``(责任单位：A)`` is one measure, item 1, whose text takes
    in its sub-items. Returns whether ``para`` was placed that way."""
    from tracker.ingest.clauses import find_clauses

    current = stack[-1]
    parent = current.parent
    if current.rank < 0 or parent is None or parent.rank < 0 or not 2 <= len(parent.children) <= _FOLD_ITEMS:
        return False
    if not _standalone_clause(para.text):
        return False
    start = len(nodes)
    while start > 0 and nodes[start - 1] is not parent and len(nodes) - start <= _FOLD_ITEMS * 4:
        start -= 1
    if start == 0 or nodes[start - 1] is not parent:
        return False
    folded: list[Paragraph] = []
    size = 0
    for node in nodes[start:]:
        for part in ([node.head] if node.head is not None else []) + (node.paragraphs[1:] if node.head_body else node.paragraphs):
            folded.append(part)
            size += len(part.text)
            if size > _FOLD_LIMIT:
                return False
    if find_clauses("\n".join(p.text for p in folded)):
        return False
    del nodes[start:]
    parent.children = []
    parent.paragraphs.extend(folded)
    parent.paragraphs.append(para)
    while stack[-1] is not parent:
        stack.pop()
    return True


# -- enumerations and 要-sentences ------------------------------------------------

_ENUM = re.compile(r"(?:^|(?<=[。；;：:，,！!\s]))(" + r"[一二三四五六七八九十]{1,3}" + r")是(?=[^，,。；;的否为])")


@dataclass
class Enumerated:
    title: str
    text: str
    line: int
    lead_in: str = ""


def _short_title(text: str) -> str:
    match = re.search(r"[。；;，,：:！!？?]", text)
    title = text[: match.start()] if match else text
    return title[:40]


def find_enumerations(paragraphs: list[Paragraph]) -> list[Enumerated]:
    """``一是…；二是…`` items, numbered consecutively from 一; at least two per run."""
    found: list[Enumerated] = []
    run: list[Enumerated] = []
    expected = 1
    lead_in = ""

    def flush() -> None:
        nonlocal run
        if len(run) >= 2:
            found.extend(run)
        run = []

    for index, para in enumerate(paragraphs):
        starts = [m for m in _ENUM.finditer(para.text)]
        # keep only a consecutive sequence
        accepted: list[tuple[re.Match[str], int]] = []
        for match in starts:
            number = cn_to_int(match.group(1))
            if number == expected:
                accepted.append((match, number))
                expected += 1
            elif number == 1:
                flush()
                accepted = [(match, 1)]
                expected = 2
        if not accepted:
            if run and not para.text.startswith(tuple("一二三四五六七八九十")):
                flush()
                expected = 1
            continue
        if accepted[0][1] == 1:
            before = para.text[: accepted[0][0].start()].strip()
            lead_in = before or (paragraphs[index - 1].text if index > 0 else "")
        for k, (match, _number) in enumerate(accepted):
            end = accepted[k + 1][0].start() if k + 1 < len(accepted) else len(para.text)
            body = para.text[match.start() : end].strip().rstrip("；;，,")
            if body and body[-1] not in "。！？!?":
                body += "。" if k + 1 < len(accepted) else ""
            title = _short_title(para.text[match.end() : end])
            run.append(Enumerated(title, body, para.line, lead_in))
    flush()
    return found


_YAO = re.compile(r"^(?:[^，。；]{0,8}[，,])?([^，。；]{0,12}?)要(?![求素闻])")


def find_yao_sentences(paragraphs: list[Paragraph]) -> list[Enumerated]:
    """Sentences that state a duty with ``要`` (``要全力保障…``)."""
    out: list[Enumerated] = []
    for para in paragraphs:
        for sentence in re.split(r"(?<=[。！？!?])", para.text):
            sentence = sentence.strip()
            if len(sentence) < 8:
                continue
            match = _YAO.match(sentence)
            if not match:
                continue
            subject = match.group(1)
            if subject and not re.search(r"(?:各|部门|单位|政府|机构|党委|我们|全市|全省|全区|人社|领导小组)", subject):
                continue
            rest = sentence[match.end() :]
            out.append(Enumerated(_short_title(rest), sentence, para.line))
    return out
