"""The targets (指标) of an imported measure: what the new text states, matched against what is stored.

Figures reported with ``tracker actual`` live in ``target_actual``, whose rows go with their target (the
foreign key cascades), so a re-import never deletes a target anyone reported on:

* a target the new text still states keeps its row: its id, its current figure and every figure reported
  against it; what the text changed about it (value, wording, comparator…) is updated in place;
* a target the text states anew is inserted;
* a target the new text no longer states is deleted when nobody reported a figure on it (the coordinator
  wants the list to follow the document), and otherwise kept as it is, with its figures, and named in a
  warning (``措施 三（一）：指标“…”已不在新文本中，已报送的数据保留``): the figures are the units' reports,
  which only the coordinator may decide to drop.

"Still states" is decided in rounds, each pairing the new targets left with the stored ones left, in text
and id order (so two alike targets pair in the order they appear): the same phrase; then, for a labelled
target, the same label, unit of measure and comparator (the value was edited); the same label and unit
of measure (comparator and value edited); then the same unit, comparator and value (the label was
reworded). Every round asks for the same year: a target for another year is another target (figures
reported for 2022 do not count towards 2023's), so the old one stays with its figures and the warning.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from tracker.store import writes as w
from tracker.store.sql import as_date, rows

if TYPE_CHECKING:
    from tracker.ingest.model import ParsedTarget


class StoredTarget(NamedTuple):
    """A target as stored, the columns an import compares, and whether figures were reported on it."""

    id: int
    phrase: str
    label: str
    comparator: str
    value: float
    uom: str
    year: int | None
    due: date | None
    reported: bool  # a figure in its history, or a current figure


def stored_targets(conn: Any, document_id: int) -> dict[int, list[StoredTarget]]:
    """The targets of every measure of a document, by measure id, each measure's in id order."""
    found = rows(
        conn,
        "SELECT target.id, target.measure_id, target.phrase, target.label, target.comparator, target.value, "
        "target.uom, target.year, target.due, CASE WHEN target.actual IS NOT NULL OR EXISTS "
        "(SELECT 1 FROM target_actual WHERE target_actual.target_id = target.id) THEN 1 ELSE 0 END "
        "FROM target JOIN measure ON measure.id = target.measure_id WHERE measure.document_id = :doc "
        "ORDER BY target.id",
        {"doc": document_id},
    )
    by_measure: dict[int, list[StoredTarget]] = {}
    for tid, mid, phrase, label, comparator, value, uom, year, due, reported in found:
        by_measure.setdefault(int(mid), []).append(StoredTarget(
            int(tid), phrase, label, comparator, float(value), uom, None if year is None else int(year),
            as_date(due), bool(reported)))
    return by_measure


# what makes a new target the same as a stored one, round by round (None: this round cannot tell)
_Key = Callable[["ParsedTarget | StoredTarget"], Hashable | None]
_ROUNDS: tuple[_Key, ...] = (
    lambda t: (t.phrase, t.year),
    lambda t: (t.label, t.uom, t.comparator, t.year) if t.label else None,
    lambda t: (t.label, t.uom, t.year) if t.label else None,
    lambda t: (t.uom, t.comparator, float(t.value), t.year),
)


def match_targets(
    new: list[ParsedTarget], stored: list[StoredTarget]
) -> tuple[list[tuple[ParsedTarget, StoredTarget | None]], list[StoredTarget]]:
    """Each new target with the stored one it continues (None: a new target), in the new text's order;
    and the stored targets the new text no longer states."""
    matched: dict[int, StoredTarget] = {}  # index in ``new`` -> its stored target
    left = list(stored)
    for key in _ROUNDS:
        if not left:
            break
        waiting: dict[Hashable, list[StoredTarget]] = {}
        for s in left:
            k = key(s)
            if k is not None:
                waiting.setdefault(k, []).append(s)
        for i, t in enumerate(new):
            k = key(t)
            if i in matched or k is None or not waiting.get(k):
                continue
            matched[i] = waiting[k].pop(0)
        taken = {s.id for s in matched.values()}
        left = [s for s in left if s.id not in taken]
    return [(t, matched.get(i)) for i, t in enumerate(new)], left


def save_targets(conn: Any, measure_id: int, code: str, targets: list[ParsedTarget],
                 stored: list[StoredTarget]) -> list[str]:
    """A measure's targets as the new text states them, on top of its ``stored`` ones (see the module's
    notes); returns the warnings about targets kept only for their figures."""
    pairs, gone = match_targets(targets, stored)
    new_rows: list[dict[str, object]] = []
    for t, old in pairs:
        values = {"phrase": t.phrase, "label": t.label, "comparator": t.comparator, "value": t.value,
                  "uom": t.uom, "year": t.year, "due": w.day(conn, t.due)}
        if old is None:
            new_rows.append({"measure_id": measure_id, **values, "actual": None, "actual_at": None})
        elif (old.phrase, old.label, old.comparator, old.value, old.uom, old.year, old.due) != (
                t.phrase, t.label, t.comparator, t.value, t.uom, t.year, t.due):
            assignments = ", ".join(f'"{column}" = :{column}' for column in values)
            w.execute(conn, f"UPDATE target SET {assignments} WHERE id = :id", {**values, "id": old.id})
    w.insert_many(conn, "target", new_rows)
    w.execute_many(conn, "DELETE FROM target WHERE id = :id", [{"id": s.id} for s in gone if not s.reported])
    return [f"措施 {code}：指标“{s.phrase}”已不在新文本中，已报送的数据保留" for s in gone if s.reported]
