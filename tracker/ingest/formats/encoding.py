"""Plain text in the encodings Chinese offices save: UTF-8 (with or without BOM), UTF-16 and
UTF-32 with a BOM, UTF-16 without one (told by its zero bytes), and GB18030 (a superset of
GBK and GB2312, what Notepad and Word on Chinese Windows write as "ANSI").

A short try-list beats a statistical detector here: the candidates are few, UTF-8 is
strict enough to be tried first, and GB18030 decodes almost any byte string, so a decoded
result is accepted only when it reads like text (mostly CJK, ASCII and punctuation).
"""

from __future__ import annotations

import codecs
import unicodedata

from tracker.ingest.model import IngestError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def _plausible(text: str) -> bool:
    """Text a person wrote: few control, private-use or unassigned characters."""
    if not text:
        return False
    odd = 0
    for ch in text:
        if ch in "\n\r\t\f":
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Co", "Cn", "Cs"):
            odd += 1
    return odd <= max(2, len(text) // 200)


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    # ASCII-heavy UTF-16 has a zero in every other byte; CJK-heavy text has none, so
    # only a clear majority on one side counts.
    if odd_zeros > half * 0.3 and even_zeros < half * 0.05:
        encoding = "utf-16-le"
    elif even_zeros > half * 0.3 and odd_zeros < half * 0.05:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return text if _plausible(text) else None


def decode_text(data: bytes, path: str) -> str:
    """Decode a text file or raise the one-line :class:`IngestError` naming it."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as exc:
                raise IngestError(path, f"文件以 {encoding.upper()} 标记开头，但第 {exc.start + len(bom)} 字节起无法按该编码读取") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    if b"\x00" in data[:4000]:
        text = _utf16_without_bom(data)
        if text is not None:
            return text
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and _plausible(text):
        return text
    position = utf8_error.start
    line = data[:position].count(b"\n") + 1
    raise IngestError(
        path,
        f"无法识别文本编码（不是 UTF-8、UTF-16 或 GB18030/GBK；第 {position} 字节为 0x{data[position]:02x}），"
        "请另存为 UTF-8 文本或 .docx",
        line,
    )
