"""Documents as a whole: archiving (the document leaves lists and reports; its tasks and history stay)."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.engine import Engine

from tracker.dates import utcnow
from tracker.store.engine import write_tx
from tracker.store.models import Document
from tracker.store.services.errors import NotFoundError


def set_archived(engine: Engine, document_id: int, archived: bool) -> bool:
    """Archive or restore a document. Returns whether anything changed (archiving twice is no change)."""
    with write_tx(engine) as conn:
        row = conn.execute(select(Document.archived_at).where(Document.id == document_id)).first()
        if row is None:
            raise NotFoundError(f"找不到文件 {document_id}（见 tracker summary --archived）")
        if (row.archived_at is not None) == archived:
            return False
        conn.execute(update(Document).where(Document.id == document_id)
                     .values(archived_at=utcnow() if archived else None))
        return True
