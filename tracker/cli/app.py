"""``tracker`` with no command: seed an empty database, then open the Textual app."""

from __future__ import annotations

import argparse

from tracker.cli.context import make_ctx, services
from tracker.cli.errors import EXIT_OK


def open_app(args: argparse.Namespace) -> int:
    """``tracker`` with no command: first run imports the seeds, then the Textual app.

    The app reads and writes through bare connections (no SQLAlchemy at start-up); only a first run,
    or a database whose schema is older, goes through the engine, which creates or upgrades it.
    """
    from tracker.store.app_queries import any_documents
    from tracker.store.urls import safe_url
    from tracker.store.writes import StoreError

    ctx = make_ctx(args)
    db = ctx.open_direct()
    if db is not None:
        with db.read_tx() as conn:
            seeded = any_documents(conn)
        if not seeded:
            db.close()
            db = None
    if db is None:
        services.seed_if_empty(ctx.engine, ctx.config, by=ctx.user)
        db = ctx.open_direct()
        if db is None:
            raise StoreError(f"无法打开数据库：{safe_url(ctx.url)}")
    from tracker.tui.app import run_app
    from tracker.tui.context import AppContext

    try:
        result = run_app(AppContext(db, ctx.config, ctx.today, ctx.user))
    finally:
        db.close()
    return int(result) if isinstance(result, int) else EXIT_OK
