"""File formats -> the text the parser reads.

The format is told by the file's content (:mod:`.sniff`), not its name. Each reader
returns text in the shape the text parser already reads: paragraphs one a line, headings
marked ``#``, tables as Markdown pipe tables. The libraries behind them (openpyxl,
pdfplumber) are imported only when a file of that kind is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.ingest.formats import sniff as sniff_mod
from tracker.ingest.formats.encoding import decode_text
from tracker.ingest.model import IngestError

_BINARY_EXTENSIONS = {
    "pdf": "PDF", "docx": "Word", "xlsx": "Excel", "xlsm": "Excel", "doc": "Word", "xls": "Excel",
    "wps": "WPS", "et": "WPS 表格", "ofd": "OFD",
}


@dataclass
class Extracted:
    text: str
    kind: str  # one of the sniff constants
    sections: list = field(default_factory=list)  # xlsx: one Section per task sheet


def extract(data: bytes, path: str) -> Extracted:
    """Read any supported file into parser text, or raise the one-line :class:`IngestError`."""
    kind = sniff_mod.sniff(data, path)
    ext = sniff_mod.extension(path)
    if kind in (sniff_mod.LEGACY, sniff_mod.RTF):
        from tracker.ingest.formats.legacy import convert

        data, ext = convert(data, path, ext if kind == sniff_mod.LEGACY else "rtf")
        kind = sniff_mod.sniff(data, path)
    if kind == sniff_mod.DOCX:
        from tracker.ingest.formats.docx import docx_text

        return Extracted(docx_text(data, path), kind)
    if kind == sniff_mod.XLSX:
        from tracker.ingest.formats.xlsx import xlsx_text

        text, sections = xlsx_text(data, path)
        return Extracted(text, kind, sections)
    if kind == sniff_mod.PDF:
        from tracker.ingest.formats.pdf import pdf_text

        return Extracted(pdf_text(data, path), kind)
    if kind == sniff_mod.OFD:
        raise IngestError(path, "OFD 版式文件无法直接读取：请在阅读器中导出为 PDF，或使用原始 .docx 文件")
    if kind == sniff_mod.ZIP:
        raise IngestError(path, "这是一个压缩包（ZIP），不是 Word、Excel 或文本文件；请解压后导入其中的文件")
    if ext in _BINARY_EXTENSIONS and data.strip():
        raise IngestError(
            path, f"文件扩展名为 .{ext}，但内容不是 {_BINARY_EXTENSIONS[ext]} 文件（可能已损坏或被改了扩展名）"
        )
    if not data.strip():
        return Extracted("", kind)
    return Extracted(decode_text(data, path), kind)
