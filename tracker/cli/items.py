"""``tracker add`` (a hand-entered 督办 item: 领导批示, 会议议定事项, 督办单) and ``tracker cadence`` (a
document's reporting cadence)."""

from __future__ import annotations

import argparse

from tracker.cli.args import doc_id, unit_arguments, user_date
from tracker.cli.context import Ctx
from tracker.cli.errors import EXIT_OK, UsageError
from tracker.cli.render import changes_json, fmt_date, print_json
from tracker.config import Config
from tracker.printable import printable


def check_units(ctx: Ctx, names: list[str]) -> None:
    """Refuse a name that is no group, no stored unit and no unit the config knows: a typo, most likely."""
    from tracker.store.services.items import unknown_units

    with ctx.read() as conn:
        unknown = unknown_units(conn, ctx.config, names)
    if unknown:
        raise UsageError(f"未知单位 {'、'.join(unknown)}（请检查名称；确需新建请加 --new）")


def cmd_add(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.store import sql
    from tracker.store.filters import TaskFilter
    from tracker.store.services.items import add_item

    title = " ".join(args.title.split())
    if not title:
        raise UsageError("督办事项标题为空")
    units = unit_arguments(args.units)
    lead = args.lead.strip() if args.lead else None
    if lead and lead in ctx.config.groups:
        raise UsageError(f"{lead} 是单位集合，牵头单位必须是单个单位")
    if not units and not lead:
        raise UsageError("督办事项至少需要一个责任单位（--unit 单位，可重复）")
    if not args.due:
        raise UsageError("督办事项须有办理时限（--due 日期，如 2022-12-31 或 eom）")
    due = user_date(args.due, ctx.today)
    if not args.new:
        check_units(ctx, ([lead] if lead else []) + units)
    measure_id, changes = add_item(ctx.db, ctx.config, title, units=units, lead=lead, due=due, text=args.text,
                                   source=args.source, by=ctx.user)
    with ctx.read() as conn:
        tasks = sql.list_tasks(conn, TaskFilter(measure_id=measure_id), ctx.today, sort="measure")
    code = tasks[0].measure_code if tasks else ""
    document_id = tasks[0].document_id if tasks else None
    if args.json:
        print_json({
            "measure_id": measure_id, "measure": code, "document_id": document_id, "title": title,
            "source": " ".join(args.source.split()), "due": fmt_date(due) or None,
            "tasks": [t.to_json(ctx.today) for t in tasks], "changes": changes_json(changes),
        })
        return EXIT_OK
    leads = "、".join(t.unit for t in tasks if t.role == "lead") or "—"
    print(printable(f"已录入督办事项 {code}（措施 #{measure_id}，文件 #{document_id}）：{title}"))
    print(printable(f"  责任单位 {len(tasks)} 个，牵头 {leads}，办理时限 {fmt_date(due)}；"
                    f"任务 #{tasks[0].id}–#{tasks[-1].id}" if tasks else "  没有任务"))
    return EXIT_OK


def _cadence_json(row, config: Config) -> dict:
    cadence = _effective(row, config)
    return {"document_id": row.id, "title": row.title, "doc_number": row.doc_number, "kind": row.kind,
            "cadence": cadence.text, "label": cadence.label, "default": row.cadence is None}


def _effective(row, config: Config):
    from tracker.cycle import parse_cadence

    if row.cadence is None:
        return config.cadence
    try:
        return parse_cadence(row.cadence)
    except ValueError:  # written by hand into the database: the default applies, as in the reports
        return config.cadence


def _cadence_line(row, config: Config) -> str:
    default = "（默认）" if row.cadence is None else ""
    number = f" {row.doc_number}" if row.doc_number else ""
    return printable(f"#{row.id} {row.title}{number}：{_effective(row, config).label}{default}")


def cmd_cadence(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.store import cycle_reads
    from tracker.store.services.items import set_cadence

    if args.document is None:
        with ctx.read() as conn:
            found = cycle_reads.document_cadences(conn)
        if args.json:
            print_json({"default": ctx.config.cadence.text, "documents": [_cadence_json(r, ctx.config) for r in found]})
            return EXIT_OK
        print(printable(f"默认报送周期：{ctx.config.cadence.label}（配置 [cycle] cadence）"))
        for row in found:
            print("  " + _cadence_line(row, ctx.config))
        return EXIT_OK
    with ctx.read() as conn:
        document = doc_id(args.document, conn)
    assert document is not None
    if args.cadence is not None:
        value = args.cadence.strip()
        reset = value.lower() in ("default", "默认", "reset")
        set_cadence(ctx.db, document, None if reset else value, by=ctx.user)
    with ctx.read() as conn:
        row = cycle_reads.document_cadences(conn, document_id=document)[0]
    if args.json:
        print_json(_cadence_json(row, ctx.config))
        return EXIT_OK
    print(("已设置 " if args.cadence is not None else "") + _cadence_line(row, ctx.config))
    return EXIT_OK
