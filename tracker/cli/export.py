"""``tracker export``: the status report (markdown, Word) or the Excel 台账, chosen by -o's extension."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker.cli.context import Ctx
from tracker.cli.errors import EXIT_OK, UsageError
from tracker.cli.filter_args import build_filter
from tracker.cli.period_args import period_from_args

_BY_EXTENSION = {".md": "md", ".markdown": "md", ".txt": "md", "": "md", ".xlsx": "xlsx", ".docx": "docx"}


def export_format(args: argparse.Namespace) -> str:
    """--format, else the output file's extension; an extension that tells nothing is an error."""
    if getattr(args, "export_format", None):
        return args.export_format
    if not args.output or args.output == "-":
        return "md"
    suffix = Path(args.output).suffix.lower()
    if suffix not in _BY_EXTENSION:
        raise UsageError(f"无法从扩展名 {suffix} 判断导出格式：可用 .md（报告）、.docx（Word 报告）、.xlsx（台账），或用 --format 指定")
    return _BY_EXTENSION[suffix]


def cmd_export(ctx: Ctx, args: argparse.Namespace) -> int:
    fmt = export_format(args)
    to_file = bool(args.output and args.output != "-")
    if fmt != "md" and not to_file:
        raise UsageError(f"{'Excel 台账' if fmt == 'xlsx' else 'Word 报告'}需要用 -o 指定输出文件")
    with ctx.read() as conn:  # plain SQL: no SQLAlchemy or SQLModel to load
        flt = build_filter(args, ctx, conn)
        period = period_from_args(args, ctx, conn, flt.document_id)  # 本期进展 in the md/docx report
        if period is not None and fmt == "xlsx":
            raise UsageError("本期进展只在报告（.md、.docx）中，台账（.xlsx）不支持 --period/--since")
        if fmt == "xlsx":
            from tracker.report.ledger_xlsx import write_ledger

            result = write_ledger(conn, flt, ctx.today, ctx.config, args.output)
            print(f"已导出台账 {result.path}（{result.tasks} 项任务，工作表：{'、'.join(result.sheets)}）", file=sys.stderr)
            return EXIT_OK
        if fmt == "docx":
            from tracker.report.docx_report import write_docx_report

            path = write_docx_report(conn, flt, ctx.today, ctx.config, args.output, by=args.group_by,
                                     period=period)
            print(f"已导出 Word 报告 {path}", file=sys.stderr)
            return EXIT_OK
        from tracker.report.markdown import write_report

        if not to_file:  # written as the tasks are read
            write_report(conn, flt, ctx.today, ctx.config, sys.stdout.write, by=args.group_by, period=period)
            return EXIT_OK
        path = Path(args.output)
        with path.open("w", encoding="utf-8") as out:
            write_report(conn, flt, ctx.today, ctx.config, out.write, by=args.group_by, period=period)
    print(f"已导出 {path}", file=sys.stderr)
    return EXIT_OK
