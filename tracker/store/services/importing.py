"""Importing a parsed document: idempotent, an edited file keeps statuses and history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import delete, false, insert, or_, select, text, update
from sqlalchemy.engine import Engine

from tracker.config import Config
from tracker.dates import utcnow
from tracker.store.engine import read_tx, write_tx
from tracker.store.models import Document, Measure, Target, Task, TaskEvent, Unit
from tracker.store.services.errors import NotFoundError
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
    replaced: bool = False  # ``--replace``: this file's text put in place of the document's
    warnings: list[str] = field(default_factory=list)  # e.g. another document at the same path

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
            "units_added": self.units_added, "targets": self.targets, "replaced": self.replaced,
            "warnings": self.warnings,
        }

def import_document(engine: Engine, doc: ParsedDocument, *, by: str, replace: int | None = None) -> ImportResult:
    """Save a parsed document. Idempotent; an edited file keeps statuses and history.

    A stored document is the same document only when its content is the same (nothing to do) or its
    文号 and title are (an edited version: measures matched by code, statuses and history kept). A
    path alone never decides: a different document at a known path or with a known 文号 is imported
    as new, with a warning naming the other. ``replace=ID`` deliberately puts this file's text in
    place of document ``ID`` (measures matched by code), whatever its name.
    """
    at = utcnow()
    with write_tx(engine) as conn:
        _lock_imports(conn)
        same = conn.execute(select(Document.id).where(Document.content_hash == doc.content_hash)).scalar()
        if same is not None and (replace is None or int(same) == replace):
            return ImportResult(document_id=int(same), unchanged=True)
        warnings: list[str] = []
        if replace is not None:
            if conn.execute(select(Document.id).where(Document.id == replace)).scalar() is None:
                raise NotFoundError(f"没有编号为 {replace} 的文件")
            existing: int | None = replace
        else:
            existing, warnings = _same_document(conn, doc)
        meta = dict(
            title=doc.title, doc_number=doc.doc_number, issuer=doc.issuer, issued=doc.issued,
            source_path=doc.path, content_hash=doc.content_hash, has_clauses=doc.has_clauses, imported_at=at,
        )
        if existing is None:
            doc_id = int(conn.execute(insert(Document).values(**meta)).inserted_primary_key[0])
            result = ImportResult(document_id=doc_id, created=True, warnings=warnings)
        else:
            doc_id = int(existing)
            conn.execute(update(Document).where(Document.id == doc_id).values(**meta))
            result = ImportResult(document_id=doc_id, replaced=replace is not None)

        # units: one round trip to read, one bulk insert for the new ones
        unit_ids = {name: uid for uid, name in conn.execute(select(Unit.id, Unit.name))}
        new_units: dict[str, str] = {}
        for m in doc.measures:
            for u in m.units:
                if u.name not in unit_ids and u.name not in new_units:
                    new_units[u.name] = u.kind
        if new_units:
            _insert_units(conn, new_units)
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

def _same_document(conn, doc: ParsedDocument) -> tuple[int | None, list[str]]:  # noqa: ANN001
    """The stored document this file is a version of (same 文号 and title), and warnings about the
    documents it only looks like (same 文号 or same path, other title)."""
    found = conn.execute(
        select(Document.id, Document.title, Document.doc_number, Document.source_path)
        .where(or_(Document.doc_number == doc.doc_number if doc.doc_number else false(),
                   Document.source_path == doc.path, Document.title == doc.title))
        .order_by(Document.id)
    ).all()
    same = [r for r in found if r.doc_number == doc.doc_number and r.title == doc.title]
    if same:  # several versions imported side by side before: the one at this path, else the latest
        at_path = [r for r in same if r.source_path == doc.path]
        return int((at_path or same)[-1].id), []
    warnings = []
    for r in found:
        if doc.doc_number and r.doc_number == doc.doc_number:
            why = f"文号 {doc.doc_number} 相同"
        elif r.source_path == doc.path:
            why = f"路径 {doc.path} 相同"
        else:
            continue
        warnings.append(f"与已导入的文件 #{r.id}《{r.title}》{why}但标题不同，已作为新文件导入"
                        f"（若是该文件的新版本，请用 tracker import --replace {r.id} 文件）")
    return None, warnings


def _lock_imports(conn) -> None:  # noqa: ANN001
    """PostgreSQL: one import at a time (the look-ups above decide what is inserted); SQLite's
    ``BEGIN IMMEDIATE`` already serialises writers."""
    if conn.dialect.name == "postgresql":
        from tracker.store.migrate import IMPORT_LOCK_KEY

        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": IMPORT_LOCK_KEY})


def _insert_units(conn, new_units: dict[str, str]) -> None:  # noqa: ANN001
    """Insert units, skipping any another writer (an assignment) added meanwhile."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    elif conn.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        conn.execute(insert(Unit), [{"name": n, "kind": k} for n, k in new_units.items()])
        return
    stmt = dialect_insert(Unit).on_conflict_do_nothing(index_elements=["name"])
    conn.execute(stmt, [{"name": n, "kind": k} for n, k in new_units.items()])


def seed_if_empty(engine: Engine, config: Config, *, by: str) -> list[ImportResult]:
    """First run: import every file of the configured seeds folder into an empty database."""
    from tracker.ingest import parse_file

    with read_tx(engine) as conn:  # the app's start never waits for a writer
        if conn.execute(select(Document.id).limit(1)).first() is not None:
            return []
    seeds = config.seeds_dir
    if seeds is None:  # the documents shipped with tracker (package data in a wheel)
        from tracker.shipped import seeds_dir

        seeds = seeds_dir()
    if seeds is None or not seeds.is_dir():
        return []
    return [import_document(engine, parse_file(p, config), by=by) for p in sorted(seeds.glob("*.txt"))]
