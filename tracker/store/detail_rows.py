"""Rows of the detailed reads: progress per group and chapter, a task's history, targets and their figures,
the matrix. The app's screens, ``show`` and the reports read them; the everyday commands (``list``, the writes)
need only :mod:`tracker.store.rows`, and every named tuple class is built when its module is imported
(~0.1 ms each, at every start of a command that loads it).
"""

from collections.abc import Mapping
from datetime import date, datetime
from types import MappingProxyType
from typing import Any, NamedTuple

from tracker.store.rows import Counts


class GroupProgress(NamedTuple):
    key: str  # unit name, chapter code or measure code
    label: str  # unit kind, chapter title or measure title
    counts: Counts
    extra: Mapping[str, Any] = MappingProxyType({})  # read only: shared by every row built without one


class ChapterKey(NamedTuple):
    """A chapter of a document, before its tasks are counted."""

    document_id: int
    code: str  # 一 / 二 …, "" for measures outside any chapter
    title: str


class EventRow(NamedTuple):
    id: int
    task_id: int
    at: datetime
    by: str
    field: str
    old: str | None
    new: str | None
    note: str

    def to_json(self) -> dict:
        return {
            "id": self.id, "task_id": self.task_id, "at": self.at.isoformat(), "by": self.by,
            "field": self.field, "old": self.old, "new": self.new, "note": self.note,
        }


class TargetFigure(NamedTuple):
    """One figure reported against a target."""

    value: float | None
    as_of: date
    recorded_at: datetime
    recorded_by: str

    def to_json(self) -> dict:
        return {"value": self.value, "as_of": self.as_of.isoformat(), "recorded_at": self.recorded_at.isoformat(),
                "recorded_by": self.recorded_by}


class TargetRow(NamedTuple):
    id: int
    measure_id: int
    measure_code: str
    document_id: int
    phrase: str
    label: str
    comparator: str
    value: float
    uom: str
    year: int | None
    due: date | None
    actual: float | None
    actual_at: date | None
    history: tuple[TargetFigure, ...] = ()  # every figure reported, oldest first by date

    @property
    def progress(self) -> float | None:
        """Actual as a share of the target (0..1+), when both are known and the target is positive."""
        if self.actual is None or not self.value:
            return None
        return self.actual / self.value

    def to_json(self) -> dict:
        return {
            "id": self.id, "measure_id": self.measure_id, "measure": self.measure_code, "phrase": self.phrase,
            "label": self.label, "comparator": self.comparator, "value": self.value, "uom": self.uom,
            "year": self.year, "due": self.due.isoformat() if self.due else None, "actual": self.actual,
            "actual_at": self.actual_at.isoformat() if self.actual_at else None,
            "history": [f.to_json() for f in self.history],
        }


class MatrixCell(NamedTuple):
    task_id: int
    role: str
    status: str
    due: date | None


class Matrix(NamedTuple):
    measures: list[tuple[int, str, str]]  # (measure id, code, title)
    units: list[tuple[int, str, str]]  # (unit id, name, kind)
    cells: dict[tuple[int, int], MatrixCell]



def readable_history(events: list[EventRow]) -> list[EventRow]:
    """History for people: a note written together with a status or deadline change is stored as
    its own event (so undo can restore the previous note) but shown once, on that change."""
    out: list[EventRow] = []
    for ev in events:
        prev = out[-1] if out else None
        companion = (
            ev.field == "note" and not ev.note and prev is not None and prev.at == ev.at
            and prev.task_id == ev.task_id and prev.note == (ev.new or "")
        )
        if not companion:
            out.append(ev)
    return out
