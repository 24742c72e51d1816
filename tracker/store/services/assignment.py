"""Which units answer for a measure: assign (groups such as 各街镇 expand) and unassign.

Plain SQL on the connection of :func:`tracker.store.writes.write_tx`, so ``db`` is an ``Engine`` or the
command line's bare connection. :func:`assign_in` does the work inside a caller's transaction (a
hand-entered 督办 item creates its measure and its tasks in one).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from tracker.config import Config
from tracker.dates import utcnow
from tracker.store import writes as w
from tracker.store.dbapi import as_date, rows
from tracker.store.services.errors import (
    Change,
    NotFoundError,
    ServiceError,
)
from tracker.store.services.task_writes import (
    _apply,
    _event,
)


def _unit_id(conn: Any, name: str, kind: str | None, config: Config | None) -> tuple[int, str]:
    """The unit's id and stored name, the unit created when new (its kind from the config or its name)."""
    name = config.canonical_unit(name.strip()) if config else name.strip()
    if not name:
        raise ServiceError("单位名称为空")
    found = w.scalar(conn, "SELECT id FROM unit WHERE name = :name", {"name": name})
    if found is not None:
        return int(found), name
    kind = kind or (config.unit_kind(name) if config else None) or _guess_kind(name)
    # a concurrent import may add the same name: let it win, then read the id
    w.execute(conn, "INSERT INTO unit (name, kind) VALUES (:name, :kind) ON CONFLICT (name) DO NOTHING",
              {"name": name, "kind": kind})
    return int(w.scalar(conn, "SELECT id FROM unit WHERE name = :name", {"name": name})), name

def _guess_kind(name: str) -> str:
    if name.endswith(("街道", "镇", "乡")):
        return "town"
    if name.startswith("各") or "成员单位" in name or name.endswith("公司们"):
        return "group"
    if name.endswith(("公司", "集团")):
        return "company"
    return "agency"

def expand_units(unit_names: Iterable[str], config: Config | None) -> list[tuple[str, str | None]]:
    """``(name, kind)`` for each unit named; group names from the config (``各街镇``) give their members."""
    names: list[tuple[str, str | None]] = []
    for raw in unit_names:
        raw = raw.strip()
        group = config.groups.get(raw) if config else None
        if group:
            names.extend((member, group.kind) for member in group.members)
        elif raw:
            names.append((raw, None))
    return names

def assign(
    db: Any,
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
    with w.write_tx(db) as conn:
        return assign_in(conn, measure_id, unit_names, by=by, lead=lead, config=config, due=due, at=utcnow())

def assign_in(
    conn: Any,
    measure_id: int,
    unit_names: Iterable[str],
    *,
    by: str,
    lead: str | None = None,
    config: Config | None = None,
    due: date | None = None,
    at: datetime,
) -> list[Change]:
    """:func:`assign` inside the caller's write transaction."""
    changes: list[Change] = []
    m = w.first(conn, "SELECT id, due, is_context FROM measure WHERE id = :id", {"id": measure_id})
    if m is None:
        raise NotFoundError(f"找不到措施 {measure_id}")
    measure_due, is_context = as_date(m[1]), bool(m[2])
    names = expand_units(unit_names, config)
    if not names:
        raise ServiceError("没有给出单位")
    has_lead = w.first(conn, "SELECT id FROM task WHERE measure_id = :m AND role = 'lead'", {"m": measure_id}) is not None
    if lead and config and lead.strip() in config.groups:
        raise ServiceError(f"牵头单位必须是单个单位，不能是单位集合 {lead.strip()}")
    lead_name = config.canonical_unit(lead.strip()) if (lead and config) else lead
    for i, (name, kind) in enumerate(names):
        uid, canonical = _unit_id(conn, name, kind, config)
        role = "lead" if (canonical == lead_name or (lead is None and not has_lead and i == 0)) else "support"
        existing = w.scalar(conn, "SELECT id FROM task WHERE measure_id = :m AND unit_id = :u",
                            {"m": measure_id, "u": uid})
        if existing is not None:
            if role == "lead":
                change = _apply(conn, int(existing), by, role="lead", at=at)
                if change.event_ids:
                    changes.append(change)
            continue
        tid = w.insert(conn, "task", {
            "measure_id": measure_id, "unit_id": uid, "role": role, "status": "todo",
            "due": w.day(conn, due or measure_due), "note": "", "created_at": w.stamp(conn, at),
            "updated_at": w.stamp(conn, at), "updated_by": by, "version": 1,
        })
        changes.append(Change(tid, 1, [_event(conn, tid, by, at, "assign", None, canonical)], created=True))
    if lead_name:
        # only one lead per measure: demote any other lead
        others = rows(
            conn,
            "SELECT task.id FROM task JOIN unit ON unit.id = task.unit_id "
            "WHERE task.measure_id = :m AND task.role = 'lead' AND unit.name <> :lead ORDER BY task.id",
            {"m": measure_id, "lead": lead_name},
        )
        for (other,) in others:
            changes.append(_apply(conn, int(other), by, role="support", at=at))
    if is_context:
        w.execute(conn, "UPDATE measure SET is_context = :no WHERE id = :id", {"no": False, "id": measure_id})
    return changes

def unassign(db: Any, measure_id: int, unit_name: str, *, by: str, config: Config | None = None) -> int:
    """Remove a unit's task from a measure (its history goes with it). Returns the removed task id."""
    name = config.canonical_unit(unit_name.strip()) if config else unit_name.strip()
    with w.write_tx(db) as conn:
        tid = w.scalar(
            conn,
            "SELECT task.id FROM task JOIN unit ON unit.id = task.unit_id WHERE task.measure_id = :m AND unit.name = :n",
            {"m": measure_id, "n": name},
        )
        if tid is None:
            raise NotFoundError(f"单位 {name} 在措施 {measure_id} 上没有任务")
        # evidence and extension requests go with the task (their foreign keys cascade, but a
        # connection without foreign keys on must not leave them behind)
        for table in ("evidence", "extension_request", "taskevent"):
            w.execute(conn, f"DELETE FROM {table} WHERE task_id = :t", {"t": tid})
        w.execute(conn, "DELETE FROM task WHERE id = :t", {"t": tid})
        return int(tid)
