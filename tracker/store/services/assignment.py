"""Which units answer for a measure: assign (groups such as 各街镇 expand) and unassign."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from tracker.config import Config
from tracker.dates import utcnow
from tracker.store.engine import write_tx
from tracker.store.models import Measure, Task, TaskEvent, Unit
from tracker.store.services.errors import (
    Change,
    NotFoundError,
    ServiceError,
)
from tracker.store.services.task_writes import (
    _apply,
    _event,
)

if TYPE_CHECKING:  # the importer is loaded only by the commands that import documents
    pass


def _unit_id(conn: Connection, name: str, kind: str | None, config: Config | None) -> int:
    name = config.canonical_unit(name.strip()) if config else name.strip()
    if not name:
        raise ServiceError("单位名称为空")
    found = conn.execute(select(Unit.id).where(Unit.name == name)).scalar()
    if found is not None:
        return int(found)
    kind = kind or (config.unit_kind(name) if config else None) or _guess_kind(name)
    return int(conn.execute(insert(Unit).values(name=name, kind=kind)).inserted_primary_key[0])

def _guess_kind(name: str) -> str:
    if name.endswith(("街道", "镇", "乡")):
        return "town"
    if name.startswith("各") or "成员单位" in name or name.endswith("公司们"):
        return "group"
    if name.endswith(("公司", "集团")):
        return "company"
    return "agency"

def assign(
    engine: Engine,
    measure_id: int,
    unit_names: Iterable[str],
    *,
    by: str,
    lead: str | None = None,
    config: Config | None = None,
    due: date | None = None,
) -> list[Change]:
    """Give a measure responsible units. Group names from the config (``各街镇``) expand to their members.

    ``lead`` names the lead unit; without it the first unit leads when the measure has no lead yet.
    """
    at = utcnow()
    changes: list[Change] = []
    with write_tx(engine) as conn:
        m = conn.execute(select(Measure.id, Measure.due, Measure.is_context).where(Measure.id == measure_id)).first()
        if m is None:
            raise NotFoundError(f"找不到措施 {measure_id}")
        names: list[tuple[str, str | None]] = []
        for raw in unit_names:
            raw = raw.strip()
            group = config.groups.get(raw) if config else None
            if group:
                names.extend((member, group.kind) for member in group.members)
            elif raw:
                names.append((raw, None))
        if not names:
            raise ServiceError("没有给出单位")
        has_lead = conn.execute(
            select(Task.id).where(Task.measure_id == measure_id, Task.role == "lead").limit(1)
        ).first() is not None
        if lead and config and lead.strip() in config.groups:
            raise ServiceError(f"牵头单位必须是单个单位，不能是单位集合 {lead.strip()}")
        lead_name = config.canonical_unit(lead.strip()) if (lead and config) else lead
        for i, (name, kind) in enumerate(names):
            uid = _unit_id(conn, name, kind, config)
            canonical = conn.execute(select(Unit.name).where(Unit.id == uid)).scalar_one()
            role = "lead" if (canonical == lead_name or (lead is None and not has_lead and i == 0)) else "support"
            existing = conn.execute(
                select(Task.id).where(Task.measure_id == measure_id, Task.unit_id == uid)
            ).scalar()
            if existing is not None:
                if role == "lead":
                    change = _apply(conn, int(existing), by, role="lead", at=at)
                    if change.event_ids:
                        changes.append(change)
                continue
            tid = int(
                conn.execute(
                    insert(Task).values(
                        measure_id=measure_id, unit_id=uid, role=role, status="todo", due=due or m.due,
                        created_at=at, updated_at=at, updated_by=by, version=1, note="",
                    )
                ).inserted_primary_key[0]
            )
            changes.append(Change(tid, 1, [_event(conn, tid, by, at, "assign", None, canonical)], created=True))
        if lead_name:
            # only one lead per measure: demote any other lead
            others = conn.execute(
                select(Task.id).join(Unit, Unit.id == Task.unit_id)
                .where(Task.measure_id == measure_id, Task.role == "lead", Unit.name != lead_name)
            ).scalars().all()
            for other in others:
                changes.append(_apply(conn, int(other), by, role="support", at=at))
        if m.is_context:
            conn.execute(update(Measure).where(Measure.id == measure_id).values(is_context=False))
    return changes

def unassign(engine: Engine, measure_id: int, unit_name: str, *, by: str, config: Config | None = None) -> int:
    """Remove a unit's task from a measure (its history goes with it). Returns the removed task id."""
    name = config.canonical_unit(unit_name.strip()) if config else unit_name.strip()
    with write_tx(engine) as conn:
        tid = conn.execute(
            select(Task.id).join(Unit, Unit.id == Task.unit_id)
            .where(Task.measure_id == measure_id, Unit.name == name)
        ).scalar()
        if tid is None:
            raise NotFoundError(f"单位 {name} 在措施 {measure_id} 上没有任务")
        conn.execute(delete(TaskEvent).where(TaskEvent.task_id == tid))
        conn.execute(delete(Task).where(Task.id == tid))
        return int(tid)
