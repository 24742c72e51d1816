"""Hand-entered 督办 items and per-document reporting cadence.

Not every task comes from a document: 领导批示, 会议议定事项 and 督办单 are entered by hand. Each becomes a
measure (``督1``, ``督2``, …) of one standing document, ``督办事项`` (``kind = 'adhoc'``), created on the
first item, with tasks for its units as :func:`assign` makes them, in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from tracker.config import Config
from tracker.cycle import Cadence, parse_cadence
from tracker.dates import utcnow
from tracker.store import writes as w
from tracker.store.services.assignment import assign_in
from tracker.store.services.errors import Change, NotFoundError, ServiceError

ADHOC_TITLE = "督办事项"
ADHOC_KIND = "adhoc"
ADHOC_CODE = "督"  # measure codes 督1, 督2, …; also the chapter the items are grouped under
ADHOC_CHAPTER = "交办督办事项"


def unknown_units(conn: Any, config: Config, names: Sequence[str]) -> list[str]:
    """The names that are no group, no stored unit and no unit the config knows — a typo, most likely;
    the command line and the app's form both ask before creating them."""
    from tracker.store.sql import unit_names

    stored = set(unit_names(conn))
    return [
        u for u in names
        if u not in config.groups and config.canonical_unit(u) not in stored
        and config.unit_kind(config.canonical_unit(u)) is None
    ]


def _standing_document(conn: Any, at: datetime) -> int:
    """The standing document hand-entered items go into: the first one not archived, else a new one."""
    found = w.scalar(
        conn,
        "SELECT id FROM document WHERE kind = :kind AND archived_at IS NULL ORDER BY id",
        {"kind": ADHOC_KIND},
    )
    if found is not None:
        return int(found)
    return w.insert(conn, "document", {
        "title": ADHOC_TITLE, "doc_number": None, "issuer": None, "issued": None, "source_path": "",
        "content_hash": f"{ADHOC_KIND}:{at.isoformat()}", "has_clauses": True, "imported_at": w.stamp(conn, at),
        "archived_at": None, "cadence": None, "kind": ADHOC_KIND,
    })


def add_item(
    db: Any,
    config: Config | None,
    title: str,
    *,
    units: Sequence[str],
    lead: str | None = None,
    due: date | None = None,
    text: str = "",
    source: str = "",
    by: str,
    at: datetime | None = None,
) -> tuple[int, list[Change]]:
    """A 督办 item: a new measure of the standing 督办事项 document and one task per unit (``各街镇``
    expands; ``lead`` leads, else the first unit). Returns the measure's id and the task changes."""
    title = " ".join((title or "").split())
    if not title:
        raise ServiceError("督办事项标题为空")
    names = [u.strip() for u in units if u and u.strip()]
    if lead and lead.strip() and lead.strip() not in names:
        names.insert(0, lead.strip())
    if not names:
        raise ServiceError("督办事项至少需要一个责任单位（--unit）")
    at = at or utcnow()
    with w.write_tx(db) as conn:
        document_id = _standing_document(conn, at)
        order = int(w.scalar(conn, 'SELECT COALESCE(MAX("order"), 0) FROM measure WHERE document_id = :d',
                             {"d": document_id})) + 1
        while w.scalar(conn, "SELECT id FROM measure WHERE document_id = :d AND code = :c",
                       {"d": document_id, "c": f"{ADHOC_CODE}{order}"}) is not None:
            order += 1
        measure_id = w.insert(conn, "measure", {
            "document_id": document_id, "code": f"{ADHOC_CODE}{order}", "chapter_code": ADHOC_CODE,
            "chapter": ADHOC_CHAPTER, "title": title, "text": (text or "").strip() or title, "order": order,
            "line": 0, "due": w.day(conn, due), "due_phrase": None, "is_context": False,
            "source": " ".join((source or "").split()),
        })
        changes = assign_in(conn, measure_id, names, by=by, lead=lead.strip() if lead else None, config=config,
                            due=due, at=at)
        return measure_id, changes


def set_cadence(db: Any, document_id: int, cadence: str | Cadence | None, *, by: str = "") -> Cadence | None:
    """Set a document's reporting cadence (``monthly:25``, ``周报:周五``, ``none``…); ``None`` returns it
    to the config's default. Returns the cadence stored (``None``: the default). ``by`` is for the
    interface's symmetry: documents keep no history of their own."""
    del by
    if isinstance(cadence, str):
        try:
            cadence = parse_cadence(cadence)
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
    with w.write_tx(db) as conn:
        if w.scalar(conn, "SELECT id FROM document WHERE id = :id", {"id": document_id}) is None:
            raise NotFoundError(f"找不到文件 {document_id}（见 tracker summary）")
        w.execute(conn, "UPDATE document SET cadence = :cadence WHERE id = :id",
                  {"cadence": cadence.text if cadence is not None else None, "id": document_id})
    return cadence
