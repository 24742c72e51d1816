"""``tracker remind`` (催报): per unit, its tasks not reported this period and those past the report day;
``-o DIR`` writes one notice per unit (markdown and .xlsx), ``--json`` the same lists as data."""

from __future__ import annotations

import argparse
import sys

from tracker.cli.args import doc_id
from tracker.cli.context import Ctx
from tracker.cli.errors import EXIT_OK, RuntimeFailure
from tracker.cli.filter_args import resolve_units
from tracker.cli.render import kind_label, print_json
from tracker.labels import late_text
from tracker.printable import printable
from tracker.store.filters import TaskFilter
from tracker.store.periods_sql import Reminders, remind


def cmd_remind(ctx: Ctx, args: argparse.Namespace) -> int:
    with ctx.read() as conn:
        flt = TaskFilter(
            units=resolve_units(args.unit, ctx.config, conn) if args.unit else (),
            document_id=doc_id(args.document, conn),
        )
        reminders = remind(conn, ctx.today, ctx.config, flt)
    if args.output:
        _write_notices(reminders, ctx, args.output)
    if args.json:
        print_json(reminders.to_json())
    elif not args.output:
        sys.stdout.write("\n".join(remind_lines(reminders, ctx)) + "\n")
    return EXIT_OK


def _write_notices(reminders: Reminders, ctx: Ctx, directory: str) -> None:
    from tracker.report.notices import write_notices

    try:
        written = write_notices(reminders, ctx.config, directory)
    except OSError as exc:
        raise RuntimeFailure(f"无法写入催报通知到 {directory}：{_os_reason(exc)}") from None
    if written:
        print(f"已写入催报通知 {len(written)} 份（每个单位一份 .md 和 .xlsx）到 {directory}", file=sys.stderr)
    else:
        print("本期没有需要催报的单位，未写入通知", file=sys.stderr)


def _os_reason(exc: OSError) -> str:
    """Why a directory could not be written, in Chinese (the system's own words are English)."""
    import errno

    reasons = {
        errno.ENOENT: "路径不存在且无法创建", errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限",
        errno.ENOTDIR: "路径中有一部分不是目录", errno.EEXIST: "同名文件已存在，不是目录", errno.EROFS: "文件系统只读",
        errno.ENOSPC: "磁盘空间不足", errno.EISDIR: "通知文件名与已有目录重名", errno.ENAMETOOLONG: "路径过长",
    }
    return reasons.get(exc.errno or 0, "写入失败")


def remind_lines(reminders: Reminders, ctx: Ctx) -> list[str]:
    """The text report: the period, then each unit (worst first) with its unreported tasks."""
    period = reminders.period
    today = reminders.today
    if period is None:
        return ["所选文件不定期报送，无需催报"]
    head = f"催报 · {period.label}（报送截止 {period.report_due.isoformat()}，今天 {today.isoformat()}）"
    if not reminders.units:
        return [head, "本期各单位均已报送"]
    lines = [head]
    late_units = sum(1 for u in reminders.units if u.overdue)
    lines.append(f"未报送单位 {len(reminders.units)} 个，其中逾期未报 {late_units} 个")
    for unit in reminders.units:
        last = unit.last_report.isoformat() if unit.last_report else "从未报送"
        counts = f"未报送 {len(unit.unreported)} 项"
        if unit.overdue:
            counts += f"，逾期未报 {len(unit.overdue)} 项"
        lines.append("")
        lines.append(printable(f"{unit.unit}（{kind_label(unit.kind)}）：{counts}；最近报送 {last}"))
        late = {t.id for t in unit.overdue}
        for t in unit.unreported:
            mark = "逾期未报" if t.id in late else "未报送"
            due = t.due.isoformat() if t.due else "未定"
            progress = t.note or "—"
            lines.append(printable(
                f"  #{t.id} [{mark}] {t.measure_code} {t.measure_title} · {ctx.config.status_label(t.status)} · "
                f"截止 {due}（{late_text(t.due, t.status, today)}）· 最新进展：{progress}"
            ))
    return lines
