"""Importing a parsed document: idempotent, an edited file keeps statuses and history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Engine

from tracker.config import Config
from tracker.dates import utcnow
from tracker.store.engine import write_tx
from tracker.store.models import Document, Measure, Target, Task, TaskEvent, Unit
from tracker.store.services.task_writes import (
    _apply,
)

if TYPE_CHECKING:  # the importer is loaded only by the commands that import documents
    from tracker.ingest.model import ParsedDocument


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
