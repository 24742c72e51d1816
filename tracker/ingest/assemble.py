"""Paragraphs -> measures: the outline, the clauses and the task tables put together.

* A document with at least one responsibility clause (or task table): every numbered node
  with text becomes a measure; a node whose text carries no clause (形势, 指导思想, 基本原则,
  a chapter's introduction) is kept as context (``is_context``), never a task. A node whose
  text carries several clauses is split: each clause covers the text since the previous one,
  and the parts are coded ``<code>-1``, ``<code>-2``, …; unnumbered paragraphs with a clause
  are ``P1``, ``P2``, ….
* A document with no clause at all: its numbered leaves, else its ``一是…`` enumerations,
  else its ``要…`` sentences, are imported without units, waiting for assignment. Nodes
  titled like 指导思想 / 基本原则 / 工作目标 are context.
* Rows of a task table (任务分解表) are measures coded ``T<序号>`` (see :mod:`~tracker.ingest.tables`).
* Measures come in document order; a code seen twice gets ``#2``, ``#3``… and a warning.

Every step is linear in the size of the text: offsets are carried, never searched for again.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from pathlib import Path
from typing import Protocol

from tracker.config import Config
from tracker.ingest import clauses as clause_mod
from tracker.ingest.deadlines import DeadlineContext, default_due, find_deadline
from tracker.ingest.metadata import read_metadata
from tracker.ingest.model import IngestError, ParsedDocument, ParsedMeasure, ParseWarning
from tracker.ingest.outline import Node, build_outline, find_enumerations, find_yao_sentences
from tracker.ingest.tables import extract_tables
from tracker.ingest.targets import find_targets
from tracker.ingest.text import Paragraph, read_source
from tracker.ingest.units import UnitResolver, known_names

_CONTEXT_TITLE = re.compile(
    r"(指导思想|基本原则|总体要求|总体思路|工作原则|工作目标|主要目标|发展目标|总体目标|目标任务|重要意义|形势|背景|适用范围|编制依据|基本思路)"
)


class Progress(Protocol):
    line: int | None


def _node_text(node: Node) -> str:
    return "\n".join(p.text for p in node.paragraphs).strip()


def _segments(text: str, found: list[clause_mod.Clause]) -> list[tuple[int, str, clause_mod.Clause]]:
    """Split text so each clause closes the text before it; trailing text joins the last part.

    Returns (offset of the part in ``text``, part, clause)."""
    parts: list[tuple[int, str, clause_mod.Clause]] = []
    start = 0
    for k, clause in enumerate(found):
        end = clause.end if k + 1 < len(found) else len(text)
        raw = text[start:end]
        stripped = raw.lstrip()
        parts.append((start + len(raw) - len(stripped), stripped.rstrip(), clause))
        start = end
    return parts


class _Lines:
    """Source line of an offset in a node's text (paragraphs joined by newlines)."""

    def __init__(self, node: Node):
        self.starts: list[int] = []
        self.lines: list[int] = []
        running = 0
        for para in node.paragraphs:
            self.starts.append(running)
            self.lines.append(para.line)
            running += len(para.text) + 1
        self.default = node.line

    def of(self, offset: int) -> int:
        if not self.starts:
            return self.default
        return self.lines[max(0, bisect.bisect_right(self.starts, offset) - 1)]


def build_document(data: bytes, path: str, config: Config, progress: Progress) -> ParsedDocument:
    source = read_source(data, path)
    warnings: list[ParseWarning] = []
    if not source.paragraphs:
        raise IngestError(path, "文件中没有可读的正文")
    rows, paragraphs, table_warnings = extract_tables(source.paragraphs)
    warnings.extend(table_warnings)
    if not paragraphs:
        paragraphs = [Paragraph(Path(path).stem, 1)]

    root, nodes, closing = build_outline(paragraphs)
    first_numbered = next((i for i, p in enumerate(paragraphs) if nodes and p.line == nodes[0].line), -1)
    title, doc_number, issuer, issued = read_metadata(source, paragraphs, first_numbered, path)

    doc = ParsedDocument(
        path=path,
        content_hash=hashlib.sha256(data).hexdigest(),
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        issued=issued,
    )
    known = known_names(config)
    resolver = UnitResolver(config)
    fallback_due = default_due(config, issued)
    deadline_context = DeadlineContext.of(source.paragraphs, issued)

    # Find clauses per node (and in root text, for unnumbered measure paragraphs).
    holders: list[Node] = [root] + nodes
    node_clauses: dict[int, tuple[str, list[clause_mod.Clause]]] = {}
    clause_memo: clause_mod.Memo = {}
    for node in holders:
        progress.line = node.line
        text = _node_text(node)
        node_clauses[id(node)] = (text, clause_mod.find_clauses(text, known, clause_memo) if text else [])
    doc.has_clauses = bool(rows) or any(found for _t, found in node_clauses.values())

    measures: list[ParsedMeasure] = []
    unknown_seen: set[str] = set()

    def add(code: str, node: Node | None, title_: str, text: str, line: int, units_spec, context: bool) -> ParsedMeasure:
        progress.line = line
        chapter = node.chapter() if node is not None else None
        measure = ParsedMeasure(
            code=code,
            chapter_code=chapter.code if chapter is not None else "",
            chapter=chapter.title if chapter is not None else "",
            title=title_,
            text=text,
            order=len(measures) + 1,
            line=line,
            is_context=context,
        )
        if node is not None and node.rank == 1 and chapter is None:
            measure.chapter_code, measure.chapter = node.code, node.title
        if units_spec is not None:
            units, unknown = resolver.resolve(units_spec)
            measure.units = units
            if not units:
                warnings.append(ParseWarning(line, f"{code}：责任单位条款中没有可识别的单位"))
            for name in unknown:
                if name not in unknown_seen:
                    unknown_seen.add(name)
                    warnings.append(ParseWarning(line, f"{code}：单位不在配置的已知单位中：{name}"))
        if not context:
            due, phrase = find_deadline(text, issued, deadline_context)
            measure.due, measure.due_phrase = (due, phrase) if due else (fallback_due, None)
            measure.targets = find_targets(text, issued)
            for target in measure.targets:
                if target.due is None:
                    target.due = measure.due
        measures.append(measure)
        return measure

    if doc.has_clauses:
        paragraph_count = 0
        for node in holders:
            text, found = node_clauses[id(node)]
            if not text:
                continue
            if not found:
                if node.rank >= 0:
                    add(node.code, node, node.title, text, node.line, None, True)
                    label = clause_mod.UNIT_LABEL.search(text)
                    if label:  # never drop a clause in silence: say the measure became context
                        warnings.append(ParseWarning(
                            node.line, f"{node.code}：有“{label.group(0)}”字样但未读出责任单位，按背景内容处理"))
                continue
            parts = _segments(text, found)
            lines = _Lines(node)
            for k, (offset, part, clause) in enumerate(parts, start=1):
                if node.rank < 0:
                    paragraph_count += 1
                    code = f"P{paragraph_count}"
                    title_ = _short(part[: max(0, clause.start - offset)])
                elif len(parts) == 1:
                    code, title_ = node.code, node.title
                else:
                    code = f"{node.code}-{k}"
                    title_ = node.title if k == 1 else _short(part)
                line = node.line if k == 1 and node.rank >= 0 else lines.of(offset)
                add(code, node if node.rank >= 0 else None, title_, part, line, clause.names, False)
    else:
        leaves = [n for n in nodes if not n.children and _node_text(n)]
        if len(leaves) >= 2:
            for node in nodes:
                text = _node_text(node)
                if not text:
                    continue
                chapter = node.chapter()
                context = bool(node.children) or bool(
                    _CONTEXT_TITLE.search(node.title) or (chapter is not None and _CONTEXT_TITLE.search(chapter.title))
                )
                add(node.code, node, node.title, text, node.line, None, context)
        else:
            body = paragraphs[:closing]
            items = find_enumerations(body)
            prefix = "E"
            if len(items) < 2:
                items = find_yao_sentences(body)
                prefix = "S"
            for k, item in enumerate(items, start=1):
                add(f"{prefix}{k}", None, item.title, item.text, item.line, None, False)
                measures[-1].chapter = _lead_in(item.lead_in)

    for row in rows:
        measure = add(row.code, None, row.title or _short(row.text), row.text, row.line, row.names, False)
        measure.chapter_code, measure.chapter = row.chapter_code, row.chapter
        if row.due_text:
            due, phrase = find_deadline(row.due_text, issued, deadline_context)
            if due is not None:
                measure.due, measure.due_phrase = due, phrase

    # document order (task tables sit where they were), then unique codes
    measures.sort(key=lambda m: m.line)
    seen: dict[str, int] = {}
    for order, measure in enumerate(measures, start=1):
        measure.order = order
        count = seen.get(measure.code, 0) + 1
        seen[measure.code] = count
        if count > 1:
            new = f"{measure.code}#{count}"
            warnings.append(ParseWarning(measure.line, f"措施编号 {measure.code} 重复（改记为 {new}）"))
            measure.code = new
    doc.measures = measures
    doc.warnings = sorted(warnings, key=lambda w: w.line)
    return doc


def _lead_in(text: str) -> str:
    """The words that introduce an enumeration: "具体措施包括：" -> "具体措施包括"."""
    sentences = [s for s in re.split(r"[。！？!?]", text) if s.strip()]
    if not sentences:
        return ""
    parts = [p for p in re.split(r"[，,；;]", sentences[-1]) if p.strip()]
    return (parts[-1] if parts else "").strip().rstrip("：:—-").strip()[:40]


def _short(text: str, limit: int = 30) -> str:
    text = text.strip()
    match = re.search(r"[。；;，,：:！!？?（(]", text[: limit * 4])
    if match and match.start() > 0:
        text = text[: match.start()]
    return text[:limit]
