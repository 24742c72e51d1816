"""PDF with a text layer -> the text the parser reads (needs the ``pdf`` extra: pdfplumber).

Per page, top to bottom: text lines outside tables, and tables (ruled tables, as
pdfplumber finds them) as Markdown pipe tables; a cell covered by a merge repeats the
cell above it. Lines wrapped by the page are joined back into paragraphs: a line that
runs to the right edge continues on the next line unless that one is indented (公文
paragraphs open with a two-character indent). A PDF without any text (a scan) is refused
with one line: OCR is not supported.
"""

from __future__ import annotations

import io

from tracker.ingest.model import IngestError

_TERMINAL = "。；;：:！!？?，,、）)"
NO_TEXT = "PDF 中没有文字层（可能是扫描件），不支持 OCR 识别；请用 Word 另存为 PDF，或直接导入 .docx 文件"
MISSING = "读取 PDF 需要安装 pdf 组件：pip install 'tracker[pdf]'（即 pdfplumber）"


def _cell(text: str | None) -> str:
    if not text:
        return ""
    pieces: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            if pieces and pieces[-1][-1] not in _TERMINAL:
                pieces.append("")
            pieces.append(line)
    return "".join(pieces).replace("|", "｜")


def _table_lines(rows: list[list[str | None]]) -> list[str]:
    grid: list[list[str]] = []
    for row in rows:
        cells = []
        for k, value in enumerate(row):
            if value is None and grid and k < len(grid[-1]):
                cells.append(grid[-1][k])  # merged down: continue the cell above
            else:
                cells.append(_cell(value))
        grid.append(cells)
    grid = [r for r in grid if any(r)]
    if not grid:
        return []
    width = max(len(r) for r in grid)
    out = ["| " + " | ".join(grid[0] + [""] * (width - len(grid[0]))) + " |", "|" + " --- |" * width]
    for row in grid[1:]:
        out.append("| " + " | ".join(row + [""] * (width - len(row))) + " |")
    return out + [""]


def _page_lines(page) -> list[str]:
    tables = page.find_tables()
    boxes = [t.bbox for t in tables]

    def outside(obj) -> bool:
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    lines = [ln for ln in text_page.extract_text_lines(return_chars=True) if ln["text"].strip()]
    blocks: list[tuple[float, list[str]]] = [(t.bbox[1], _table_lines(t.extract())) for t in tables]
    if lines:
        left = min(ln["x0"] for ln in lines)
        right = max(ln["x1"] for ln in lines)
        paragraphs: list[tuple[float, str]] = []
        previous = None
        for ln in lines:
            chars = ln.get("chars") or []
            size = (sum(c["x1"] - c["x0"] for c in chars) / len(chars)) if chars else 10.0
            indented = ln["x0"] - left > size * 1.2
            continues = (
                previous is not None
                and not indented
                and right - previous["x1"] < size * 1.5
                and ln["top"] - previous["bottom"] < size * 1.2
                and paragraphs[-1][1][-1:] not in "。！？!?"
            )
            text = ln["text"].strip()
            if continues:
                paragraphs[-1] = (paragraphs[-1][0], paragraphs[-1][1] + text)
            else:
                paragraphs.append((ln["top"], text))
            previous = ln
        blocks.extend((top, [text]) for top, text in paragraphs)
    blocks.sort(key=lambda block: block[0])
    return [line for _top, block in blocks for line in block]


def pdf_text(data: bytes, path: str) -> str:
    try:
        import pdfplumber
        from pdfminer.pdfdocument import PDFPasswordIncorrect
    except ImportError:
        raise IngestError(path, MISSING) from None
    try:
        document = pdfplumber.open(io.BytesIO(data))
    except PDFPasswordIncorrect:
        raise IngestError(path, "PDF 已加密，需要密码才能读取；请提供未加密的文件") from None
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on a damaged file
        raise IngestError(path, f"PDF 文件已损坏，无法打开（{type(exc).__name__}）") from None
    lines: list[str] = []
    try:
        with document:
            for page in document.pages:
                lines.extend(_page_lines(page))
                lines.append("")
    except IngestError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a page is one line naming the file
        raise IngestError(path, f"PDF 内容无法读取（{type(exc).__name__}: {exc}）") from None
    if not any(line.strip() for line in lines):
        raise IngestError(path, NO_TEXT)
    return "\n".join(lines) + "\n"
