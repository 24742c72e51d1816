"""``tracker export``: the status report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.cli.args import build_filter
from tracker.cli.context import Ctx
from tracker.cli.errors import EXIT_OK

if TYPE_CHECKING:
    pass


def cmd_export(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.report.markdown import render_report

    with ctx.read() as conn:
        flt = build_filter(args, ctx, conn)
        text = render_report(conn, flt, ctx.today, ctx.config, by=args.group_by)
    if args.output and args.output != "-":
        path = Path(args.output)
        path.write_text(text, encoding="utf-8")
        import sys

        print(f"已导出 {path}", file=sys.stderr)
    else:
        import sys

        sys.stdout.write(text)
    return EXIT_OK
