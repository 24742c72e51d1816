"""``tracker`` with no command: seed an empty database, then open the Textual app."""

from __future__ import annotations

import argparse

from tracker.cli.context import make_ctx, services
from tracker.cli.errors import EXIT_OK


def open_app(args: argparse.Namespace) -> int:
    """``tracker`` with no command: first run imports the seeds, then the Textual app.

    The app reads and writes through the command's database handle (bare connections, no SQLAlchemy at
    start-up); only a first run, or a database whose schema is older, goes through the engine first.
    """
    from tracker.store.app_queries import any_documents

    ctx = make_ctx(args)
    try:
        with ctx.read() as conn:
            seeded = any_documents(conn)
        if not seeded:
            services.seed_if_empty(ctx.db, ctx.config, by=ctx.user)
        from tracker.tui.app import run_app
        from tracker.tui.context import AppContext

        result = run_app(AppContext(ctx.db, ctx.config, ctx.today, ctx.user))
    finally:
        ctx.close()
    return int(result) if isinstance(result, int) else EXIT_OK
