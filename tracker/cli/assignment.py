"""``assign`` and ``unassign``: which units answer for a measure."""

from __future__ import annotations

import argparse

from tracker.cli.args import resolve_measure, unit_arguments, user_date
from tracker.cli.context import Ctx, q, services
from tracker.cli.errors import EXIT_OK, UsageError
from tracker.cli.render import (
    changes_json,
    print_json,
)
from tracker.printable import printable
from tracker.store.filters import TaskFilter


def cmd_assign(ctx: Ctx, args: argparse.Namespace) -> int:
    units = unit_arguments(args.units)
    if not units:
        raise UsageError("没有给出单位")
    with ctx.read() as conn:
        measure = resolve_measure(conn, args.measure, args.doc)
        stored = {u.name for u in q.list_units(conn, ctx.today)}
    if not args.new:
        cfg = ctx.config
        unknown = [
            u for u in units
            if u not in cfg.groups and cfg.canonical_unit(u) not in stored and cfg.unit_kind(cfg.canonical_unit(u)) is None
        ]
        if unknown:
            raise UsageError(f"未知单位 {'、'.join(unknown)}（请检查名称；确需新建请加 --new）")
    lead = None
    if args.lead:
        lead = units[0]
        if lead in ctx.config.groups:
            raise UsageError(f"{lead} 是单位集合，牵头单位必须是单个单位")
    due = user_date(args.due, ctx.today) if args.due else None
    changes = services.assign(ctx.db, measure.id, units, by=ctx.user, lead=lead, config=ctx.config, due=due)
    with ctx.read() as conn:
        rows = {r.id: r for r in q.list_tasks(conn, TaskFilter(measure_id=measure.id), ctx.today, sort="measure")}
    if args.json:
        print_json({
            "measure_id": measure.id,
            "measure": measure.code,
            "changes": changes_json(changes),
            "tasks": [r.to_json(ctx.today) for r in rows.values()],
        })
        return EXIT_OK
    added = [c.task_id for c in changes if c.created]
    head = f"新增任务 {len(added)} 项" if added else "没有新增任务（这些单位已有任务）"
    print(printable(f"措施 {measure.code}（#{measure.id}）：{head}，现有责任单位 {len(rows)} 个"))
    lead_names = [r.unit for r in rows.values() if r.role == "lead"]
    if lead_names:
        print(printable(f"牵头单位：{'、'.join(lead_names)}"))
    return EXIT_OK

def cmd_unassign(ctx: Ctx, args: argparse.Namespace) -> int:
    with ctx.read() as conn:
        measure = resolve_measure(conn, args.measure, args.doc)
    tid = services.unassign(ctx.db, measure.id, args.unit, by=ctx.user, config=ctx.config)
    print(printable(f"已从措施 {measure.code} 移除 {ctx.config.canonical_unit(args.unit.strip())}（任务 #{tid}）"))
    return EXIT_OK
