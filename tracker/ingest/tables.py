"""Task tables (任务分解表): pipe tables whose header names a task column and a unit column.

``| 序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限 |`` — each data row becomes a
measure. HTML tables arrive here too: the text step writes their cells as ``|``-separated
rows; Word tables come as Markdown pipe tables.

* Unit columns: any header naming units — 牵头单位/牵头部门/主办单位 lead; 配合单位/参与单位/
  协办单位 support; 责任单位/负责部门/责任部门/指导部门/实施主体 follow the order (the first
  listed unit leads). Not unit columns: scopes (推广范围, 适用范围), divisions inside one unit
  (``…内牵头处室``), people (牵头领导, 责任人).
* A cell of ``/`` ``—`` ``无`` names no unit; co-leads share a cell (``各区政府、市卫生健康委``);
  a cell may carry its own labels (``牵头：A；配合：B``).
* One numbered item may span several rows (merged cells): a row with empty 序号 and 事项 cells
  (or the same ones again: a Word merge repeats them) continues the item above; each row is its own measure, coded ``T<序号>-1``, ``T<序号>-2``…
  (``T<序号>`` when the item has one row). A row whose unit cells are all empty inherits the
  units of the row above in the same item (a merged unit cell); likewise its 完成时限.
  An HTML row with fewer cells than the header lost its leading cells to ``rowspan``.
* A row with one distinct text and no units (``一、知识产权保护方面（共5项）``) is a section:
  the rows below belong to that chapter.
* Warnings (with the line): a table with a task column whose unit column cannot be identified,
  a unit cell that cannot be split into unit names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.ingest.clauses import parse_clause
from tracker.ingest.model import ParseWarning
from tracker.ingest.names import LABEL, label_role, looks_like_unit, split_names, split_top, strip_verbs
from tracker.ingest.outline import match_marker
from tracker.ingest.text import Paragraph

_TASK = re.compile(r"任务|措施|内容|事项|举措|工作要求|具体工作|工作|项目|要点")
_UNIT_WORDS = re.compile(r"单位|部门|主体|机构|牵头|主办|协办|配合|参与|责任|负责")
_NOT_UNIT_COLUMN = re.compile(r"处室|科室|股室|内设|内牵头|内配合|范围|领导|责任人|联系人|人员|时限|时间|节点")
_DUE = re.compile(r"时限|完成时间|时间节点|节点|进度|期限|时间安排|完成时间")
_NUMBER = re.compile(r"^(?:序号|编号|号|序|项次)$")
_SEPARATOR_CELL = re.compile(r":?-{2,}:?|")
_NO_UNIT = {"/", "／", "—", "——", "-", "--", "－", "无", "暂无", "空", "\\"}
_SECTION_COUNT = re.compile(r"[（(]\s*共?\s*\d+\s*[项条个]\s*[）)]\s*$")
_BREAK = re.compile(r"<br\s*/?>", re.IGNORECASE)


@dataclass
class TableRow:
    code: str
    text: str
    line: int
    names: list[tuple[str, str]] | None = field(default_factory=list)  # None: marked as no unit
    due_text: str = ""
    title: str = ""
    chapter_code: str = ""
    chapter: str = ""


@dataclass
class _Columns:
    number: int | None
    item: int | None
    task: int
    due: int | None
    units: list[tuple[int, str]]  # (column, role), lead columns first


def _cells(text: str) -> list[str]:
    inner = text.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [re.sub(r"[\s\u3000]+", "", c) if len(c) < 40 else c.strip() for c in inner.split("|")]


def is_row(para: Paragraph) -> bool:
    return para.text.startswith("|") and para.text.count("|") >= 2


def extract_tables(paragraphs: list[Paragraph]) -> tuple[list[TableRow], list[Paragraph], list[ParseWarning]]:
    """Return the task rows, the paragraphs that are not part of a task table, and warnings."""
    rows: list[TableRow] = []
    rest: list[Paragraph] = []
    warnings: list[ParseWarning] = []
    index = 0
    while index < len(paragraphs):
        if not is_row(paragraphs[index]):
            rest.append(paragraphs[index])
            index += 1
            continue
        end = index
        while end < len(paragraphs) and is_row(paragraphs[end]):
            end += 1
        block = paragraphs[index:end]
        found = _read_table(block, warnings)
        if found is None:
            rest.extend(block)
        else:
            rows.extend(found)
        index = end
    return rows, rest, warnings


def _columns(header: list[str]) -> tuple[_Columns | None, bool]:
    """The columns of a task table, and whether the header looked like one whose units were lost."""
    number = due = None
    units: list[tuple[int, str]] = []
    tasks: list[int] = []
    unit_like = False
    for k, cell in enumerate(header):
        if not cell:
            continue
        if number is None and _NUMBER.match(cell):
            number = k
        elif _UNIT_WORDS.search(cell) and not _NOT_UNIT_COLUMN.search(cell) and not _TASK.search(cell.replace("工作", "")):
            role = label_role(cell)
            if role is not None:
                units.append((k, role))
        elif due is None and _DUE.search(cell):
            due = k
        elif _TASK.search(cell) and "范围" not in cell:
            tasks.append(k)
        if _UNIT_WORDS.search(cell):
            unit_like = True
    if not tasks:
        return None, False
    if not units:
        return None, unit_like
    first_unit = min(k for k, _r in units)
    before = [k for k in tasks if k < first_unit] or tasks
    task = before[-1]
    item = before[0] if len(before) > 1 else None
    order = {"lead": 0, "auto": 1, "support": 2}
    units.sort(key=lambda c: (order[c[1]], c[0]))
    return _Columns(number, item, task, due, units), False


def _unit_names(cell: str, role: str, line: int, warnings: list[ParseWarning]) -> list[tuple[str, str]] | None:
    """Names in a unit cell; None when the cell says there is none (``/``, ``无``)."""
    cell = _BREAK.sub("、", cell).strip()
    if cell in _NO_UNIT:
        return None
    if not cell:
        return []
    if LABEL.search(cell):
        parsed = parse_clause(cell)
        if parsed:
            return parsed
    names: list[tuple[str, str]] = []
    for part in split_top(cell, "，,；;"):
        body, verb_role = strip_verbs(part.strip())
        names.extend(split_names(body, verb_role if verb_role in ("lead", "support") else role))
    good = [(n, r) for n, r in names if looks_like_unit(n)]
    if len(good) != len(names) or not names:
        bad = "、".join(n for n, _r in names if not looks_like_unit(n)) or cell
        warnings.append(ParseWarning(line, f"表格单元格中无法分出责任单位：{bad[:40]}"))
    return good


def _read_table(block: list[Paragraph], warnings: list[ParseWarning]) -> list[TableRow] | None:
    columns = None
    start = 0
    for k, para in enumerate(block[:3]):
        columns, lost = _columns(_cells(para.text))
        if columns is not None:
            start = k + 1
            break
        if lost:
            warnings.append(ParseWarning(para.line, "表格的责任单位列无法识别，表格内容按正文读取"))
            return None
    if columns is None:
        return None
    width = len(_cells(block[start - 1].text))
    start = _second_header_row(block, start, columns)

    raw: list[tuple[str, bool, TableRow]] = []  # (item number, continues the item above, row)
    chapter_code = chapter = ""
    item_number = item_text = last_number = last_item = ""
    previous: TableRow | None = None
    for para in block[start:]:
        cells = _cells(para.text)
        if all(_SEPARATOR_CELL.fullmatch(c) for c in cells):
            continue
        if len(cells) < width:  # leading cells merged away by rowspan
            cells = [""] * (width - len(cells)) + cells

        def cell(col: int | None) -> str:
            return cells[col] if col is not None and col < len(cells) else ""

        distinct = {c for c in cells if c}
        unit_cells = [cell(col) for col, _r in columns.units]
        # a section row: one text, alone or repeated across the row by a merge
        if len(distinct) == 1 and _is_section(next(iter(distinct)), cells):
            title = distinct.pop()
            marker = match_marker(title)
            chapter_code = marker.piece if marker is not None else ""
            chapter = _SECTION_COUNT.sub("", title[marker.end :] if marker is not None else title).strip()
            continue
        number, item, text = cell(columns.number), cell(columns.item), cell(columns.task)
        # an item over several rows: its 序号/事项 cells left empty, or repeated by a vertical merge
        continuation = bool(raw) and (
            (not number and not item) or (number == last_number and item == last_item and bool(number or item))
        )
        last_number, last_item = number, item
        if not continuation:
            item_number = number if number and len(number) <= 8 else ""
            item_text = item
        if not text:
            text = item_text
        if not text and not any(unit_cells):
            continue
        names: list[tuple[str, str]] | None = []
        explicit_none = False
        for col, role in columns.units:
            found = _unit_names(cell(col), role, para.line, warnings)
            if found is None:
                explicit_none = True
            else:
                names.extend(found)
        due_text = cell(columns.due)
        if continuation and previous is not None and not any(unit_cells):
            names = list(previous.names or [])
            explicit_none = previous.names is None
        if continuation and previous is not None and not due_text:
            due_text = previous.due_text
        row = TableRow(
            "", text, para.line, names if names or not explicit_none else None, due_text,
            _short(item_text) if item_text and item_text != text else "", chapter_code, chapter,
        )
        raw.append((item_number, continuation, row))
        previous = row

    # codes: T<序号>, or T<序号>-k for an item spanning several rows, or T<row> without numbers
    groups: list[int] = []
    for _number, continuation, _row in raw:
        groups.append(groups[-1] if continuation and groups else (groups[-1] + 1 if groups else 0))
    sizes = _counts(groups)
    seen: dict[int, int] = {}
    for (number, _continuation, row), g in zip(raw, groups):
        seen[g] = seen.get(g, 0) + 1
        base = f"T{number}" if number else f"T{g + 1}"
        row.code = base if sizes[g] == 1 else f"{base}-{seen[g]}"
    return [row for _n, _c, row in raw]


def _counts(values: list[int]) -> dict[int, int]:
    out: dict[int, int] = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return out


_ROLE_WORD = re.compile(r"^(?:牵头|主办|主责|配合|协办|参与|协同|责任|负责)(?:单位|部门)?$")


def _second_header_row(block: list[Paragraph], start: int, columns: _Columns) -> int:
    """``责任单位`` spanning ``牵头 | 配合`` in the row below: take the roles, skip the row."""
    found = [k for k in range(start, min(start + 2, len(block)))
             if not all(_SEPARATOR_CELL.fullmatch(c) for c in _cells(block[k].text))]
    if not found:
        return start
    cells = _cells(block[found[0]].text)
    words = {col: cells[col] for col, _r in columns.units if col < len(cells)}
    if not words or not all(_ROLE_WORD.match(w) for w in words.values()):
        return start
    if any(cells[k] for k in range(len(cells)) if k not in words):
        return start
    order = {"lead": 0, "auto": 1, "support": 2}
    columns.units = sorted(((col, label_role(words[col]) or role) for col, role in columns.units), key=lambda c: (order[c[1]], c[0]))
    return found[0] + 1


def _is_section(text: str, cells: list[str]) -> bool:
    """``一、知识产权保护方面（共5项）`` across the row, not a continuation row's lone content cell."""
    marker = match_marker(text)
    if marker is not None and marker.rank <= 1:
        return True
    return bool(_SECTION_COUNT.search(text)) or (cells[0] == text and not text[:1].isdigit())


def _short(text: str, limit: int = 30) -> str:
    match = re.search(r"[。；;，,：:！!？?（(]", text[: limit * 4])
    if match and match.start() > 0:
        text = text[: match.start()]
    return text[:limit]
