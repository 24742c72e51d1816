"""Numeric targets (指标): the figures reported against them."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import update
from sqlalchemy.engine import Engine

from tracker.store.engine import write_tx
from tracker.store.models import Target
from tracker.store.services.errors import (
    NotFoundError,
)

if TYPE_CHECKING:  # the importer is loaded only by the commands that import documents
    pass


def set_target_actual(engine: Engine, target_id: int, actual: float | None, as_of: date) -> None:
    with write_tx(engine) as conn:
        result = conn.execute(update(Target).where(Target.id == target_id).values(actual=actual, actual_at=as_of))
        if result.rowcount != 1:
            raise NotFoundError(f"找不到指标 {target_id}")
