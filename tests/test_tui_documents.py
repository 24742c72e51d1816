"""Several documents: the task list tags each task with its document (文N), and the preview names it."""

from __future__ import annotations

import hashlib
from dataclasses import replace

from textual.widgets import Static

from tests.tui_helpers import (
    build_document,
    engine_of,
    make_context,
    run_async,
    screen_lines,
    settle,
    shown_text,
)
from tracker.store import queries, services
from tracker.store.engine import read_tx
from tracker.tui.app import create_app
from tracker.tui.widgets.task_table import TaskTable

SIZE = (160, 45)


def header(app) -> list[str]:
    return app.home.query_one(TaskTable).render_line(0).text.split()


@run_async
async def test_one_document_needs_no_document_column(tmp_path):
    ctx = make_context(tmp_path)  # the second sample document has no tasks
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "文件" not in header(app)


@run_async
async def test_several_documents_tag_every_task(tmp_path):
    ctx = make_context(tmp_path)
    other = replace(build_document(), path="seeds/009_other.txt", doc_number="青府办发〔2022〕9号",
                    title="关于进一步稳就业的补充通知", content_hash=hashlib.sha256(b"another document").hexdigest())
    services.import_document(engine_of(ctx), other, by="导入")
    with read_tx(engine_of(ctx)) as conn:
        numbers = {d.id: d.doc_number for d in queries.list_documents(conn)}
    app = create_app(ctx, poll=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        t = app.home.query_one(TaskTable)
        assert header(app)[:3] == ["编号", "文件", "条目"]
        docs = {t.row_at(i).document_id for i in range(t.total) if t.row_at(i) is not None}
        assert len(docs) == 2
        for y in range(1, 10):
            row = t.row_at(y - 1)
            assert t.render_line(y).text.split()[1] == f"文{row.document_id}"
        preview = shown_text(app.home.query_one("#row-preview", Static))
        assert numbers[t.row_at(0).document_id] in preview
        assert all(len(line) <= SIZE[0] for line in screen_lines(app))
