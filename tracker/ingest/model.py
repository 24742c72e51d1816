"""What the importer produces: plain dataclasses, no database, no Textual.

Conventions:

* Measure codes: ``三（一）``, ``一（二）3``; parts of a measure split by several clauses
  ``三（一）-1``; enumerations ``E1``; ``要``-sentences ``S1``; task-table rows ``T1``;
  a repeated code gets ``#2`` (see :mod:`tracker.ingest.outline` and :mod:`tracker.ingest.reader`).
* Target values are in base units: ``万``/``亿`` multiplied out (40万人 -> 400000 ``人``), money
  always in ``元`` (80亿元 -> 8e9 ``元``), percentages in percent (80% -> 80 ``%``).
  Comparators: ``>=`` ``>`` ``=`` ``<=`` ``<``.
* Units of a measure come lead first; ``raw`` is the name as written (debris removed).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any


class IngestError(Exception):
    """A document the importer cannot read. ``str()`` is ``path:line: message``."""

    def __init__(self, path: str, message: str, line: int | None = None):
        self.path = path
        self.line = line
        self.message = message
        super().__init__(f"{path}:{line}: {message}" if line else f"{path}: {message}")


@dataclass
class ParseWarning:
    line: int
    message: str


@dataclass(slots=True)  # a million of them in a large document: no per-instance dict
class ParsedUnit:
    name: str  # canonical name (aliases applied, debris removed)
    kind: str  # agency | town | group | company
    role: str  # lead | support
    raw: str = ""  # as written in the clause (before alias / group expansion)


@dataclass
class ParsedTarget:
    phrase: str  # e.g. "2022年全区正规就业不少于40万人"
    comparator: str  # ">=", ">", "<=", "<", "="
    value: float  # in base units: 40万人 -> 400000.0, 80亿元 -> 8000000000.0 (uom "元")
    uom: str  # "人", "个", "%", "元", "名", ...
    year: int | None = None
    due: date | None = None
    label: str = ""  # what is measured, e.g. "全区正规就业"


@dataclass
class ParsedMeasure:
    code: str  # stable: "三（一）", "一（二）3", "一是" enumerations "E1" ...
    chapter_code: str  # "三"
    chapter: str  # "推动市场主体稳定发展"
    title: str  # "加大纾困减负力度"
    text: str  # full text, page-break artefacts joined, clause(s) included
    order: int  # position in the document, from 1
    line: int  # first line in the source file
    units: list[ParsedUnit] = field(default_factory=list)
    targets: list[ParsedTarget] = field(default_factory=list)
    due: date | None = None
    due_phrase: str | None = None
    is_context: bool = False  # 形势 / 指导思想 / 基本原则: kept, never a task


@dataclass
class ParsedDocument:
    path: str
    content_hash: str  # sha256 of the raw bytes
    title: str
    doc_number: str | None = None  # 文号, e.g. 青府规发〔2022〕4号
    issuer: str | None = None
    issued: date | None = None
    has_clauses: bool = False  # any responsibility clause found
    measures: list[ParsedMeasure] = field(default_factory=list)
    warnings: list[ParseWarning] = field(default_factory=list)

    @property
    def task_count(self) -> int:
        return sum(len(m.units) for m in self.measures if not m.is_context)

    def to_json(self) -> dict[str, Any]:
        """The ``tracker import --dry-run --json`` schema (documented in the README)."""

        def conv(value: Any) -> Any:
            if isinstance(value, date):
                return value.isoformat()
            if isinstance(value, dict):
                return {k: conv(v) for k, v in value.items()}
            if isinstance(value, list):
                return [conv(v) for v in value]
            return value

        data = conv(asdict(self))
        data["task_count"] = self.task_count
        return data
