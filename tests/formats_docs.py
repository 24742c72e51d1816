"""Documents for the format tests, built with the same libraries the readers use:
a Word 实施意见 with Word list numbering and a merged-cell table, its plain-text twin,
an Excel 任务分解表, and small PDFs (a text layer with a CJK font map, and a scan)."""

from __future__ import annotations

import io
import zlib

# -- the document, as text ------------------------------------------------------------

TITLE = "青浦区人民政府关于做好稳就业工作的实施意见"
DOC_NUMBER = "青府规发〔2022〕4号"
CHAPTERS = [
    ("总体要求", [("指导思想", ["坚持以人民为中心，全力稳定就业大局。"])]),
    (
        "主要措施",
        [
            ("加大纾困减负力度", ["落实减税降费政策，2022年底前完成稳岗返还不少于2亿元。（责任单位：区人社局、区财政局、各街镇）"]),
            ("扩大就业容量", ["开发公益性岗位不少于910个（牵头单位：区人社局，配合单位：区民政局、区财政局）"]),
        ],
    ),
]
TABLE_CAPTION = "附件：重点任务分工表"
# 序号, 任务, 牵头单位, 配合单位, 完成时限 — 区人社局 leads two rows (merged down in Word/Excel).
TABLE_ROWS = [
    ("1", "开展专项招聘|线上线下同步", "区人社局", "区教育局、区财政局", "2022年12月31日前"),
    ("2", "落实创业担保贷款贴息", "区人社局", "区财政局", "2022年10月底前"),
    ("3", "做好困难人员兜底帮扶", "区民政局", "各街镇", "2022年11月30日前"),
]
DATE_LINE = "2022年8月29日"
CLOSING = ["抄送：区委各部门，区人大常委会办公室。", "青浦区人民政府办公室 2022年8月30日印发"]


def document_text() -> str:
    """The Markdown/plain-text twin of :func:`make_docx` (what a careful retyping gives)."""
    lines = [TITLE, DOC_NUMBER]
    for k, (chapter, sections) in enumerate(CHAPTERS, start=1):
        lines.append(f"{'一二三'[k - 1]}、{chapter}")
        for j, (section, body) in enumerate(sections, start=1):
            lines.append(f"（{'一二三'[j - 1]}）{section}")
            lines.extend(body)
    lines.append(TABLE_CAPTION)
    lines.append("| 序号 | 重点任务 | 责任单位牵头单位 | 责任单位配合单位 | 完成时限 |")
    lines.append("| --- | --- | --- | --- | --- |")
    for row in TABLE_ROWS:
        lines.append("| " + " | ".join(cell.replace("|", "｜") for cell in row) + " |")
    lines.append("")
    lines.append("青浦区人民政府")
    lines.append(DATE_LINE)
    return "\n".join(lines) + "\n"


# -- Word ---------------------------------------------------------------------------

_NUMBERING = """
<w:abstractNum {ns} w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/><w:suff w:val="nothing"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
"""


def _number(paragraph, num_id: int, level: int) -> None:
    num_pr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
    num_pr.get_or_add_ilvl().val = level
    num_pr.get_or_add_numId().val = num_id


def add_chinese_list(document) -> int:
    """Define a 一、/（一）/1. list in the document's numbering part; return its numId."""
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(_NUMBERING.format(ns=nsdecls("w"))))
    num = numbering.add_num(90)
    return num.numId


def make_docx(*, cell_text_override: dict | None = None) -> bytes:
    from docx import Document

    document = Document()
    num_id = add_chinese_list(document)
    document.sections[0].footer.paragraphs[0].text = "— 1 —（页脚，不是正文）"
    document.sections[0].header.paragraphs[0].text = "青浦区人民政府文件（页眉）"
    document.add_paragraph(TITLE)
    document.add_paragraph(DOC_NUMBER)
    for chapter, sections in CHAPTERS:
        _number(document.add_paragraph(chapter), num_id, 0)
        for section, body in sections:
            _number(document.add_paragraph(section), num_id, 1)
            for text in body:
                document.add_paragraph(text)
    table = document.add_table(rows=3 + len(TABLE_ROWS), cols=5)
    caption = table.cell(0, 0).merge(table.cell(0, 4))
    caption.text = TABLE_CAPTION
    for col, title in enumerate(["序号", "重点任务", "责任单位", "责任单位", "完成时限"]):
        table.cell(1, col).text = title
    table.cell(1, 2).merge(table.cell(1, 3)).text = "责任单位"
    for col, title in ((0, "序号"), (1, "重点任务"), (4, "完成时限")):
        table.cell(1, col).merge(table.cell(2, col)).text = title
    table.cell(2, 2).text = "牵头单位"
    table.cell(2, 3).text = "配合单位"
    for r, row in enumerate(TABLE_ROWS, start=3):
        for c, value in enumerate(row):
            if (cell_text_override or {}).get((r, c)):
                value = cell_text_override[(r, c)]
            if c == 2 and r > 3 and row[2] == TABLE_ROWS[r - 4][2]:
                continue  # merged with the cell above below
            table.cell(r, c).text = value
    table.cell(3, 2).merge(table.cell(4, 2))
    document.add_paragraph("青浦区人民政府")
    document.add_paragraph(DATE_LINE)
    for line in CLOSING:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- Excel ----------------------------------------------------------------------------


def make_xlsx(sheets: dict[str, list[tuple]], *, title: str = "青浦区稳就业重点任务分解表") -> bytes:
    """One sheet per entry: a merged title row, a two-row header, rows; 牵头单位 merged down
    where a row repeats the one above."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        sheet.append([title])
        sheet.merge_cells("A1:E1")
        sheet.append(["序号", "工作事项", "责任单位", None, "完成时限"])
        sheet.append([None, None, "牵头单位", "配合单位", None])
        sheet.merge_cells("C2:D2")
        sheet.merge_cells("A2:A3")
        sheet.merge_cells("B2:B3")
        sheet.merge_cells("E2:E3")
        for k, row in enumerate(rows):
            values = list(row)
            if k and row[2] == rows[k - 1][2]:
                values[2] = None
            sheet.append(values)
            if k and row[2] == rows[k - 1][2]:
                sheet.merge_cells(start_row=sheet.max_row - 1, start_column=3, end_row=sheet.max_row, end_column=3)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- PDF --------------------------------------------------------------------------------


def make_pdf(lines: list[str] | None, *, scanned: bool = False, table: list[list[str]] | None = None) -> bytes:
    """A one-page PDF. Text is drawn with a Type0 font whose ToUnicode map gives the
    characters back (as PDFs exported from Word do); the glyphs themselves are not embedded.
    ``scanned`` draws only an image: no text layer. ``table`` is drawn below the text as
    ruled cells, the way pdfplumber finds tables."""
    chars: dict[str, int] = {}
    for line in (lines or []) + [c for row in (table or []) for c in row]:
        for ch in line:
            chars.setdefault(ch, len(chars) + 1)

    def hex_of(text: str) -> str:
        return "".join(f"{chars[ch]:04X}" for ch in text)

    size = 10.0
    content: list[str] = []
    y = 800.0
    for line in lines or []:
        content.append(f"BT /F1 {size} Tf 50 {y:.1f} Td <{hex_of(line)}> Tj ET")
        y -= size * 1.8
    if table:
        widths = [30.0, 200.0, 90.0, 120.0]
        height = 24.0
        top = y - 10
        for r, row in enumerate(table):
            x = 50.0
            for c, cell in enumerate(row):
                w = widths[c]
                content.append(f"{x:.1f} {top - height * (r + 1):.1f} {w:.1f} {height:.1f} re S")
                if cell:
                    content.append(f"BT /F1 {size} Tf {x + 3:.1f} {top - height * (r + 1) + 8:.1f} Td <{hex_of(cell)}> Tj ET")
                x += w
    if scanned:
        content = ["q 500 0 0 700 50 80 cm /Im1 Do Q"]
    stream = "\n".join(content).encode("latin-1")
    cmap_entries = "\n".join(f"<{cid:04X}> <{ord(ch):04X}>" for ch, cid in chars.items())
    to_unicode = (
        "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def /CMapType 2 def\n"
        "1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
        f"{len(chars)} beginbfchar\n{cmap_entries}\nendbfchar\n"
        "endcmap CMapName currentdict /CMap defineresource pop end end"
    ).encode("latin-1")
    image = zlib.compress(bytes([200]) * (20 * 20))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> /XObject << /Im1 9 0 R >> >> >>"),
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        (b"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H "
        b"/DescendantFonts [6 0 R] /ToUnicode 8 0 R >>"),
        (b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDToGIDMap /Identity "
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor 7 0 R /DW 1000 >>"),
        (b"<< /Type /FontDescriptor /FontName /SimSun /Flags 4 /FontBBox [0 -140 1000 860] /ItalicAngle 0 "
        b"/Ascent 860 /Descent -140 /CapHeight 700 /StemV 80 >>"),
        b"<< /Length %d >>\nstream\n" % len(to_unicode) + to_unicode + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width 20 /Height 20 /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode /Length %d >>\nstream\n" % len(image) + image + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)
