"""Which kind of file this is, told by its first bytes (and, for a ZIP, by its parts).

The extension is only a hint: a ``.txt`` that is really a Word file is read as Word, and
the extension decides only between formats that share one container (the old binary
Office formats all start with the same OLE2 signature).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

DOCX = "docx"
XLSX = "xlsx"
PDF = "pdf"
OFD = "ofd"
LEGACY = "legacy"  # OLE2 compound file: .doc / .xls / .wps / .et
RTF = "rtf"
ZIP = "zip"  # a ZIP that is none of the above
TEXT = "text"

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def zip_names(data: bytes) -> list[str] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return None


def sniff(data: bytes, path: str = "") -> str:
    head = data[:1024]
    if head.startswith(b"PK\x03\x04"):
        names = zip_names(data)
        if names is None:
            return ZIP
        lowered = {n.lower() for n in names}
        if "word/document.xml" in lowered or any(n.startswith("word/") and n.endswith(".xml") for n in lowered):
            return DOCX
        if "xl/workbook.xml" in lowered or any(n.startswith("xl/workbook") for n in lowered):
            return XLSX
        if "ofd.xml" in lowered:
            return OFD
        return ZIP
    if head.startswith(_OLE2):
        return LEGACY
    # A PDF header may be preceded by a little junk; readers accept it within the first KiB.
    if b"%PDF-" in head:
        return PDF
    if head.lstrip().startswith(b"{\\rtf"):
        return RTF
    return TEXT


def extension(path: str) -> str:
    return PurePath(path).suffix.lower().lstrip(".")
