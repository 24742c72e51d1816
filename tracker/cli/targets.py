"""``targets`` and ``actual``: numeric targets (指标) and the figures reported against them."""

from __future__ import annotations

import argparse
import re

from tracker.cli.args import doc_id, parse_task_id, user_date
from tracker.cli.context import Ctx, services
from tracker.cli.errors import EXIT_OK, UsageError
from tracker.cli.render import (
    T,
    console,
    fmt_date,
    print_json,
    rich_table,
)
from tracker.labels import format_amount, target_text
from tracker.store.targets_sql import list_targets

_MULTIPLIERS = {"万": 1e4, "亿": 1e8}

def parse_amount(text: str) -> float | None:
    """A figure typed by a person: ``390000``, ``39万``, ``0.8亿``, ``85%``, ``1,100``; ``none`` clears it."""
    raw = text.strip().replace(",", "").replace("，", "").replace(" ", "")
    if raw.lower() in {"none", "无", "-"}:
        return None
    match = re.fullmatch(r"(\d+(?:\.\d+)?)(万|亿)?(?:%|％)?[^\d]*", raw)
    if not match:
        raise UsageError(f"看不懂数字 {text!r}（如 390000、39万、85%）")
    return float(match.group(1)) * _MULTIPLIERS.get(match.group(2) or "", 1.0)

def cmd_targets(ctx: Ctx, args: argparse.Namespace) -> int:
    with ctx.read() as conn:
        targets = list_targets(conn, document_id=doc_id(args.doc, conn))
    if args.json:
        print_json({"today": ctx.today.isoformat(), "targets": [t.to_json() for t in targets]})
        return EXIT_OK
    table = rich_table()
    for col, justify in (("编号", "right"), ("措施", "left"), ("指标", "left"), ("目标", "right"),
                         ("截止", "left"), ("最新实际", "right"), ("完成度", "right"), ("此前报送", "left")):
        table.add_column(col, justify=justify, no_wrap=col not in ("指标", "此前报送"), overflow="ellipsis")
    for t in targets:
        progress = f"{100 * t.progress:.0f}%" if t.progress is not None else "—"
        actual = f"{format_amount(t.actual)}（{fmt_date(t.actual_at)}）" if t.actual is not None else "未报"
        table.add_row(
            T(t.id), T(t.measure_code), T(t.phrase), T(target_text(t.comparator, t.value, t.uom)),
            T(fmt_date(t.due)), T(actual), T(progress), T(earlier_figures(t)),
        )
    console().print(table)
    return EXIT_OK


def figure_text(value: float | None, as_of) -> str:  # noqa: ANN001
    return f"{format_amount(value) if value is not None else '撤回'}（{fmt_date(as_of)}）"


def earlier_figures(t, limit: int = 3) -> str:  # noqa: ANN001
    """The figures before the current one, newest first (``38万（2022-09-30）``). The history is in date
    order, so the current figure is its last entry."""
    earlier = list(reversed(t.history[:-1]))
    text = "、".join(figure_text(f.value, f.as_of) for f in earlier[:limit])
    return text + ("…" if len(earlier) > limit else "") if text else "—"

def cmd_actual(ctx: Ctx, args: argparse.Namespace) -> int:
    tid = parse_task_id(args.target, "指标")
    value = parse_amount(args.value)
    as_of = user_date(args.as_of, ctx.today) if args.as_of else ctx.today
    try:
        services.set_target_actual(ctx.db, tid, value, as_of, by=ctx.user)
    except services.NotFoundError:
        raise UsageError(f"找不到指标 {tid}（见 tracker targets）") from None
    with ctx.read() as conn:
        (target,) = list_targets(conn, target_id=tid)
    if args.json:
        print_json({"target_id": tid, "actual": target.actual, "actual_at": fmt_date(target.actual_at) or None,
                    "recorded": {"value": value, "as_of": as_of.isoformat()},
                    "history": [f.to_json() for f in target.history]})
        return EXIT_OK
    recorded = figure_text(value, as_of)
    if target.actual_at is not None and target.actual_at > as_of:
        print(f"指标 #{tid} 已记录 {recorded}；最新实际仍为 {figure_text(target.actual, target.actual_at)}（日期更晚）")
    else:
        print(f"指标 #{tid} 最新实际 → {recorded}")
    return EXIT_OK
