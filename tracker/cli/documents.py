"""``archive`` and ``unarchive``: a finished or superseded document leaves lists and reports, keeping its
tasks and history for when it is needed again."""

from __future__ import annotations

import argparse

from tracker.cli.args import doc_id
from tracker.cli.context import Ctx, services
from tracker.cli.errors import EXIT_OK
from tracker.printable import printable
from tracker.store import sql as fast


def _document(ctx: Ctx, text: str):  # noqa: ANN202
    with ctx.read() as conn:
        document = doc_id(text, conn)  # archived documents are ids too
        return next(d for d in fast.list_documents(conn, include_archived=True) if d.id == document)


def cmd_archive(ctx: Ctx, args: argparse.Namespace) -> int:
    return _set(ctx, args, archived=True)


def cmd_unarchive(ctx: Ctx, args: argparse.Namespace) -> int:
    return _set(ctx, args, archived=False)


def _set(ctx: Ctx, args: argparse.Namespace, *, archived: bool) -> int:
    doc = _document(ctx, args.document)
    changed = services.set_archived(ctx.db, doc.id, archived)
    name = printable(f"#{doc.id}《{doc.title}》")
    if archived:
        print(f"已归档文件 {name}：不再出现在任务列表和报告中，任务与历史保留" if changed else f"文件 {name} 已是归档状态")
    else:
        print(f"已恢复文件 {name}" if changed else f"文件 {name} 未归档，无需恢复")
    return EXIT_OK
