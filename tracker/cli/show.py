"""``tracker show TASK``: one task with its measure, the other units, targets and history."""

from __future__ import annotations

import argparse

from tracker.cli.args import parse_task_id
from tracker.cli.context import Ctx, q
from tracker.cli.errors import EXIT_OK, UsageError
from tracker.cli.render import (
    T,
    console,
    fmt_date,
    kind_label,
    late_text,
    print_json,
    rich_table,
    role_label,
    row_style,
    status_cell,
)
from tracker.cli.targets import figure_text
from tracker.config import (
    Config,
)
from tracker.dates import local_day, local_minute
from tracker.labels import format_amount
from tracker.store import cycle_reads
from tracker.store.detail_rows import readable_history
from tracker.store.filters import TaskFilter


def cmd_show(ctx: Ctx, args: argparse.Namespace) -> int:
    tid = parse_task_id(args.task)
    with ctx.read() as conn:
        task = q.get_task(conn, tid)
        if task is None:
            raise UsageError(f"找不到任务 {tid}")
        measure = q.get_measure(conn, task.measure_id)
        others = q.list_tasks(conn, TaskFilter(measure_id=task.measure_id), ctx.today, sort="measure")
        targets = q.list_targets(conn, measure_id=task.measure_id)
        history = q.task_history(conn, tid)
        extensions = cycle_reads.task_extensions(conn, tid)
        evidence = cycle_reads.task_evidence(conn, tid)
    if args.json:
        measure_json = measure.to_json() | {"text": measure.text} if measure else None
        print_json({
            "today": ctx.today.isoformat(),
            "task": task.to_json(ctx.today),
            "measure": measure_json,
            "units": [
                {"task_id": o.id, "unit": o.unit, "unit_kind": o.unit_kind, "role": o.role, "status": o.status,
                 "due": fmt_date(o.due) or None, "overdue": o.is_overdue(ctx.today)}
                for o in others
            ],
            "targets": [t.to_json() for t in targets],
            "history": [e.to_json() for e in history],
            "extensions": [x.to_json() for x in extensions],
            "evidence": [e.to_json() for e in evidence],
        })
        return EXIT_OK
    out = console()
    style = row_style(task.status, task.is_overdue(ctx.today), task.is_due_soon(ctx.today, ctx.config.due_soon_days))
    out.print(T(f"任务 #{task.id} · {task.unit}（{kind_label(task.unit_kind)}，{role_label(task.role)}）", "bold"))
    fields = [
        ("文件", f"#{task.document_id} {task.document_title}"),
        ("措施", f"{task.measure_code} {task.measure_title}".strip()),
        ("状态", ctx.config.status_label(task.status)),
        ("截止", (fmt_date(task.due) or "未定") + (f"（{task.due_phrase}）" if task.due_phrase else "")),
        ("逾期/剩余", late_text(task.due, task.status, ctx.today)),
        ("最新进展", task.note or "—"),
        ("更新", f"{local_minute(task.updated_at)} {task.updated_by}".strip()),
        ("版本", str(task.version)),
    ]
    for label, value in fields:
        out.print(T(f"  {label}：", "bold") + T(value, style if label in ("状态", "逾期/剩余") else ""))
    if measure and measure.text:
        out.print(T("措施原文", "bold"))
        out.print(T(measure.text, multiline=True))
    table = rich_table()
    for col in ("编号", "单位", "角色", "状态", "截止", "逾期/剩余"):
        table.add_column(col, no_wrap=True)
    for o in others:
        mark = "▶ " if o.id == task.id else ""
        table.add_row(
            T(o.id), T(mark + o.unit), T(role_label(o.role)), status_cell(o.status, ctx.config), T(fmt_date(o.due)),
            T(late_text(o.due, o.status, ctx.today)),
            style=row_style(o.status, o.is_overdue(ctx.today), o.is_due_soon(ctx.today, ctx.config.due_soon_days)),
        )
    out.print(T(f"同一措施的责任单位（{len(others)}）", "bold"))
    out.print(table)
    if targets:
        out.print(T("量化指标", "bold"))
        for t in targets:
            actual = f"；最新实际 {format_amount(t.actual)}{t.uom}（{fmt_date(t.actual_at)}）" if t.actual is not None else ""
            out.print(T(f"  {t.phrase}{actual}"))
            if len(t.history) > 1:
                out.print(T("    历次报送：" + " → ".join(figure_text(f.value, f.as_of) for f in t.history)))
    _print_cycle(out, extensions, evidence)
    shown = readable_history(history)
    out.print(T(f"历史（{len(shown)}）", "bold"))
    for e in shown:
        change = _event_text(e, ctx.config)
        note = f" — {e.note}" if e.note else ""
        out.print(T(f"  {local_minute(e.at)} {e.by}：{change}{note}"))
    return EXIT_OK

EXTENSION_STATES = {"pending": "待审批", "approved": "已批准", "rejected": "已驳回"}


def _print_cycle(out, extensions, evidence) -> None:  # noqa: ANN001
    """延期申请 and 佐证材料 of the task, when it has any."""
    if extensions:
        out.print(T(f"延期申请（{len(extensions)}）", "bold"))
        for x in extensions:
            decided = "；待审批"
            if x.state != "pending":
                note = f"：{x.decision_note}" if x.decision_note else ""
                decided = f"；{x.decided_by} {local_day(x.decided_at).isoformat()} {EXTENSION_STATES[x.state]}{note}"
            out.print(T(f"  {local_day(x.requested_at).isoformat()} {x.requested_by}：{fmt_date(x.old_due) or '未定'} → "
                        f"{fmt_date(x.requested_due)}，理由：{x.reason}{decided}"))
    if evidence:
        out.print(T(f"佐证材料（{len(evidence)}）", "bold"))
        for e in evidence:
            caption = f"（{e.caption}）" if e.caption else ""
            out.print(T(f"  {e.ref}{caption} — {e.added_by} {local_day(e.added_at).isoformat()}"))


def _event_text(e, config: Config) -> str:  # noqa: ANN001
    if e.field == "extend":
        return f"申请延期 {e.old or '未定'} → {e.new}"
    if e.field == "extend_decision":
        return f"延期申请{EXTENSION_STATES.get(e.new or '', e.new or '')}"
    if e.field == "verify":
        verb = "销号" if e.new == "done" else "退回"
        return f"{verb} {config.status_label(e.old or '')} → {config.status_label(e.new or '')}"
    if e.field == "evidence":
        return f"佐证材料 {e.new}"
    if e.field == "status":
        return f"状态 {config.status_label(e.old or '')} → {config.status_label(e.new or '')}"
    if e.field == "due":
        return f"截止 {e.old or '未定'} → {e.new or '未定'}"
    if e.field == "role":
        return f"角色 {role_label(e.old or '')} → {role_label(e.new or '')}"
    if e.field == "note":
        return "进展"
    if e.field == "assign":
        return f"分配给 {e.new}"
    return f"{e.field} {e.old or ''} → {e.new or ''}".strip()
