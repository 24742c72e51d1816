"""Numeric targets (指标): the figures reported against them, kept as a history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select, update
from sqlalchemy.engine import Engine

from tracker.dates import utcnow
from tracker.store.engine import write_tx
from tracker.store.models import Target, TargetActual
from tracker.store.services.errors import NotFoundError


def set_target_actual(engine: Engine, target_id: int, actual: float | None, as_of: date, *, by: str = "") -> None:
    """Record a figure as of a date. The figure with the latest date is current: a back-dated one joins the
    history without replacing a newer one (on the same date, the last recorded wins)."""
    with write_tx(engine) as conn:
        if conn.execute(select(Target.id).where(Target.id == target_id)).first() is None:
            raise NotFoundError(f"找不到指标 {target_id}")
        conn.execute(insert(TargetActual).values(
            target_id=target_id, value=actual, as_of=as_of, recorded_at=utcnow(), recorded_by=by,
        ))
        latest = conn.execute(
            select(TargetActual.value, TargetActual.as_of).where(TargetActual.target_id == target_id)
            .order_by(TargetActual.as_of.desc(), TargetActual.id.desc()).limit(1)
        ).one()
        conn.execute(update(Target).where(Target.id == target_id).values(actual=latest.value, actual_at=latest.as_of))
