"""Task tables (任务分解表): pipe tables whose header names a task column and a unit column.

``| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |`` — each data row becomes a measure coded
``T<序号>`` (or ``T<row>`` without a number column). Units in a 牵头 column lead, units in a
配合 column support, units in a 责任单位 column follow the usual rule (first listed leads).
HTML tables arrive here too: the text step writes their cells as ``|``-separated rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracker.ingest.clauses import split_top
from tracker.ingest.text import Paragraph

_TASK = re.compile(r"任务|措施|内容|事项|举措|工作要求|具体工作")
_LEAD = re.compile(r"牵头单位|牵头部门|主责单位|主责部门|牵头")
_AUTO = re.compile(r"责任单位|责任部门|负责单位|实施单位|责任主体")
_SUPPORT = re.compile(r"配合|协办|参与|协同")
_DUE = re.compile(r"时限|时间|进度|节点|期限")
_NUMBER = re.compile(r"序号|编号|^号$")


@dataclass
class TableRow:
    code: str
    text: str
    line: int
    names: list[tuple[str, str]] = field(default_factory=list)
    due_text: str = ""


def _cells(text: str) -> list[str]:
    inner = text.strip()
    if inner.startswith("|"):
        inner = inner[1:]
    if inner.endswith("|"):
        inner = inner[:-1]
    return [c.strip() for c in inner.split("|")]


def is_row(para: Paragraph) -> bool:
    return para.text.startswith("|") and para.text.count("|") >= 2


def extract_tables(paragraphs: list[Paragraph]) -> tuple[list[TableRow], list[Paragraph]]:
    """Return the task rows and the paragraphs that are not part of a task table."""
    rows: list[TableRow] = []
    rest: list[Paragraph] = []
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
        found = _read_table(block)
        if found is None:
            rest.extend(block)
        else:
            rows.extend(found)
        index = end
    return rows, rest


def _column(header: list[str], pattern: re.Pattern[str], skip: set[int]) -> int | None:
    for k, cell in enumerate(header):
        if k not in skip and pattern.search(cell):
            return k
    return None


def _read_table(block: list[Paragraph]) -> list[TableRow] | None:
    header = _cells(block[0].text)
    used: set[int] = set()
    number = _column(header, _NUMBER, used)
    if number is not None:
        used.add(number)
    support = _column(header, _SUPPORT, used)
    if support is not None:
        used.add(support)
    lead = _column(header, _LEAD, used)
    if lead is not None:
        used.add(lead)
    auto = _column(header, _AUTO, used) if lead is None else None
    if auto is not None:
        used.add(auto)
    due = _column(header, _DUE, used)
    if due is not None:
        used.add(due)
    task = _column(header, _TASK, used)
    if task is None or (lead is None and auto is None):
        return None
    rows: list[TableRow] = []
    for k, para in enumerate(block[1:], start=1):
        cells = _cells(para.text)
        if all(re.fullmatch(r":?-{2,}:?|", c) for c in cells):
            continue
        if len(cells) <= task:
            continue

        def cell(col: int | None) -> str:
            return cells[col] if col is not None and col < len(cells) else ""

        text = cell(task)
        if not text:
            continue
        num = cell(number)
        code = f"T{num}" if num and len(num) <= 8 else f"T{len(rows) + 1}"
        names: list[tuple[str, str]] = []
        for col, role in ((lead, "lead"), (auto, "auto"), (support, "support")):
            for name in split_top(cell(col)):
                if name.strip():
                    names.append((name.strip(), role))
        rows.append(TableRow(code, text, para.line, names, cell(due)))
    return rows
