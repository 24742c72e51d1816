"""The targets (指标) of an imported measure: what the new text states, saved against what is stored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker.store import writes as w
from tracker.store.sql import as_date, rows

if TYPE_CHECKING:
    from tracker.ingest.model import ParsedTarget


def save_targets(conn: Any, measure_id: int, targets: list[ParsedTarget], *, stored: bool) -> None:
    """A measure's targets: those of a ``stored`` measure are replaced, keeping known actuals by phrase."""
    actuals: dict[str, tuple[object, object]] = {}  # target phrase -> its latest figure, as stored
    if stored:
        actuals = {
            phrase: (actual, as_date(actual_at))
            for phrase, actual, actual_at in rows(
                conn, "SELECT phrase, actual, actual_at FROM target WHERE measure_id = :m ORDER BY id",
                {"m": measure_id})
        }
        w.execute(conn, "DELETE FROM target WHERE measure_id = :m", {"m": measure_id})
    if targets:
        w.insert_many(conn, "target", [
            {"measure_id": measure_id, "phrase": t.phrase, "label": t.label, "comparator": t.comparator,
             "value": t.value, "uom": t.uom, "year": t.year, "due": w.day(conn, t.due),
             "actual": actuals.get(t.phrase, (None, None))[0],
             "actual_at": w.day(conn, actuals.get(t.phrase, (None, None))[1])}  # type: ignore[arg-type]
            for t in targets
        ])
