"""The reporting period a command was asked for: ``--period 2022-11`` or ``--since DATE [--until DATE]``."""

from __future__ import annotations

import argparse
from typing import Any

from tracker.cli.args import user_date
from tracker.cli.context import Ctx
from tracker.cli.errors import UsageError
from tracker.cycle import Period, custom_period, parse_period
from tracker.dates import DateParseError


def period_from_args(args: argparse.Namespace, ctx: Ctx, conn: Any, document_id: int | None = None) -> Period | None:
    """The period named on the command line (``None``: no period asked for). A month, quarter or week
    takes its report day from the document's cadence (``--doc``), else the configured one."""
    text = getattr(args, "period", None)
    since = getattr(args, "since", None)
    until = getattr(args, "until", None)
    if text and (since or until):
        raise UsageError("--period 与 --since/--until 只能选用一种")
    if until and not since:
        raise UsageError("--until 需要与 --since 一起使用")
    if text:
        cadence = ctx.config.cadence
        if document_id is not None:
            from tracker.store.periods_sql import document_cadence

            cadence = document_cadence(conn, ctx.config).get(document_id, cadence)
        try:
            return parse_period(text, cadence)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if since:
        try:
            start = user_date(since, ctx.today)
            end = user_date(until, ctx.today) if until else ctx.today
        except DateParseError as exc:
            raise UsageError(f"报告期：{exc}") from None
        assert start is not None and end is not None
        try:
            return custom_period(start, end)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    return None
