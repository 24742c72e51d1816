"""Word (.docx) -> the text the parser reads.

The body is read straight from ``word/document.xml`` with the standard library: one line
per paragraph, Word's list numbering written out (see :mod:`.numbering`), headings
(Heading styles or an outline level) marked ``#``, and tables as Markdown pipe tables.
Headers, footers, footnotes, comments and deleted revisions are not part of the body and
are not read; the 抄送/印发 block that closes a 公文 is dropped.

Tables: a cell spanning columns (``gridSpan``) keeps the columns after it in place; a
cell merged down (``vMerge``) repeats the text of the cell it continues, so a task over
several rows is read like its Markdown twin. A first row that is one cell across the
table (a caption such as ``附件：任务分工表``) is written as a paragraph, and a header
split over two rows (``责任单位`` over ``牵头单位 | 配合单位``) is merged into one.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from tracker.ingest.formats.numbering import Numbering, W
from tracker.ingest.model import IngestError

_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP = {f"{W}{tag}" for tag in ("del", "delText", "instrText", "txbxContent", "footnoteReference",
                                 "endnoteReference", "commentReference", "rPr", "pPr", "sectPr")} | {_MC_FALLBACK}
_CLOSING = re.compile(r"^\s*(?:抄送|抄报|分送|发送)\s*[：:]")
_TERMINAL = "。；;：:！!？?，,、）)"


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes | None:
    try:
        return archive.read(name)
    except KeyError:
        return None


class _Styles:
    """Paragraph styles: numbering and outline level inherited through ``basedOn``."""

    def __init__(self, xml: bytes | None):
        self.styles: dict[str, ET.Element] = {}
        if xml:
            for style in ET.fromstring(xml).iter(f"{W}style"):
                if style.get(f"{W}type") == "paragraph":
                    self.styles[style.get(f"{W}styleId", "")] = style

    def _chain(self, style_id: str):
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            style = self.styles[style_id]
            yield style
            based = style.find(f"{W}basedOn")
            style_id = based.get(f"{W}val", "") if based is not None else ""

    def numbering(self, style_id: str) -> tuple[str | None, int | None]:
        num_id = ilvl = None
        for style in self._chain(style_id):
            num_pr = style.find(f"{W}pPr/{W}numPr")
            if num_pr is not None:
                if num_id is None and num_pr.find(f"{W}numId") is not None:
                    num_id = num_pr.find(f"{W}numId").get(f"{W}val")
                if ilvl is None and num_pr.find(f"{W}ilvl") is not None:
                    ilvl = int(num_pr.find(f"{W}ilvl").get(f"{W}val", "0"))
        return num_id, ilvl

    def heading_level(self, style_id: str) -> int | None:
        for style in self._chain(style_id):
            outline = style.find(f"{W}pPr/{W}outlineLvl")
            if outline is not None:
                value = outline.get(f"{W}val", "9")
                return int(value) + 1 if value.isdigit() and int(value) < 9 else None
            name = style.find(f"{W}name")
            name_value = (name.get(f"{W}val", "") if name is not None else "").lower()
            match = re.fullmatch(r"heading\s*([1-9])", name_value)
            if match:
                return int(match.group(1))
            if name_value == "title":
                return 1
        return None


class _Reader:
    def __init__(self, numbering: Numbering, styles: _Styles):
        self.numbering = numbering
        self.styles = styles
        self.lines: list[str] = []

    # -- paragraphs --------------------------------------------------------------

    def _runs_text(self, element: ET.Element, out: list[str]) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP:
                continue
            if tag == f"{W}t":
                out.append(child.text or "")
            elif tag in (f"{W}tab", f"{W}ptab"):
                out.append(" ")
            elif tag in (f"{W}br", f"{W}cr"):
                if child.get(f"{W}type") not in ("page", "column"):
                    out.append("\n")
            elif tag == f"{W}noBreakHyphen":
                out.append("-")
            elif tag == f"{W}sym":
                char = child.get(f"{W}char", "")
                try:
                    out.append(chr(int(char, 16)) if char else "")
                except ValueError:
                    pass
            else:
                self._runs_text(child, out)

    def paragraph(self, p: ET.Element) -> tuple[str, int | None]:
        """The paragraph's text with its list number, and its heading level (or None)."""
        parts: list[str] = []
        self._runs_text(p, parts)
        text = "".join(parts)
        ppr = p.find(f"{W}pPr")
        style_id = ""
        num_id = ilvl = None
        heading = None
        if ppr is not None:
            style = ppr.find(f"{W}pStyle")
            style_id = style.get(f"{W}val", "") if style is not None else ""
            num_pr = ppr.find(f"{W}numPr")
            if num_pr is not None:
                if num_pr.find(f"{W}numId") is not None:
                    num_id = num_pr.find(f"{W}numId").get(f"{W}val")
                if num_pr.find(f"{W}ilvl") is not None:
                    ilvl = int(num_pr.find(f"{W}ilvl").get(f"{W}val", "0"))
            outline = ppr.find(f"{W}outlineLvl")
            if outline is not None and outline.get(f"{W}val", "9").isdigit() and int(outline.get(f"{W}val", "9")) < 9:
                heading = int(outline.get(f"{W}val")) + 1
        if style_id:
            style_num, style_ilvl = self.styles.numbering(style_id)
            num_id = num_id if num_id is not None else style_num
            ilvl = ilvl if ilvl is not None else style_ilvl
            if heading is None:
                heading = self.styles.heading_level(style_id)
        if num_id is not None and text.strip():
            label = self.numbering.label(num_id, ilvl or 0)
            if label:
                stripped = text.lstrip()
                glue = "" if label[-1] in "、.．)）:：" or not stripped[:1].isascii() else " "
                text = label + glue + stripped
        return text, heading

    # -- tables ----------------------------------------------------------------

    def _cell_text(self, tc: ET.Element) -> str:
        pieces: list[str] = []
        for child in tc:
            if child.tag == f"{W}p":
                text, _ = self.paragraph(child)
            elif child.tag == f"{W}tbl":
                text = "；".join(" ".join(row) for row in self._grid(child))
            elif child.tag == f"{W}sdt":
                text = self._cell_text(child.find(f"{W}sdtContent") or ET.Element("x"))
            else:
                continue
            for line in text.split("\n"):
                line = line.strip().strip("\u3000")
                if not line:
                    continue
                if pieces and pieces[-1][-1] not in _TERMINAL:
                    pieces.append("；")
                pieces.append(line)
        return "".join(pieces).replace("|", "｜")

    def _grid(self, tbl: ET.Element) -> list[list[str]]:
        """Rows of cell texts on the table grid; merged cells continued (see the module doc)."""
        rows: list[list[str]] = []
        spans: list[list[int]] = []  # per row, per grid column: width of the cell starting there (0 inside a span)
        for tr in tbl.findall(f"{W}tr"):
            row: list[str] = []
            widths: list[int] = []
            before = tr.find(f"{W}trPr/{W}gridBefore")
            for _ in range(int(before.get(f"{W}val", "0")) if before is not None else 0):
                row.append("")
                widths.append(1)
            cells = []
            for child in tr:
                if child.tag == f"{W}tc":
                    cells.append(child)
                elif child.tag == f"{W}sdt":
                    cells.extend(child.iter(f"{W}tc"))
            for tc in cells:
                tcpr = tc.find(f"{W}tcPr")
                span_el = tcpr.find(f"{W}gridSpan") if tcpr is not None else None
                span = max(1, int(span_el.get(f"{W}val", "1"))) if span_el is not None else 1
                vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
                column = len(row)
                if vmerge is not None and vmerge.get(f"{W}val", "continue") == "continue" and rows:
                    above = rows[-1]
                    text = above[column] if column < len(above) else ""
                else:
                    text = self._cell_text(tc)
                row.append(text)
                widths.append(span)
                for _ in range(span - 1):
                    row.append("")
                    widths.append(0)
            rows.append(row)
            spans.append(widths)
        self._last_spans = spans
        return rows

    def table(self, tbl: ET.Element) -> None:
        grid = self._grid(tbl)
        kept = [(r, s) for r, s in zip(grid, self._last_spans) if any(c.strip() for c in r)]
        width = max((len(r) for r, _ in kept), default=0)
        if width == 0:
            return
        # Captions: leading rows that are one cell across the whole table.
        while len(kept) > 1 and width > 1 and kept[0][1][:1] == [width]:
            self.lines.append(kept[0][0][0])
            kept.pop(0)
        header = kept[0][0] + [""] * (width - len(kept[0][0]))
        top_spans = kept[0][1]
        body = [r for r, _ in kept[1:]]
        under_spans = [j for k, w in enumerate(top_spans) if w > 1 for j in range(k, min(k + w, width))]
        if under_spans and body and all(0 < len(body[0][j].strip()) <= 12 for j in under_spans if j < len(body[0])):
            # Two-row header: the spanning top cell names the short column titles below it.
            for k, w in enumerate(top_spans):
                for j in range(k + 1, min(k + w, width)):
                    header[j] = header[k]
            second = body[0] + [""] * (width - len(body[0]))
            header = [h if not s or s == h else h + s for h, s in zip(header, second)]
            body = body[1:]
        self.lines.append("| " + " | ".join(header) + " |")
        self.lines.append("|" + " --- |" * width)
        for row in body:
            row = row + [""] * (width - len(row))
            self.lines.append("| " + " | ".join(row) + " |")
        self.lines.append("")

    # -- body ------------------------------------------------------------------

    def block(self, element: ET.Element) -> None:
        for child in element:
            if child.tag == f"{W}p":
                text, heading = self.paragraph(child)
                for k, line in enumerate(text.split("\n")):
                    if not line.strip():
                        continue
                    marker = "#" * min(heading, 6) + " " if heading and k == 0 else ""
                    self.lines.append(marker + line)
            elif child.tag == f"{W}tbl":
                self.lines.append("")
                self.table(child)
            elif child.tag in (f"{W}sdt",):
                content = child.find(f"{W}sdtContent")
                if content is not None:
                    self.block(content)
            elif child.tag in (f"{W}customXml", f"{W}ins", f"{W}smartTag"):
                self.block(child)


def _drop_closing_block(lines: list[str]) -> list[str]:
    """Drop the 抄送 block and the 印发 line after it (the last third of the document only)."""
    start = len(lines) * 2 // 3
    for index in range(start, len(lines)):
        if _CLOSING.match(lines[index].lstrip("# ")):
            return lines[:index]
    return lines


def docx_text(data: bytes, path: str) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise IngestError(path, f"Word 文件已损坏，无法打开（{exc}）") from None
    with archive:
        names = {n.lower(): n for n in archive.namelist()}
        document = _read_part(archive, names.get("word/document.xml", "word/document.xml"))
        if document is None:
            raise IngestError(path, "Word 文件中没有正文部分（word/document.xml）")
        numbering = _read_part(archive, names.get("word/numbering.xml", "word/numbering.xml"))
        styles = _read_part(archive, names.get("word/styles.xml", "word/styles.xml"))
    try:
        root = ET.fromstring(document)
        reader = _Reader(Numbering.parse(numbering), _Styles(styles))
    except ET.ParseError as exc:
        raise IngestError(path, f"Word 文件的内容无法解析（{exc}）") from None
    body = root.find(f"{W}body")
    if body is None:
        raise IngestError(path, "Word 文件中没有正文")
    reader.block(body)
    return "\n".join(_drop_closing_block(reader.lines)) + "\n"
