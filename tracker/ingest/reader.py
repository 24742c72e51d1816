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
from tracker.ingest.model import IngestError, ParsedDocument, ParsedMeasure, ParseWarning
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
    progress = _Progress()
    try:
        return _parse(data, path, config, progress)
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


# -- metadata --------------------------------------------------------------------

_DOC_NUMBER = re.compile(
    r"[A-Za-z\u4e00-\u9fa5]{1,14}\s*[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d{1,4}\s*号"
)
_TITLE_WORDS = re.compile(r"(关于|意见|方案|通知|办法|决定|规定|细则|措施|规划|计划|纲要|批复|公告|通告|指引|要点)")
_DATE_CN = re.compile(
    r"^[（(]?\s*((?:\d{4}|[〇零一二三四五六七八九]{4}))\s*年\s*([\d〇零一二三四五六七八九十]{1,3})\s*月"
    r"\s*([\d〇零一二三四五六七八九十]{1,3})\s*日\s*[）)]?$"
)
_ISSUER_END = re.compile(r"(人民政府|政府办公厅|政府办公室|办公厅|办公室|委员会|人民代表大会|党委|[局厅部委院署]|领导小组)$")


def _cn_year(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    digits = "".join(str(cn_to_int(ch)) if cn_to_int(ch) is not None else "" for ch in text)
    return int(digits) if len(digits) == 4 else None


def _date_of_line(text: str) -> date | None:
    match = _DATE_CN.match(text)
    if not match:
        return None
    year = _cn_year(match.group(1))
    month = cn_to_int(match.group(2))
    day = cn_to_int(match.group(3))
    if not (year and month and day):
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _front_date(value: str) -> date | None:
    if not value:
        return None
    import warnings

    from dateutil import parser as du_parser

    try:
        with warnings.catch_warnings():  # an unknown zone name is read as UTC, not worth a warning
            warnings.simplefilter("ignore", du_parser.UnknownTimezoneWarning)
            parsed = du_parser.parse(value)
    except (ValueError, OverflowError, TypeError, ArithmeticError):
        return None
    except Exception:  # dateutil raises a handful of private error types on garbage
        return None
    if isinstance(parsed, datetime) and parsed.tzinfo is not None:
        try:
            parsed = parsed.astimezone(_CHINA)  # the documents are Chinese: date as read in China
        except (ValueError, OverflowError):
            pass
    try:
        return parsed.date()
    except (ValueError, OverflowError):
        return None


def _metadata(source: Source, paragraphs: list[Paragraph], first_numbered: int, path: str):
    front = source.front
    head = paragraphs[:first_numbered] if first_numbered >= 0 else paragraphs[:12]

    title = (front.get("title") or "").strip()
    if not title:
        candidates = [p.text for p in head if len(p.text) <= 120 and "。" not in p.text and not _DOC_NUMBER.fullmatch(p.text)]
        titled = [c for c in candidates if "关于" in c] or [c for c in candidates if _TITLE_WORDS.search(c)]
        title = (titled or candidates or [Path(path).stem])[0]
    title = title.strip().strip("#*").strip()

    doc_number = None
    for para in head[:20]:
        match = _DOC_NUMBER.search(para.text)
        if match and (len(para.text) <= 40 or match.start() == 0):
            doc_number = re.sub(r"\s+", "", match.group(0))
            doc_number = doc_number.replace("[", "〔").replace("]", "〕").replace("［", "〔").replace("］", "〕")
            break

    issuer = None
    for para in head[:6]:
        match = re.match(r"^(.{2,40}?)文件$", para.text)
        if match:
            issuer = match.group(1)
            break
    if issuer is None:
        match = re.match(r"^(.{2,40}?)关于", title)
        if match and _ISSUER_END.search(match.group(1)):
            issuer = match.group(1)
    if issuer is None and doc_number is None and not front:
        issuer = None

    issued = None
    date_index = None
    for index in range(len(paragraphs) - 1, -1, -1):
        found = _date_of_line(paragraphs[index].text)
        if found:
            issued, date_index = found, index
            break
    if issuer is None and date_index is not None and date_index > 0:
        previous = paragraphs[date_index - 1].text
        if len(previous) <= 30 and _ISSUER_END.search(previous):
            issuer = previous
    if issued is None:
        issued = _front_date(front.get("date", ""))
    return title, doc_number, issuer, issued


# -- measures ----------------------------------------------------------------------


def _node_text(node: Node) -> str:
    return "\n".join(p.text for p in node.paragraphs).strip()


def _segments(text: str, found: list[clause_mod.Clause]) -> list[tuple[str, clause_mod.Clause]]:
    """Split text so each clause closes the text before it; trailing text joins the last part."""
    parts: list[tuple[str, clause_mod.Clause]] = []
    start = 0
    for k, clause in enumerate(found):
        end = clause.end if k + 1 < len(found) else len(text)
        part = text[start:end].strip()
        parts.append((part, clause))
        start = end
    return parts


def _line_of_offset(node: Node, offset: int) -> int:
    running = 0
    for para in node.paragraphs:
        running += len(para.text) + 1
        if offset < running:
            return para.line
    return node.paragraphs[-1].line if node.paragraphs else node.line


def _parse(data: bytes, path: str, config: Config, progress: _Progress) -> ParsedDocument:
    source = read_source(data, path)
    warnings: list[ParseWarning] = []
    if not source.paragraphs:
        raise IngestError(path, "文件中没有可读的正文")
    rows, paragraphs = extract_tables(source.paragraphs)
    if not paragraphs:
        paragraphs = [Paragraph(Path(path).stem, 1)]

    root, nodes, closing = build_outline(paragraphs)
    first_numbered = next((i for i, p in enumerate(paragraphs) if nodes and p.line == nodes[0].line), -1)
    title, doc_number, issuer, issued = _metadata(source, paragraphs, first_numbered, path)

    doc = ParsedDocument(
        path=path,
        content_hash=hashlib.sha256(data).hexdigest(),
        title=title,
        doc_number=doc_number,
        issuer=issuer,
        issued=issued,
    )
    known = known_names(config)
    fallback_due = default_due(config, issued)

    # Find clauses per node (and in root text, for unnumbered measure paragraphs).
    holders: list[Node] = [root] + nodes
    node_clauses: dict[int, tuple[str, list[clause_mod.Clause]]] = {}
    for node in holders:
        progress.line = node.line
        text = _node_text(node)
        node_clauses[id(node)] = (text, clause_mod.find_clauses(text, known) if text else [])
    doc.has_clauses = bool(rows) or any(found for _t, found in node_clauses.values())

    measures: list[ParsedMeasure] = []
    unknown_seen: set[str] = set()

    def add(code: str, node: Node | None, title_: str, text: str, line: int, units_spec, context: bool) -> None:
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
            units, unknown = resolve_units(units_spec, config)
            measure.units = units
            if not units:
                warnings.append(ParseWarning(line, f"{code}：责任单位条款中没有可识别的单位"))
            for name in unknown:
                if name not in unknown_seen:
                    unknown_seen.add(name)
                    warnings.append(ParseWarning(line, f"{code}：单位不在配置的已知单位中：{name}"))
        if not context:
            plain = text
            due, phrase = find_deadline(plain, issued)
            measure.due, measure.due_phrase = (due, phrase) if due else (fallback_due, None)
            measure.targets = find_targets(plain, issued)
            for target in measure.targets:
                if target.due is None:
                    target.due = measure.due
        measures.append(measure)

    if doc.has_clauses:
        for node in holders:
            text, found = node_clauses[id(node)]
            if not text:
                continue
            if not found:
                if node.rank >= 0:
                    add(node.code, node, node.title, text, node.line, None, True)
                continue
            parts = _segments(text, found)
            for k, (part, clause) in enumerate(parts, start=1):
                if node.rank < 0:
                    code = f"P{len([m for m in measures if m.code.startswith('P')]) + 1}"
                    title_ = _short(part[: clause.start])
                elif len(parts) == 1:
                    code, title_ = node.code, node.title
                else:
                    code = f"{node.code}-{k}"
                    title_ = node.title if k == 1 else _short(part)
                offset = text.find(part)
                line = node.line if k == 1 and node.rank >= 0 else _line_of_offset(node, max(offset, 0))
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
        add(row.code, None, _short(row.text), row.text, row.line, row.names, False)
        if row.due_text:
            due, phrase = find_deadline(row.due_text, issued)
            if due is not None:
                measures[-1].due, measures[-1].due_phrase = due, phrase

    # unique codes
    seen: dict[str, int] = {}
    for measure in measures:
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
    match = re.search(r"[。；;，,：:！!？?（(]", text)
    if match and match.start() > 0:
        text = text[: match.start()]
    return text[:limit]
