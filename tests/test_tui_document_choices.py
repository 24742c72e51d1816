"""The task list's document choices say what ``list_documents`` says (which documents, whether each has
measures and tasks), on SQLite and PostgreSQL: documents with tasks, with measures but no task, with context
only, and archived."""

from __future__ import annotations

import pytest

from tests.store_data import document, measure, sample_document, unit
from tracker.store import services as s
from tracker.store import sql
from tracker.store.database import open_database
from tracker.store.document_choices import document_choices
from tracker.store.engine import make_engine


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_document_choices_agree_with_the_counted_documents(db_url):
    engine = make_engine(db_url)
    s.import_document(engine, sample_document(), by="导入员")  # measures and tasks
    s.import_document(engine, document([measure("一（一）", [], order=1)], path="no-units.txt", number="无单位"),
                      by="导入员")  # a measure without tasks
    s.import_document(engine, document([measure("一（一）", [], is_context=True, order=1, due=None)],
                                       path="context.txt", number=None), by="导入员")  # context only
    s.import_document(engine, document([measure("一（一）", [unit("区经委", "lead")], order=1)], path="old.txt",
                                       number="旧文"), by="导入员")
    engine.dispose()
    db = open_database(db_url)
    try:
        with db.write_tx() as conn:
            archived = max(sql.document_ids(conn))
            sql.rows(conn, "UPDATE document SET archived_at = CURRENT_TIMESTAMP WHERE id = :id RETURNING id",
                     {"id": archived})
        with db.read_tx() as conn:
            counted = sql.list_documents(conn)
            choices = document_choices(conn)
    finally:
        db.close()
    assert [(d.id, d.title, d.doc_number, bool(d.measures), bool(d.tasks)) for d in counted] == [tuple(c) for c in choices]
    assert archived not in {c.id for c in choices}
    assert [(c.measures, c.tasks) for c in choices] == [(True, True), (True, False), (False, False)]
