"""Excel 任务分解表 (.xlsx, and .et/.xls saved as .xlsx) -> the text the parser reads.

A sheet is a task table when one of its first rows names a task column (任务, 措施, 工作事项…)
and a unit column (牵头单位, 责任单位, 配合单位); a header split over two rows (``责任单位``
over ``牵头单位 | 配合单位``) counts as one. Each such sheet becomes a Markdown pipe table
(rows above the header, such as the workbook's title, become paragraphs); its rows become
measures through :mod:`tracker.ingest.tables`. A cell merged down repeats its value in
every row it covers. Sheets without such a header are not read. With several task sheets,
each is a chapter named after its title (see :class:`Section`).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from tracker.ingest.formats.numbering import chinese_number
from tracker.ingest.model import IngestError, ParsedDocument, ParseWarning

_TASK = re.compile(r"任务|措施|工作事项|事项|内容|举措|工作要求")
_UNIT = re.compile(r"牵头单位|牵头部门|责任单位|责任部门|配合单位|配合部门|负责单位|主责单位|牵头|责任主体|实施单位")
_UNIT_TITLE = re.compile(r"^(?:牵头|责任|配合|协办|参与|负责|主责|实施)(?:单位|部门)$")
_TERMINAL = "。；;：:！!？?，,、）)"
_HEADER_SCAN = 12  # header row within the first rows of a sheet


@dataclass
class Section:
    """Lines ``first``..``last`` (1-based, inclusive) of the text come from one sheet."""

    first: int
    last: int
    title: str


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if (value.hour, value.minute, value.second) == (0, 0, 0) else value
    if isinstance(value, date) and not isinstance(value, datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    pieces: list[str] = []
    for line in text.split("\n"):
        line = line.strip().strip("\u3000")
        if not line:
            continue
        if pieces and pieces[-1][-1] not in _TERMINAL:
            pieces.append("；")
        pieces.append(line)
    return "".join(pieces).replace("|", "｜")


def _grid(sheet) -> tuple[list[list[str]], set[tuple[int, int, str]]]:
    """Cell texts, and (row, column, value) for each cell inside a merged range's width."""
    rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    width = max((len(r) for r in rows), default=0)
    rows = [r + [""] * (width - len(r)) for r in rows]
    spans: set[tuple[int, int, str]] = set()
    # Merged ranges: the value sits in the top-left cell; continue it down every row the
    # range covers (columns to the right stay empty, so rows keep their shape).
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        if top >= len(rows) or left >= width:
            continue
        value = rows[top][left]
        for r in range(top + 1, min(merged.max_row, len(rows))):
            rows[r][left] = value
        for c in range(left + 1, min(merged.max_col, width)):
            spans.add((top, c, value))
    return rows, spans


def _find_header(rows: list[list[str]], spans: set[tuple[int, int, str]]) -> tuple[int, int, list[str]] | None:
    """(first header row, rows it takes, column titles) or None."""
    for r in range(min(_HEADER_SCAN, len(rows))):
        if sum(1 for c in rows[r] if c) < 2:
            continue  # a title row, even one merged across the table
        header = list(rows[r])
        for row_index, col, value in spans:  # a title spanning columns names each of them
            if row_index == r:
                header[col] = value
        taken = 1
        if r + 1 < len(rows) and any(_UNIT_TITLE.match(c) for c in rows[r + 1]):
            below = rows[r + 1]
            if not any(len(c) > 20 for c in below):
                header = [h if not b or b == h else h + b for h, b in zip(header, below)]
                taken = 2
        joined = [c for c in header if c]
        if any(_TASK.search(c) for c in joined) and any(_UNIT.search(c) for c in joined):
            return r, taken, header
    return None


def xlsx_text(data: bytes, path: str) -> tuple[str, list[Section]]:
    try:
        import openpyxl
    except ImportError:  # pragma: no cover - a dependency of the default install
        raise IngestError(path, "读取 Excel 需要 openpyxl：pip install openpyxl") from None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise IngestError(path, f"Excel 文件已损坏或已加密，无法打开（{type(exc).__name__}）") from None
    lines: list[str] = []
    sections: list[Section] = []
    heads_seen: set[str] = set()
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state != "visible":
                continue
            rows, spans = _grid(sheet)
            found = _find_header(rows, spans)
            if found is None:
                continue
            start, taken, header = found
            title = ""
            for row in rows[:start]:
                text = "".join(dict.fromkeys(c for c in row if c))  # a merged title repeats
                if text and text not in heads_seen:
                    heads_seen.add(text)
                    lines.append(text)
                title = title or text
            first = len(lines) + 1
            lines.append(f"# {sheet.title}")
            lines.append("| " + " | ".join(header) + " |")
            lines.append("|" + " --- |" * len(header))
            for row in rows[start + taken :]:
                if any(row):
                    lines.append("| " + " | ".join(row) + " |")
            sections.append(Section(first, len(lines), sheet.title))
            lines.append("")
    finally:
        workbook.close()
    if not sections:
        raise IngestError(
            path, "Excel 文件中没有任务分解表：找不到同时含“任务/措施/工作事项”和“牵头单位/责任单位/配合单位”列的表头行"
        )
    return "\n".join(lines) + "\n", sections


def apply_sheets(doc: ParsedDocument, sections: list[Section], path: str) -> None:
    """Workbook sheets: each task sheet is a chapter, its rows coded ``<chapter>T<序号>``."""
    titles = {s.title for s in sections}
    if doc.title in titles:
        doc.title = Path(path).stem
    if len(sections) < 2:
        return
    renamed: set[str] = set()
    for measure in doc.measures:
        for k, section in enumerate(sections, start=1):
            if section.first <= measure.line <= section.last:
                chapter = chinese_number(k)
                renamed.add(measure.code)
                measure.chapter_code, measure.chapter = chapter, section.title
                measure.code = chapter + measure.code.split("#")[0]
                break
    doc.warnings = [w for w in doc.warnings if not any(f"改记为 {code}）" in w.message for code in renamed)]
    seen: dict[str, int] = {}
    for measure in doc.measures:
        count = seen.get(measure.code, 0) + 1
        seen[measure.code] = count
        if count > 1:
            new = f"{measure.code}#{count}"
            doc.warnings.append(ParseWarning(measure.line, f"措施编号 {measure.code} 重复（改记为 {new}）"))
            measure.code = new
    doc.warnings.sort(key=lambda w: w.line)
