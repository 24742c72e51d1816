"""``tracker import``: parse every file first (any error stores nothing), then store."""

from __future__ import annotations

import argparse
from pathlib import Path

from tracker.cli.context import Ctx, services
from tracker.cli.errors import EXIT_OK, EXIT_USAGE, UsageError
from tracker.cli.render import (
    T,
    console,
    print_json,
)

# What a folder import picks up (a single file is read whatever its name: the format comes from its content).
IMPORTABLE_SUFFIXES = (".txt", ".md", ".html", ".htm", ".docx", ".xlsx", ".pdf", ".doc", ".wps", ".xls", ".et")


def cmd_import(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.ingest import IngestError, parse_file

    files: list[Path] = []
    for raw in args.paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(x for x in p.iterdir() if x.is_file() and x.suffix.lower() in IMPORTABLE_SUFFIXES))
        else:
            files.append(p)
    if not files:
        raise UsageError("没有要导入的文件")
    if args.replace is not None and len(files) != 1:
        raise UsageError("--replace 一次只能替换一个文件")

    # Parse everything first: any error stores nothing.
    parsed = []
    errors: list[str] = []
    for path in files:
        try:
            parsed.append(parse_file(path, ctx.config))
        except IngestError as exc:
            errors.append(str(exc))
    if errors:
        import sys

        for line in errors:
            print("tracker: " + " ".join(line.split()), file=sys.stderr)
        if len(errors) > 1 or len(files) > 1:
            print(f"tracker: {len(files)} 个文件中 {len(errors)} 个读取失败，未导入任何内容", file=sys.stderr)
        return EXIT_USAGE

    if args.dry_run:
        if args.json:
            data = [d.to_json() for d in parsed]
            print_json(data[0] if len(data) == 1 else data)
            return EXIT_OK
        out = console()
        for doc in parsed:
            _print_parsed(out, doc, None)
        out.print("（试运行：未保存）")
        return EXIT_OK

    results = [services.import_document(ctx.db, doc, by=ctx.user, replace=args.replace) for doc in parsed]
    if args.json:
        data = [{"path": d.path, **r.to_json()} for d, r in zip(parsed, results, strict=True)]
        print_json(data[0] if len(data) == 1 else data)
        return EXIT_OK
    out = console()
    for doc, result in zip(parsed, results, strict=True):
        _print_parsed(out, doc, result)
    return EXIT_OK

def _print_parsed(out, doc, result) -> None:  # noqa: ANN001
    measures = [m for m in doc.measures if not m.is_context]
    context = len(doc.measures) - len(measures)
    units = {u.name for m in measures for u in m.units}
    targets = sum(len(m.targets) for m in doc.measures)
    waiting = [m.code for m in measures if not m.units]
    head = f"{doc.path} — {doc.title}"
    if doc.doc_number:
        head += f"（{doc.doc_number}）"
    out.print(T(head, "bold"))
    line = f"  措施 {len(measures)}"
    if context:
        line += f"（另有背景段落 {context}）"
    line += f" · 任务 {doc.task_count} · 单位 {len(units)} · 指标 {targets} · 待分配措施 {len(waiting)}"
    out.print(T(line))
    if waiting:
        shown = "、".join(waiting[:20]) + ("…" if len(waiting) > 20 else "")
        out.print(T(f"  待分配：{shown}"))
    if result is not None:
        out.print(T("  " + _result_text(result)))
        for warning in result.warnings:
            out.print(T(f"  注意：{warning}", "yellow"))
    if doc.warnings:
        out.print(T(f"  警告 {len(doc.warnings)} 条：", "yellow"))
        for w in doc.warnings:
            out.print(T(f"    第 {w.line} 行：{w.message}", "yellow"))

def _result_text(r) -> str:  # noqa: ANN001
    if r.unchanged:
        return f"无变化（与已导入的文件 #{r.document_id} 相同）"
    parts = [f"新文件 #{r.document_id}" if r.created else f"{'替换' if r.replaced else '更新'}文件 #{r.document_id}"]
    if r.measures_added and not r.created:
        parts.append("新增措施 " + "、".join(r.measures_added))
    if r.measures_changed:
        parts.append("修改措施 " + "、".join(r.measures_changed))
    if r.measures_missing:
        parts.append("文件中已无（保留）" + "、".join(r.measures_missing))
    parts.append(f"新增任务 {r.tasks_added}")
    if r.tasks_role_changed:
        parts.append(f"角色变更 {r.tasks_role_changed}")
    if r.tasks_missing:
        parts.append(f"不再列出的任务（保留）{r.tasks_missing}")
    if r.units_added:
        parts.append(f"新单位 {len(r.units_added)}")
    return "已保存：" + " · ".join(parts)
