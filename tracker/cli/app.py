"""``tracker`` with no command: seed an empty database, then open the Textual app."""

from __future__ import annotations

import argparse

from tracker.cli.context import make_ctx, services
from tracker.cli.errors import EXIT_OK


def open_app(args: argparse.Namespace) -> int:
    """``tracker`` with no command: first run imports the seeds, then the Textual app."""
    ctx = make_ctx(args)
    services.seed_if_empty(ctx.engine, ctx.config, by=ctx.user)
    from tracker.tui.app import run_app
    from tracker.tui.context import AppContext

    result = run_app(AppContext(ctx.engine, ctx.config, ctx.today, ctx.user))
    return int(result) if isinstance(result, int) else EXIT_OK
