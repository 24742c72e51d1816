"""The documents the task list offers to filter by, read without counting their tasks.

``list_documents`` counts every document's tasks (~0.2 s over a million, through every measure's index
range); the app's first screen only needs to know whether a document has measures and tasks at all.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from tracker.store.sql import rows


class DocumentChoice(NamedTuple):
    id: int
    title: str
    doc_number: str | None
    measures: bool  # has a measure that is not context (as ``DocumentRow.measures`` counts them)
    tasks: bool  # has a task


def document_choices(conn: Any) -> list[DocumentChoice]:
    """The unarchived documents in import order (``list_documents``'s), each with whether it has measures
    and tasks: one index probe each instead of a count."""
    query = (
        "SELECT document.id, document.title, document.doc_number, "
        "EXISTS (SELECT 1 FROM measure WHERE measure.document_id = document.id AND NOT measure.is_context), "
        "EXISTS (SELECT 1 FROM measure JOIN task ON task.measure_id = measure.id "
        "WHERE measure.document_id = document.id) "
        "FROM document WHERE document.archived_at IS NULL ORDER BY document.id"
    )
    return [DocumentChoice(r[0], r[1], r[2], bool(r[3]), bool(r[4])) for r in rows(conn, query)]
