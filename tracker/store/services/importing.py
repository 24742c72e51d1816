"""Importing a parsed document: idempotent, an edited file keeps statuses and history.

Plain SQL on the connection of :func:`tracker.store.writes.write_tx`, so ``db`` is a SQLAlchemy ``Engine``
or a :class:`tracker.store.database.DirectDatabase` (the command line's and the app's bare connection,
which then load no SQLAlchemy, SQLModel or pydantic). Rows go in as the ORM wrote them: every column
named, dates and datetimes through ``day``/``stamp``, many rows at once through ``insert_many``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from tracker.dates import utcnow
from tracker.store import writes as w
from tracker.store.services.errors import NotFoundError
from tracker.store.services.importing_targets import (
    StoredTarget,
    save_targets,
    stored_targets,
)
from tracker.store.services.task_writes import _apply
from tracker.store.sql import as_date, is_sqlite, rows

if TYPE_CHECKING:  # the importer is loaded only by the commands that import documents
    from tracker.config import Config
    from tracker.ingest.model import ParsedDocument, ParsedMeasure

# PostgreSQL advisory lock key of imports (beside ``migrate.SCHEMA_LOCK_KEY``, 0x747261636B01)
IMPORT_LOCK_KEY = 0x747261636B02


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
    # e.g. another document at the same path, a target no longer stated kept for its reported figures
    warnings: list[str] = field(default_factory=list)

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


class StoredMeasure(NamedTuple):
    """A measure of the document as stored, the columns an import compares, as Python values."""

    id: int
    title: str
    text: str
    due: date | None
    due_phrase: str | None
    chapter: str
    order: int
    is_context: bool


class _Import:
    """What one import accumulates while it walks the measures: the result, the new tasks and the
    history rows (written in bulk at the end), all stamped with one time."""

    def __init__(self, conn: Any, result: ImportResult, at: datetime, by: str) -> None:
        self.conn = conn
        self.result = result
        self.at = at
        self.stamp = w.stamp(conn, at)
        self.by = by
        self.task_rows: list[dict[str, object]] = []
        self.targets: dict[int, list[StoredTarget]] = {}  # the stored targets, by measure id
        self.event_rows: list[dict[str, object]] = []

    def event(self, task_id: int, field_: str, old: str | None, new: str | None, note: str) -> None:
        self.event_rows.append({"task_id": task_id, "at": self.stamp, "by": self.by, "field": field_,
                                "old": old, "new": new, "note": note})


def import_document(db: Any, doc: ParsedDocument, *, by: str, replace: int | None = None) -> ImportResult:
    """Save a parsed document. Idempotent; an edited file keeps statuses and history.

    A stored document is the same document only when its content is the same (nothing to do) or its
    文号 and title are (an edited version: measures matched by code, statuses and history kept). A
    path alone never decides: a different document at a known path or with a known 文号 is imported
    as new, with a warning naming the other. ``replace=ID`` deliberately puts this file's text in
    place of document ``ID`` (measures matched by code), whatever its name. A re-imported measure's
    targets keep the figures reported on them (:mod:`.importing_targets` tells which stored target a
    new one continues, and why a target no longer stated stays while it has figures).
    """
    at = utcnow()
    with w.write_tx(db) as conn:
        _lock_imports(conn)
        same = w.scalar(conn, "SELECT id FROM document WHERE content_hash = :hash ORDER BY id",
                        {"hash": doc.content_hash})
        if same is not None and (replace is None or int(same) == replace):
            return ImportResult(document_id=int(same), unchanged=True)
        state = _Import(conn, _save_document(conn, doc, replace, at), at, by)
        doc_id = state.result.document_id
        unit_ids = _unit_ids(conn, doc, state.result)
        stored = _stored_measures(conn, doc_id)
        if stored:
            state.targets = stored_targets(conn, doc_id)
        seen_codes: set[str] = set()
        for m in doc.measures:
            if m.code in seen_codes:
                continue  # duplicate code: reported as a warning by the reader; first one wins
            seen_codes.add(m.code)
            _import_measure(state, doc_id, m, stored.get(m.code), unit_ids)
        state.result.measures_missing = sorted(set(stored) - seen_codes)
        if state.task_rows:
            _insert_tasks(state, doc_id, unit_ids)
        w.insert_many(conn, "taskevent", state.event_rows)
        return state.result


def _save_document(conn: Any, doc: ParsedDocument, replace: int | None, at: datetime) -> ImportResult:
    """The document's row, new or updated in place (``replace``, or the stored version of this file)."""
    warnings: list[str] = []
    if replace is not None:
        if w.scalar(conn, "SELECT id FROM document WHERE id = :id", {"id": replace}) is None:
            raise NotFoundError(f"没有编号为 {replace} 的文件")
        existing: int | None = replace
    else:
        existing, warnings = _same_document(conn, doc)
    meta: dict[str, object] = {
        "title": doc.title, "doc_number": doc.doc_number, "issuer": doc.issuer, "issued": w.day(conn, doc.issued),
        "source_path": doc.path, "content_hash": doc.content_hash, "has_clauses": doc.has_clauses,
        "imported_at": w.stamp(conn, at),
    }
    if existing is None:
        doc_id = w.insert(conn, "document", {**meta, "archived_at": None, "cadence": None, "kind": "document"})
        return ImportResult(document_id=doc_id, created=True, warnings=warnings)
    w.execute(conn, f"UPDATE document SET {_assignments(meta)} WHERE id = :id", {**meta, "id": existing})
    return ImportResult(document_id=int(existing), replaced=replace is not None)


def _assignments(values: dict[str, object]) -> str:
    return ", ".join(f'"{column}" = :{column}' for column in values)


def _same_document(conn: Any, doc: ParsedDocument) -> tuple[int | None, list[str]]:
    """The stored document this file is a version of (same 文号 and title), and warnings about the
    documents it only looks like (same 文号 or same path, other title)."""
    params: dict[str, object] = {"path": doc.path, "title": doc.title}
    where = "source_path = :path OR title = :title"
    if doc.doc_number:
        where = "doc_number = :number OR " + where
        params["number"] = doc.doc_number
    found = rows(conn, f"SELECT id, title, doc_number, source_path FROM document WHERE {where} ORDER BY id", params)
    same = [r for r in found if r[2] == doc.doc_number and r[1] == doc.title]
    if same:  # several versions imported side by side before: the one at this path, else the latest
        at_path = [r for r in same if r[3] == doc.path]
        return int((at_path or same)[-1][0]), []
    warnings = []
    for doc_id, title, number, path in found:
        if doc.doc_number and number == doc.doc_number:
            why = f"文号 {doc.doc_number} 相同"
        elif path == doc.path:
            why = f"路径 {doc.path} 相同"
        else:
            continue
        warnings.append(f"与已导入的文件 #{doc_id}《{title}》{why}但标题不同，已作为新文件导入"
                        f"（若是该文件的新版本，请用 tracker import --replace {doc_id} 文件）")
    return None, warnings


def _lock_imports(conn: Any) -> None:
    """PostgreSQL: one import at a time (the look-ups above decide what is inserted); SQLite's
    ``BEGIN IMMEDIATE`` already serialises writers."""
    if not is_sqlite(conn):
        w.first(conn, "SELECT pg_advisory_xact_lock(:key)", {"key": IMPORT_LOCK_KEY})


def _unit_ids(conn: Any, doc: ParsedDocument, result: ImportResult) -> dict[str, int]:
    """Every unit's id by name, the document's new units inserted first (one read, one bulk insert)."""
    unit_ids = _all_units(conn)
    new_units: dict[str, str] = {}
    for m in doc.measures:
        for u in m.units:
            if u.name not in unit_ids and u.name not in new_units:
                new_units[u.name] = u.kind
    if new_units:
        # an assignment in another process may add the same name meanwhile: it wins, its id is read back
        w.execute_many(conn, "INSERT INTO unit (name, kind) VALUES (:name, :kind) ON CONFLICT (name) DO NOTHING",
                       [{"name": name, "kind": kind} for name, kind in new_units.items()])
        unit_ids = _all_units(conn)
        result.units_added = list(new_units)
    return unit_ids


def _all_units(conn: Any) -> dict[str, int]:
    return {name: int(uid) for uid, name in rows(conn, "SELECT id, name FROM unit")}


def _stored_measures(conn: Any, doc_id: int) -> dict[str, StoredMeasure]:
    found = rows(conn, 'SELECT id, code, title, text, due, due_phrase, chapter, "order", is_context '
                       "FROM measure WHERE document_id = :doc", {"doc": doc_id})
    return {
        code: StoredMeasure(int(mid), title, text, as_date(due), due_phrase, chapter, int(order), bool(context))
        for mid, code, title, text, due, due_phrase, chapter, order, context in found
    }


def _import_measure(state: _Import, doc_id: int, m: ParsedMeasure, old: StoredMeasure | None,
                    unit_ids: dict[str, int]) -> None:
    """One measure of the file: inserted, or matched by code and updated in place (its tasks follow a
    moved deadline, its targets are matched to the stored ones keeping the figures reported: see
    :mod:`.importing_targets`), then its new tasks listed."""
    conn, result = state.conn, state.result
    values: dict[str, object] = {
        "document_id": doc_id, "code": m.code, "chapter_code": m.chapter_code, "chapter": m.chapter,
        "title": m.title, "text": m.text, "order": m.order, "line": m.line, "due": w.day(conn, m.due),
        "due_phrase": m.due_phrase, "is_context": m.is_context,
    }
    current_tasks: dict[int, tuple[int, str, date | None]] = {}  # unit id -> task id, role, due
    if old is None:
        mid = w.insert(conn, "measure", {**values, "source": ""})
        result.measures_added.append(m.code)
    else:
        mid = old.id
        changed = (old.title, old.text, old.due, old.due_phrase, old.chapter, old.is_context) != (
            m.title, m.text, m.due, m.due_phrase, m.chapter, m.is_context
        )
        if changed or old.order != m.order:
            w.execute(conn, f"UPDATE measure SET {_assignments(values)} WHERE id = :id", {**values, "id": mid})
        if changed:
            result.measures_changed.append(m.code)
        current_tasks = {
            int(unit_id): (int(tid), role, as_date(due))
            for tid, unit_id, role, due in rows(
                conn, "SELECT id, unit_id, role, due FROM task WHERE measure_id = :m ORDER BY id", {"m": mid})
        }
        # a measure whose deadline moved: tasks still on the old deadline follow it
        if old.due != m.due:
            for tid, _role, tdue in current_tasks.values():
                if tdue == old.due:
                    w.execute(conn, "UPDATE task SET due = :due WHERE id = :id", {"due": w.day(conn, m.due), "id": tid})
                    state.event(tid, "due", old.due.isoformat() if old.due else None,
                                m.due.isoformat() if m.due else None, "文件更新")
    result.warnings += save_targets(conn, mid, m.code, m.targets, state.targets.get(mid, []))
    result.targets += len(m.targets)
    if m.is_context:
        return
    listed: set[int] = set()
    for u in m.units:
        uid = unit_ids[u.name]
        if uid in listed:
            continue
        listed.add(uid)
        if uid in current_tasks:
            tid, role, _ = current_tasks[uid]
            if role != u.role:
                _apply(conn, tid, state.by, role=u.role, at=state.at, event_note="文件更新")
                result.tasks_role_changed += 1
            continue
        state.task_rows.append({
            "measure_id": mid, "unit_id": uid, "role": u.role, "status": "todo", "due": w.day(conn, m.due),
            "note": "", "created_at": state.stamp, "updated_at": state.stamp, "updated_by": state.by, "version": 1,
        })
    result.tasks_missing += len(set(current_tasks) - listed)


def _insert_tasks(state: _Import, doc_id: int, unit_ids: dict[str, int]) -> None:
    """The new tasks in one bulk insert; each one's history starts with where it came from."""
    conn = state.conn
    state.result.tasks_added = w.insert_many(conn, "task", state.task_rows)
    names = {uid: name for name, uid in unit_ids.items()}
    new_tasks = rows(
        conn,
        "SELECT task.id, task.unit_id, task.role FROM task JOIN measure ON measure.id = task.measure_id "
        "WHERE measure.document_id = :doc AND task.created_at = :at ORDER BY task.id",
        {"doc": doc_id, "at": state.stamp},
    )
    for tid, uid, role in new_tasks:
        state.event(int(tid), "assign", None, names[int(uid)], f"随文件导入（{'牵头' if role == 'lead' else '配合'}）")


def seed_if_empty(db: Any, config: Config, *, by: str) -> list[ImportResult]:
    """First run: import every file of the configured seeds folder into an empty database."""
    from tracker.ingest import parse_file

    with w.read_tx(db) as conn:  # the app's start never waits for a writer
        if w.first(conn, "SELECT id FROM document LIMIT 1") is not None:
            return []
    seeds = config.seeds_dir
    if seeds is None:  # the documents shipped with tracker (package data in a wheel)
        from tracker.shipped import seeds_dir

        seeds = seeds_dir()
    if seeds is None or not seeds.is_dir():
        return []
    return [import_document(db, parse_file(p, config), by=by) for p in sorted(seeds.glob("*.txt"))]
