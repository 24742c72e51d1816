"""Entry points of the importer: bytes or a file -> :class:`ParsedDocument`.

The pipeline: :mod:`~tracker.ingest.text` (decoding, front matter, HTML and Markdown,
page-break joining) -> :mod:`~tracker.ingest.outline` (numbering, enumerations) ->
:mod:`~tracker.ingest.clauses` and :mod:`~tracker.ingest.units` (who is responsible) ->
:mod:`~tracker.ingest.deadlines` and :mod:`~tracker.ingest.targets`.

How paragraphs become measures is described in :mod:`~tracker.ingest.assemble`.

Anything unexpected while parsing is reported as an :class:`IngestError` naming the file
(and the line being read), never as another exception.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tracker.config import Config
from tracker.ingest.assemble import build_document
from tracker.ingest.formats import extract
from tracker.ingest.formats.xlsx import apply_sheets
from tracker.ingest.model import IngestError, ParsedDocument


class _Progress:
    """The line being read, for error messages."""

    line: int | None = None


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Parsing a large file allocates millions of objects that all stay alive until it is done; the
    cyclic garbage collector would walk them again and again (a quarter of the time at 10 MB).
    The few cycles a parse leaves (the outline's parent links) are collected afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_bytes(data: bytes, path: str, config: Config) -> ParsedDocument:
    """Parse a document of any supported format (told by content: see :mod:`.formats`)."""
    with _collector_paused():
        return _parse_bytes(data, path, config)


def _parse_bytes(data: bytes, path: str, config: Config) -> ParsedDocument:
    progress = _Progress()
    try:
        extracted = extract(data, path)
        doc = _parse(extracted.text.encode("utf-8"), path, config, progress)
        doc.content_hash = hashlib.sha256(data).hexdigest()
        if extracted.sections:
            apply_sheets(doc, extracted.sections, path)
        return doc
    except IngestError:
        raise
    except RecursionError:
        raise IngestError(path, "文件结构嵌套过深，无法读取", progress.line) from None
    except Exception as exc:  # the importer's contract: only IngestError escapes
        raise IngestError(path, f"读取时出现内部错误：{type(exc).__name__}: {exc}", progress.line) from exc


def parse_file(path: str | Path, config: Config) -> ParsedDocument:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"无法读取文件：{exc.strerror or exc}") from None
    return parse_bytes(data, str(path), config)


def _parse(data: bytes, path: str, config: Config, progress: _Progress) -> ParsedDocument:
    return build_document(data, path, config, progress)
