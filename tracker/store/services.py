"""Write-side services: import, status, due date, assignment, notes, undo.

Every change runs in one ``BEGIN IMMEDIATE`` transaction, bumps the task's
``version`` and appends a :class:`TaskEvent`. A caller that read version *n*
passes ``expected_version=n``; if the row has moved on the write is refused
with :class:`StaleWriteError` and nothing is changed.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from datetime import date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from tracker.config import STATUS_CODES, Config
from tracker.dates import utcnow
from tracker.store.engine import write_tx
from tracker.store.models import Document, Measure, Target, Task, TaskEvent, Unit

if TYPE_CHECKING:  # the importer is loaded only by the commands that import documents
    from tracker.ingest.model import ParsedDocument

ROLES = ("lead", "support")


class ServiceError(Exception):
    """A change that cannot be made (bad input or missing row): a one-line message."""


class NotFoundError(ServiceError):
    pass


class StaleWriteError(ServiceError):
    """The task changed since the caller read it."""

    def __init__(self, task_id: int, expected: int, actual: int, by: str, at: datetime | None):
        self.task_id = task_id
        self.expected = expected
        self.actual = actual
        self.by = by
        self.at = at
        when = f"于 {at.strftime('%Y-%m-%d %H:%M')} UTC " if at else ""
        super().__init__(
            f"任务 {task_id} 已被 {by or '他人'} {when}修改（当前版本 {actual}，你读取的是 {expected}），"
            "未保存；请重新查看后再试"
        )


def current_user(config: Config | None = None, explicit: str | None = None) -> str:
    """``--by`` > config ``user`` > TRACKER_USER > the OS user."""
    if explicit:
        return explicit
    if config is not None and config.user:
        return config.user
    env = os.environ.get("TRACKER_USER")
    if env:
        return env
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry in some containers
        return "unknown"


@dataclass
class Change:
    """The outcome of one task write."""

    task_id: int
    version: int
    event_ids: list[int] = field(default_factory=list)


# --------------------------------------------------------------------------- task writes


def _load_task(conn: Connection, task_id: int):
    row = conn.execute(
        select(Task.id, Task.status, Task.due, Task.note, Task.role, Task.version, Task.updated_by, Task.updated_at)
        .where(Task.id == task_id)
        .with_for_update()  # a row lock on PostgreSQL; SQLite already holds the write lock (BEGIN IMMEDIATE)
    ).first()
    if row is None:
        raise NotFoundError(f"找不到任务 {task_id}")
    return row


def _check_version(row, expected_version: int | None) -> None:
    if expected_version is not None and row.version != expected_version:
        raise StaleWriteError(row.id, expected_version, row.version, row.updated_by, row.updated_at)


def _event(conn: Connection, task_id: int, by: str, at: datetime, field_: str, old, new, note: str = "") -> int:
    result = conn.execute(
        insert(TaskEvent).values(
            task_id=task_id, at=at, by=by, field=field_,
            old=None if old is None else str(old), new=None if new is None else str(new), note=note,
        )
    )
    return int(result.inserted_primary_key[0])


def _bump(conn: Connection, row, by: str, at: datetime, **values) -> int:
    result = conn.execute(
        update(Task)
        .where(Task.id == row.id, Task.version == row.version)
        .values(version=row.version + 1, updated_at=at, updated_by=by, **values)
    )
    if result.rowcount != 1:  # cannot happen inside BEGIN IMMEDIATE, but never overwrite silently
        current = _load_task(conn, row.id)
        raise StaleWriteError(row.id, row.version, current.version, current.updated_by, current.updated_at)
    return row.version + 1


def _apply(
    conn: Connection,
    task_id: int,
    by: str,
    *,
    status: str | None = None,
    due: date | None | object = ...,
    note: str | None = None,
    role: str | None = None,
    expected_version: int | None = None,
    at: datetime | None = None,
    event_note: str | None = None,
) -> Change:
    at = at or utcnow()
    row = _load_task(conn, task_id)
    _check_version(row, expected_version)
    values: dict = {}
    events: list[tuple[str, object, object]] = []
    if status is not None and status != row.status:
        values["status"] = status
        events.append(("status", row.status, status))
    if due is not ... and due != row.due:
        values["due"] = due
        events.append(("due", row.due.isoformat() if row.due else None, due.isoformat() if due else None))
    if role is not None and role != row.role:
        values["role"] = role
        events.append(("role", row.role, role))
    note_changed = note is not None and bool(note.strip()) and note.strip() != (row.note or "")
    if note_changed:
        values["note"] = note.strip()
    if not values:
        return Change(task_id, row.version, [])
    version = _bump(conn, row, by, at, **values)
    text = (event_note if event_note is not None else (note or "")).strip()
    ids = [_event(conn, task_id, by, at, f, old, new, text) for f, old, new in events]
    if note_changed:
        # its own event, so the history keeps every note and undo can restore the previous one;
        # when it rides on a status change the note text already stands on that event
        ids.append(_event(conn, task_id, by, at, "note", row.note or None, note.strip(), "" if events else text))
    return Change(task_id, version, ids)


def _check_status(status: str) -> None:
    if status not in STATUS_CODES:
        raise ServiceError(f"未知状态 {status!r}（可用：{', '.join(STATUS_CODES)}）")


def set_status(
    engine: Engine,
    task_id: int,
    status: str,
    *,
    by: str,
    note: str = "",
    due: date | None | object = ...,
    expected_version: int | None = None,
) -> Change:
    """Change a task's status (and optionally its due date) with a progress note."""
    _check_status(status)
    with write_tx(engine) as conn:
        return _apply(conn, task_id, by, status=status, note=note, due=due, expected_version=expected_version)


def set_status_many(
    engine: Engine,
    task_ids: Sequence[int],
    status: str,
    *,
    by: str,
    note: str = "",
    due: date | None | object = ...,
    expected_versions: dict[int, int] | None = None,
) -> list[Change]:
    """Update several tasks in one transaction: all or none."""
    _check_status(status)
    expected_versions = expected_versions or {}
    at = utcnow()
    with write_tx(engine) as conn:
        return [
            _apply(conn, tid, by, status=status, note=note, due=due, expected_version=expected_versions.get(tid), at=at)
            for tid in task_ids
        ]


def set_due(engine: Engine, task_id: int, due: date | None, *, by: str, note: str = "",
            expected_version: int | None = None) -> Change:
    with write_tx(engine) as conn:
        return _apply(conn, task_id, by, due=due, expected_version=expected_version, event_note=note)


def add_note(engine: Engine, task_id: int, text: str, *, by: str, expected_version: int | None = None) -> Change:
    """Record a progress note (the task's latest note; the history keeps them all)."""
    if not text.strip():
        raise ServiceError("进展说明为空")
    with write_tx(engine) as conn:
        return _apply(conn, task_id, by, note=text, expected_version=expected_version)


def set_role(engine: Engine, task_id: int, role: str, *, by: str, expected_version: int | None = None) -> Change:
    if role not in ROLES:
        raise ServiceError(f"未知角色 {role!r}（lead 或 support）")
    with write_tx(engine) as conn:
        return _apply(conn, task_id, by, role=role, expected_version=expected_version)


def undo_event(engine: Engine, event_id: int, *, by: str) -> Change:
    """Revert the change one event recorded, if the task still holds the value it set."""
    with write_tx(engine) as conn:
        ev = conn.execute(
            select(TaskEvent.task_id, TaskEvent.field, TaskEvent.old, TaskEvent.new).where(TaskEvent.id == event_id)
        ).first()
        if ev is None:
            raise NotFoundError(f"找不到变更记录 {event_id}")
        row = _load_task(conn, ev.task_id)
        current = {
            "status": row.status,
            "due": row.due.isoformat() if row.due else None,
            "role": row.role,
            "note": row.note or None,
        }
        if ev.field not in current:
            raise ServiceError(f"变更记录 {event_id}（{ev.field}）不能撤销")
        if current[ev.field] != ev.new:
            raise StaleWriteError(row.id, row.version, row.version, row.updated_by, row.updated_at)
        note = f"撤销：{ev.field} {ev.new} → {ev.old}"
        if ev.field == "status":
            return _apply(conn, row.id, by, status=ev.old, event_note=note)
        if ev.field == "due":
            return _apply(conn, row.id, by, due=date.fromisoformat(ev.old) if ev.old else None, event_note=note)
        if ev.field == "role":
            return _apply(conn, row.id, by, role=ev.old, event_note=note)
        # note: restore the previous text
        at = utcnow()
        version = _bump(conn, row, by, at, note=ev.old or "")
        return Change(row.id, version, [_event(conn, row.id, by, at, "note", ev.new, ev.old, note)])


# --------------------------------------------------------------------------- assignment


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
                    changes.append(_apply(conn, int(existing), by, role="lead", at=at))
                continue
            tid = int(
                conn.execute(
                    insert(Task).values(
                        measure_id=measure_id, unit_id=uid, role=role, status="todo", due=due or m.due,
                        created_at=at, updated_at=at, updated_by=by, version=1, note="",
                    )
                ).inserted_primary_key[0]
            )
            changes.append(Change(tid, 1, [_event(conn, tid, by, at, "assign", None, canonical)]))
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


def set_target_actual(engine: Engine, target_id: int, actual: float | None, as_of: date) -> None:
    with write_tx(engine) as conn:
        result = conn.execute(update(Target).where(Target.id == target_id).values(actual=actual, actual_at=as_of))
        if result.rowcount != 1:
            raise NotFoundError(f"找不到指标 {target_id}")


# --------------------------------------------------------------------------- import


@dataclass
class ImportResult:
    document_id: int
    created: bool = False  # a new document
    unchanged: bool = False  # same content as stored: nothing written
    measures_added: list[str] = field(default_factory=list)
    measures_changed: list[str] = field(default_factory=list)
    measures_missing: list[str] = field(default_factory=list)  # in the store, not in the new file (kept)
    tasks_added: int = 0
    tasks_role_changed: int = 0
    tasks_missing: int = 0  # unit no longer listed (kept, with history)
    units_added: list[str] = field(default_factory=list)
    targets: int = 0

    @property
    def changes(self) -> int:
        return (
            int(self.created) + len(self.measures_added) + len(self.measures_changed)
            + self.tasks_added + self.tasks_role_changed
        )

    def to_json(self) -> dict:
        return {
            "document_id": self.document_id, "created": self.created, "unchanged": self.unchanged,
            "measures_added": self.measures_added, "measures_changed": self.measures_changed,
            "measures_missing": self.measures_missing, "tasks_added": self.tasks_added,
            "tasks_role_changed": self.tasks_role_changed, "tasks_missing": self.tasks_missing,
            "units_added": self.units_added, "targets": self.targets,
        }


def import_document(engine: Engine, doc: ParsedDocument, *, by: str) -> ImportResult:
    """Save a parsed document. Idempotent; an edited file keeps statuses and history.

    A document is matched by content hash (same file: nothing to do), then by
    文号, then by source path. Measures are matched by code.
    """
    at = utcnow()
    with write_tx(engine) as conn:
        same = conn.execute(select(Document.id).where(Document.content_hash == doc.content_hash)).scalar()
        if same is not None:
            return ImportResult(document_id=int(same), unchanged=True)
        existing = None
        if doc.doc_number:
            existing = conn.execute(select(Document.id).where(Document.doc_number == doc.doc_number)).scalar()
        if existing is None:
            existing = conn.execute(select(Document.id).where(Document.source_path == doc.path)).scalar()
        meta = dict(
            title=doc.title, doc_number=doc.doc_number, issuer=doc.issuer, issued=doc.issued,
            source_path=doc.path, content_hash=doc.content_hash, has_clauses=doc.has_clauses, imported_at=at,
        )
        if existing is None:
            doc_id = int(conn.execute(insert(Document).values(**meta)).inserted_primary_key[0])
            result = ImportResult(document_id=doc_id, created=True)
        else:
            doc_id = int(existing)
            conn.execute(update(Document).where(Document.id == doc_id).values(**meta))
            result = ImportResult(document_id=doc_id)

        # units: one round trip to read, one bulk insert for the new ones
        unit_ids = {name: uid for uid, name in conn.execute(select(Unit.id, Unit.name))}
        new_units: dict[str, str] = {}
        for m in doc.measures:
            for u in m.units:
                if u.name not in unit_ids and u.name not in new_units:
                    new_units[u.name] = u.kind
        if new_units:
            conn.execute(insert(Unit), [{"name": n, "kind": k} for n, k in new_units.items()])
            unit_ids = {name: uid for uid, name in conn.execute(select(Unit.id, Unit.name))}
            result.units_added = list(new_units)

        stored = {
            r.code: r
            for r in conn.execute(
                select(Measure.id, Measure.code, Measure.title, Measure.text, Measure.due, Measure.due_phrase,
                       Measure.chapter, Measure.chapter_code, Measure.order, Measure.is_context)
                .where(Measure.document_id == doc_id)
            )
        }
        seen_codes: set[str] = set()
        task_rows: list[dict] = []
        event_rows: list[dict] = []
        for m in doc.measures:
            if m.code in seen_codes:
                continue  # duplicate code: reported as a warning by the reader; first one wins
            seen_codes.add(m.code)
            values = dict(
                document_id=doc_id, code=m.code, chapter_code=m.chapter_code, chapter=m.chapter, title=m.title,
                text=m.text, order=m.order, line=m.line, due=m.due, due_phrase=m.due_phrase, is_context=m.is_context,
            )
            old = stored.get(m.code)
            if old is None:
                mid = int(conn.execute(insert(Measure).values(**values)).inserted_primary_key[0])
                result.measures_added.append(m.code)
                current_tasks: dict[int, tuple[int, str, date | None]] = {}
            else:
                mid = int(old.id)
                changed = (old.title, old.text, old.due, old.due_phrase, old.chapter, old.is_context) != (
                    m.title, m.text, m.due, m.due_phrase, m.chapter, m.is_context
                )
                if changed or old.order != m.order:
                    conn.execute(update(Measure).where(Measure.id == mid).values(**values))
                if changed:
                    result.measures_changed.append(m.code)
                current_tasks = {
                    r.unit_id: (r.id, r.role, r.due)
                    for r in conn.execute(
                        select(Task.id, Task.unit_id, Task.role, Task.due).where(Task.measure_id == mid)
                    )
                }
                # a measure whose deadline moved: tasks still on the old deadline follow it
                if old.due != m.due:
                    for tid, _role, tdue in current_tasks.values():
                        if tdue == old.due:
                            conn.execute(update(Task).where(Task.id == tid).values(due=m.due))
                            event_rows.append(dict(task_id=tid, at=at, by=by, field="due",
                                                   old=old.due.isoformat() if old.due else None,
                                                   new=m.due.isoformat() if m.due else None,
                                                   note="文件更新"))
                # targets: replace, keeping known actuals by phrase
                actuals = {
                    r.phrase: (r.actual, r.actual_at)
                    for r in conn.execute(select(Target.phrase, Target.actual, Target.actual_at).where(Target.measure_id == mid))
                }
                conn.execute(delete(Target).where(Target.measure_id == mid))
            if old is None:
                actuals = {}
            if m.targets:
                conn.execute(insert(Target), [
                    dict(measure_id=mid, phrase=t.phrase, label=t.label, comparator=t.comparator, value=t.value,
                         uom=t.uom, year=t.year, due=t.due,
                         actual=actuals.get(t.phrase, (None, None))[0], actual_at=actuals.get(t.phrase, (None, None))[1])
                    for t in m.targets
                ])
                result.targets += len(m.targets)
            if m.is_context:
                continue
            listed: set[int] = set()
            for u in m.units:
                uid = unit_ids[u.name]
                if uid in listed:
                    continue
                listed.add(uid)
                if uid in current_tasks:
                    tid, role, _ = current_tasks[uid]
                    if role != u.role:
                        _apply(conn, tid, by, role=u.role, at=at, event_note="文件更新")
                        result.tasks_role_changed += 1
                    continue
                task_rows.append(dict(
                    measure_id=mid, unit_id=uid, role=u.role, status="todo", due=m.due, note="",
                    created_at=at, updated_at=at, updated_by=by, version=1,
                ))
            result.tasks_missing += len(set(current_tasks) - listed)
        result.measures_missing = sorted(set(stored) - seen_codes)
        if task_rows:
            conn.execute(insert(Task), task_rows)
            result.tasks_added = len(task_rows)
            # each new task's history starts with where it came from
            names = {uid: name for name, uid in unit_ids.items()}
            new_ids = conn.execute(
                select(Task.id, Task.unit_id, Task.role)
                .join(Measure, Measure.id == Task.measure_id)
                .where(Measure.document_id == doc_id, Task.created_at == at)
            ).all()
            event_rows.extend(
                dict(task_id=tid, at=at, by=by, field="assign", old=None, new=names[uid],
                     note=f"随文件导入（{'牵头' if role == 'lead' else '配合'}）")
                for tid, uid, role in new_ids
            )
        if event_rows:
            conn.execute(insert(TaskEvent), event_rows)
        return result


def seed_if_empty(engine: Engine, config: Config, *, by: str) -> list[ImportResult]:
    """First run: import every file of the configured seeds folder into an empty database."""
    from pathlib import Path

    from tracker.ingest import parse_file

    with write_tx(engine) as conn:
        if conn.execute(select(Document.id).limit(1)).first() is not None:
            return []
    seeds = config.seeds_dir
    if seeds is None:
        candidate = Path(__file__).resolve().parents[2] / "seeds"
        seeds = candidate if candidate.is_dir() else None
    if seeds is None or not seeds.is_dir():
        return []
    return [import_document(engine, parse_file(p, config), by=by) for p in sorted(seeds.glob("*.txt"))]
