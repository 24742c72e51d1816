"""Entry points of the importer: bytes or a file -> :class:`ParsedDocument`.

The pipeline: :mod:`~tracker.ingest.text` (decoding, front matter, HTML and Markdown,
page-break joining) -> :mod:`~tracker.ingest.outline` (numbering, enumerations) ->
:mod:`~tracker.ingest.clauses` and :mod:`~tracker.ingest.units` (who is responsible) ->
:mod:`~tracker.ingest.deadlines` and :mod:`~tracker.ingest.targets`.

Measures:

* A document with at least one responsibility clause: every numbered node with text
  becomes a measure; a node whose text carries no clause (形势, 指导思想, 基本原则, a
  chapter's introduction) is kept as context (``is_context``), never a task. A node whose
  text carries several clauses is split: each clause covers the text before it, and the
  parts are coded ``<code>-1``, ``<code>-2``, ….
* A document with no clause at all: its numbered leaves, else its ``一是…`` enumerations,
  else its ``要…`` sentences, are imported without units, waiting for assignment. Nodes
  titled like 指导思想 / 基本原则 / 工作目标 are context.
* Rows of a task table (任务分解表) are measures coded ``T<序号>`` (see :mod:`~tracker.ingest.tables`).
* A code seen twice gets ``#2``, ``#3``… and a warning.

Anything unexpected while parsing is reported as an :class:`IngestError` naming the file
(and the line being read), never as another exception.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from tracker.config import Config
from tracker.ingest import clauses as clause_mod
from tracker.ingest.deadlines import default_due, find_deadline
from tracker.ingest.formats import extract
from tracker.ingest.formats.xlsx import apply_sheets
from tracker.ingest.model import (
    IngestError,
    ParsedDocument,
    ParsedMeasure,
    ParseWarning,
)
from tracker.ingest.outline import (
    Node,
    build_outline,
    cn_to_int,
    find_enumerations,
    find_yao_sentences,
)
from tracker.ingest.tables import extract_tables
from tracker.ingest.targets import find_targets
from tracker.ingest.text import Paragraph, Source, read_source
from tracker.ingest.units import known_names, resolve_units

_CHINA = timezone(timedelta(hours=8))
_CONTEXT_TITLE = re.compile(
    r"(指导思想|基本原则|总体要求|总体思路|工作原则|工作目标|主要目标|发展目标|总体目标|目标任务|重要意义|形势|背景|适用范围|编制依据|基本思路)"
)


class _Progress:
    """The line being read, for error messages."""

    line: int | None = None


def parse_bytes(data: bytes, path: str, config: Config) -> ParsedDocument:
    """Parse a document of any supported format (told by content: see :mod:`.formats`)."""
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
