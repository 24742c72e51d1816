"""Documents as a whole: archiving (the document leaves lists and reports; its tasks and history stay)."""

from __future__ import annotations

from typing import Any

from tracker.dates import utcnow
from tracker.store import writes as w
from tracker.store.services.errors import NotFoundError


def set_archived(db: Any, document_id: int, archived: bool) -> bool:
    """Archive or restore a document. Returns whether anything changed (archiving twice is no change).

    ``db``: an ``Engine`` or a bare connection (:func:`tracker.store.writes.write_tx`)."""
    with w.write_tx(db) as conn:
        row = w.first(conn, "SELECT archived_at FROM document WHERE id = :id" + w.for_update(conn),
                      {"id": document_id})
        if row is None:
            raise NotFoundError(f"找不到文件 {document_id}（见 tracker summary --archived）")
        if (row[0] is not None) == archived:
            return False
        w.execute(conn, "UPDATE document SET archived_at = :at WHERE id = :id",
                  {"at": w.stamp(conn, utcnow()) if archived else None, "id": document_id})
        return True
