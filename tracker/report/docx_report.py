"""The status report as a Word document, for the coordinator to send on unchanged.

It is the markdown report (:func:`tracker.report.markdown.render_report`) set in Word:
``#`` headings become Word headings (黑体), paragraphs 仿宋, GFM tables real Word tables
with a bold header row. Building it from the markdown keeps the two reports the same
report; the markdown's backslash escapes are undone, so names and notes read as stored.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from tracker.config import Config
from tracker.store.filters import TaskFilter

_ESCAPED = re.compile(r"\\([\\`*_\[\]<>|~!#&])")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")  # escaped pipes belong to the cell
_ALIGN_ROW = re.compile(r"^\|(?:\s*:?-{3,}:?\s*\|)+\s*$")

BODY_FONT = "仿宋"
HEADING_FONT = "黑体"


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:]
    if inner.endswith("|") and not inner.endswith("\\|"):
        inner = inner[:-1]
    return [_unescape(c.strip()) for c in _CELL_SPLIT.split(inner)]


def _set_font(style_or_run, name: str, size_pt: float | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = style_or_run.font
    font.name = name
    if size_pt:
        font.size = Pt(size_pt)
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def markdown_to_docx(markdown: str):
    """A python-docx Document holding the report's headings, paragraphs and tables."""
    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT

    document = Document()
    _set_font(document.styles["Normal"], BODY_FONT, 12)
    for level in (1, 2, 3):
        style = document.styles[f"Heading {level}"]
        _set_font(style, HEADING_FONT, {1: 18, 2: 15, 3: 13}[level])
    lines = markdown.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if not stripped:
            index += 1
            continue
        heading = re.match(r"^(#{1,6})\s+(.*)$", stripped)
        if heading:
            level = len(heading.group(1))
            if level == 1:
                document.add_heading(_unescape(heading.group(2)), level=0)
            else:
                document.add_heading(_unescape(heading.group(2)), level=min(level - 1, 3))
            index += 1
            continue
        if stripped.startswith("|"):
            block: list[str] = []
            while index < len(lines) and lines[index].strip().startswith("|"):
                block.append(lines[index])
                index += 1
            rows = [_cells(b) for b in block if not _ALIGN_ROW.match(b.strip())]
            width = max(len(r) for r in rows)
            table = document.add_table(rows=len(rows), cols=width)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            for r, row in enumerate(rows):
                for c, value in enumerate(row):
                    cell = table.cell(r, c)
                    cell.text = value
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            continue
        bullet = re.match(r"^[-*]\s+(.*)$", stripped)
        if bullet:
            document.add_paragraph(_unescape(bullet.group(1)), style="List Bullet")
        else:
            document.add_paragraph(_unescape(stripped))
        index += 1
    return document


def write_docx_report(conn, flt: TaskFilter, today: date, config: Config, path: str | Path, *, by: str = "measure",
                      period=None) -> Path:  # noqa: ANN001 - period: tracker.cycle.Period, adds 本期进展
    from tracker.report.markdown import render_report

    document = markdown_to_docx(render_report(conn, flt, today, config, by=by, period=period))
    target = Path(path)
    document.save(str(target))
    return target
