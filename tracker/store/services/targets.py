"""Numeric targets (指标): the figures reported against them, kept as a history."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.dates import utcnow
from tracker.store import writes as w
from tracker.store.services.errors import NotFoundError


def set_target_actual(db: Any, target_id: int, actual: float | None, as_of: date, *, by: str = "") -> None:
    """Record a figure as of a date. The figure with the latest date is current: a back-dated one joins the
    history without replacing a newer one (on the same date, the last recorded wins).

    ``db``: an ``Engine`` or a bare connection (:func:`tracker.store.writes.write_tx`)."""
    with w.write_tx(db) as conn:
        if w.first(conn, "SELECT id FROM target WHERE id = :id" + w.for_update(conn), {"id": target_id}) is None:
            raise NotFoundError(f"找不到指标 {target_id}")
        w.insert(conn, "target_actual", {
            "target_id": target_id, "value": actual, "as_of": w.day(conn, as_of),
            "recorded_at": w.stamp(conn, utcnow()), "recorded_by": by,
        })
        value, latest = w.first(
            conn,
            "SELECT value, as_of FROM target_actual WHERE target_id = :id ORDER BY as_of DESC, id DESC LIMIT 1",
            {"id": target_id},
        )
        w.execute(conn, "UPDATE target SET actual = :value, actual_at = :as_of WHERE id = :id",
                  {"value": value, "as_of": latest, "id": target_id})
