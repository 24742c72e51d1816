"""A list of responsible units as written -> unit names with role hints.

Used by the clause reader (:mod:`~tracker.ingest.clauses`) and the task-table reader
(:mod:`~tracker.ingest.tables`). Everything here works on short strings in one pass.

* Separators: ``、`` ``，`` ``；`` (and half-width) outside brackets; a name may contain
  brackets (``市交通委（市道运局）``, ``各县（市、区）政府``).
* Verbs closing a name or a group of names give the role: ``牵头`` (and ``牵头负责`` …) lead;
  ``配合`` ``参与`` ``协助`` ``协同`` ``协办`` support; ``负责`` ``指导`` ``落实``
  ``按职责分工负责`` … leave it to the order (the first listed leads).
* Vague tails reduce to the unit: ``X等有关部门和单位`` / ``X等部门`` / ``X等`` -> X;
  ``X会同有关部门`` -> X (``X会同Y`` -> X, then Y supporting);
  ``A、B等和各有关省级人民政府`` -> A, B, 各有关省级人民政府; ``A及各县市区政府`` -> A, 各县市区政府.
* ``各`` distributes over a ``、`` list of administrative levels: ``各区、县级市`` and
  ``各省、自治区、直辖市人民政府`` are one collective each, not 各区 + 县级市.
* Notes are not units: ``列第一位者为牵头单位``, ``下同``, ``以下均需X落实，不再列出``.
"""

from __future__ import annotations

import re
from functools import lru_cache

OPEN = "（(［[【〔"
CLOSE = "）)］]】〕"
SEPARATORS = "、，,；;"

_VERBS: list[tuple[str, str]] = sorted(
    [
        ("牵头负责", "lead"), ("牵头落实", "lead"), ("牵头实施", "lead"), ("牵头推进", "lead"),
        ("牵头抓总", "lead"), ("牵头", "lead"), ("主办", "lead"), ("主责", "lead"),
        ("配合落实", "support"), ("配合实施", "support"), ("配合", "support"), ("参与", "support"),
        ("协助", "support"), ("协同", "support"), ("协办", "support"), ("协作", "support"),
        ("按职责分工负责", "auto"), ("按职责分工落实", "auto"), ("按职责分别负责", "auto"),
        ("按职能分工负责", "auto"), ("按职责负责", "auto"), ("依职责负责", "auto"), ("按职责分工", "auto"),
        ("按照职责分工负责", "auto"), ("分别负责", "auto"), ("共同负责", "auto"), ("负责落实", "auto"),
        ("负责实施", "auto"), ("负责推进", "auto"), ("具体负责", "auto"), ("负责", "auto"),
        ("指导", "auto"), ("落实", "auto"), ("实施", "auto"), ("推进", "auto"), ("督促", "auto"),
        ("统筹", "auto"), ("组织实施", "auto"),
    ],
    key=lambda v: len(v[0]),
    reverse=True,
)

#: A label before a colon: ``牵头单位：`` ``负责部门：`` ``主办：`` ``适用范围：`` ``完成时限：`` …
#: (it must name a role or a field: ``各有关单位：`` addressing a notice is not a label)
LABEL = re.compile(
    r"([\u4e00-\u9fa5]{0,6}?(?:牵头|主办|主责|配合|协办|参与|协同|协作|协助|支持|责任|负责|实施|承办|指导|领导|范围|"
    r"时限|时间|节点|期限|目标|要求|内容|任务|措施|标准|说明|备注|注|依据|形式|成果|进度|处室)[\u4e00-\u9fa5]{0,4}?)\s*[：:]"
)
_NOT_UNITS = re.compile(
    r"领导|范围|时限|时间|节点|期限|处室|目标|要求|内容|任务|措施|标准|说明|备注|注|依据|形式|成果|进度"
)
_LEAD_WORDS = re.compile(r"牵头|主办|主责")
_SUPPORT_WORDS = re.compile(r"配合|协办|参与|协同|协作|协助|支持|参加")

_NOTE = re.compile(r"下同|不再.{0,4}(?:列出|分工)|不再重复|以下.{0,8}均|以下简称|排名不分先后|第一位|首位|排第一|排名第一|为牵头(?:单位|部门)")
_TIME_PART = re.compile(
    r"(\d{4}\s*年|\d{1,2}\s*月|年底|年内|年末|年中|底前|日前|季度|上半年|下半年|持续推进|长期坚持|持续开展|完成时限|长期)"
)
_ETC = re.compile(r"等(?:有关|相关|其他)?(?:部门|单位|部门和单位|单位和部门|机构|省直单位)?$")
_WITH = re.compile(r"会同|协调")
_GENERIC = re.compile(r"^(?:其他)?(?:有关|相关)(?:部门|单位|部门和单位|单位和部门|方面)?$")
_AND_EACH = re.compile(r"等?(?:以及|和|及|与)(?=各)|等(?:以及|和|及|与)")
_LEVEL = re.compile(
    r"^(?:县级市|县市区|县（市、区）|县（市）|区（县）|市（县）|市（州）|市县|县区|区县|市区|乡镇|乡|镇|街道|街镇|"
    r"开发区|园区|功能区|管委会|直辖市|自治区|自治州|自治县|兵团|计划单列市|新区|省|市|区|县|旗|州|盟|地区|"
    r"部门|单位|直属机构|直属单位)(人民政府|政府|党委|管委会|办事处)?$"
)
UNIT_SUFFIX = re.compile(
    r"(局|委|办|厅|部|院|会|署|室|中心|政府|单位|部门|公司|集团|街道|镇|乡|区|县|市|省|团|所|队|处|站|行|社|联|组|馆|"
    r"台|庭|校|学|协会|商会|机关|办事处|管委会|委员会|领导小组|成员单位|司|盟|军|旗|州|村|居委|中央|关|班|科|股|总局|"
    r"公安局|法院|检察院|园区|专班|指挥部)$"
)


_BRACKET = re.compile("[" + re.escape(OPEN + CLOSE) + "]")
_SPLITTERS: dict[str, re.Pattern[str]] = {}
_VERB_ENDINGS = frozenset(verb[-1] for verb, _role in _VERBS)
#: the verbs by their last character, longest first as in _VERBS (only those can end a text)
_VERBS_ENDING: dict[str, list[tuple[str, str]]] = {
    end: [(verb, role) for verb, role in _VERBS if verb[-1] == end] for end in _VERB_ENDINGS
}
_CLEAN_BLANKS = re.compile(r"[\s\u3000*]+")
_NOT_IN_UNIT = re.compile(r"[。！？!?\d%％《》“”\"：:]")
_TRAILING_BRACKETS = re.compile(r"[（(][^（）()]*[）)]$")
_EACH_PREFIX = re.compile(r"^各(?:有关|相关)?")


def split_top(text: str, separators: str = SEPARATORS) -> list[str]:
    """Split on separators that are not inside brackets."""
    if not _BRACKET.search(text):
        splitter = _SPLITTERS.get(separators)
        if splitter is None:
            splitter = _SPLITTERS[separators] = re.compile("[" + re.escape(separators) + "]")
        return splitter.split(text)
    parts: list[str] = []
    depth = 0
    start = 0
    for index, ch in enumerate(text):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth > 0:
            depth -= 1
        elif depth == 0 and ch in separators:
            parts.append(text[start:index])
            start = index + 1
    parts.append(text[start:])
    return parts


def label_role(label: str) -> str | None:
    """Role given by a label (``lead`` / ``support`` / ``auto``), None when it names no units."""
    if _NOT_UNITS.search(label):
        return None
    if _LEAD_WORDS.search(label):
        return "lead"
    if _SUPPORT_WORDS.search(label):
        return "support"
    return "auto"


def strip_verbs(text: str) -> tuple[str, str | None]:
    """(text without closing verbs, role the verbs give or None when there was none)."""
    role: str | None = None
    changed = bool(text) and text[-1] in _VERB_ENDINGS
    while changed:
        changed = False
        for verb, verb_role in _VERBS_ENDING[text[-1]]:
            if text.endswith(verb) and len(text) > len(verb):
                text = text[: -len(verb)]
                if verb_role == "lead" or (verb_role == "support" and role != "lead"):
                    role = verb_role
                elif role is None:
                    role = "auto"
                changed = text[-1] in _VERB_ENDINGS
                break
    return text, role


def is_note(part: str) -> bool:
    return bool(_NOTE.search(part))


def is_time_part(part: str) -> bool:
    return bool(_TIME_PART.search(part))


def clean(name: str) -> str:
    name = _CLEAN_BLANKS.sub("", name).strip("。.，,、；;：:|｜")
    if name.startswith("由") and len(name) > 3:
        name = name[1:]
    if "等" in name and not name.startswith("各"):
        name = _ETC.sub("", name)
    return name


def looks_like_unit(name: str, known: set[str] | frozenset[str] = frozenset()) -> bool:
    if not name or len(name) > 40:
        return False
    if name in known:
        return True
    if _NOT_IN_UNIT.search(name):
        return False
    base = _TRAILING_BRACKETS.sub("", name)
    if not base:
        return False
    if UNIT_SUFFIX.search(base):
        return True
    # collectives: 各区、县级市 / 各有关部门和单位 — short, or ending like a unit (checked above)
    return len(name) <= 12 and (name.startswith("各") or "有关部门" in name or "有关单位" in name)


def _bare_level(name: str) -> bool:
    """A level without a body: 区, 县级市, 自治区 (not 区政府, 园区管委会)."""
    match = _LEVEL.match(name)
    return match is not None and match.group(1) is None


def _merge_levels(names: list[str]) -> list[str]:
    """``各区`` + ``县级市`` -> ``各区、县级市``: 各 distributes over a list of bare levels, the
    last of which may name the body (``各省、自治区、直辖市人民政府``, ``各县、市、区政府``)."""
    out: list[str] = []
    open_collective = False
    for name in names:
        if out and open_collective and _LEVEL.match(name):
            out[-1] = out[-1] + "、" + name
            open_collective = _bare_level(name)
            continue
        out.append(name)
        open_collective = name.startswith("各") and _bare_level(_EACH_PREFIX.sub("", name))
    return out


_ROLE_MARK = re.compile(r"[（(]\s*(牵头|主办|主责|配合|协办|参与|协助|牵头单位|配合单位|责任单位)\s*[）)]$")


def _role_mark(name: str) -> tuple[str, str | None]:
    """``市委组织部（牵头）`` -> (``市委组织部``, ``lead``): a role written in brackets after the name."""
    match = _ROLE_MARK.search(name)
    if not match:
        return name, None
    return name[: match.start()], label_role(match.group(1))


def split_names(text: str, role: str) -> list[tuple[str, str]]:
    """Names of one ``、`` list (verbs already stripped) with their role hints."""
    pieces: list[str] = []
    for piece in split_top(text, "、"):
        # "B等和各有关省级人民政府" / "A及各县市区政府": two names
        pieces.extend(p for p in _AND_EACH.split(piece) if p)
    result: list[tuple[str, str]] = []
    for piece in _merge_levels([p.strip() for p in pieces if p.strip()]):
        read = _read_piece(piece) if len(piece) <= _PIECE_MEMO_LENGTH else _read_piece.__wrapped__(piece)
        result.extend((name, own_role or role) for name, own_role in read)
    return result


_PIECE_MEMO_LENGTH = 64  # pieces up to this long are remembered (unit names recur across clauses)


@lru_cache(maxsize=4096)
def _read_piece(piece: str) -> tuple[tuple[str, str | None], ...]:
    """The names one piece of a list gives, each with the role its own words give it (None: the list's)."""
    piece, mark_role = _role_mark(piece)
    piece_text, piece_role = strip_verbs(clean(piece))
    piece_role = mark_role or piece_role
    own_role = piece_role if piece_role in ("lead", "support") else None
    with_match = _WITH.search(piece_text)
    if with_match and with_match.start() > 0:
        head, tail = piece_text[: with_match.start()], piece_text[with_match.end() :]
        tail = clean(tail)
        if tail and not _GENERIC.match(tail):
            return ((clean(head), own_role), (tail, "support"))
        return ((clean(head), own_role),)
    name = clean(piece_text)
    if name and not _GENERIC.match(name):
        return ((name, own_role),)
    return ()
