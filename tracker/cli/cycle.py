"""The supervision cycle on the command line: ``extend`` (延期申请 and its ruling), ``verify`` (销号) and
``evidence`` (佐证材料); ``evidence_arguments`` also serves ``set`` and ``note``'s ``--evidence``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tracker.cli.args import MAX_ID, nonnegative, parse_task_id, user_date
from tracker.cli.context import Ctx
from tracker.cli.errors import EXIT_OK, UsageError
from tracker.cli.render import (
    T,
    changes_json,
    console,
    fmt_date,
    print_json,
    rich_table,
)
from tracker.dates import local_minute
from tracker.printable import printable


def _version(args: argparse.Namespace) -> int | None:
    return nonnegative(args.version, "--version", MAX_ID)


def evidence_arguments(args: argparse.Namespace) -> list[tuple[str, str]]:
    """``--evidence``/``--caption`` pairs, stripped; a local path that does not exist is recorded as given
    (it may be on a share this machine does not mount) with a warning."""
    pairs: list[tuple[str, str]] = []
    for ref, caption in getattr(args, "evidence", None) or []:
        ref = ref.strip()
        if not ref:
            raise UsageError("--evidence 的路径或网址为空")
        warn_missing(ref)
        pairs.append((ref, caption.strip()))
    return pairs


def warn_missing(ref: str) -> None:
    if "://" in ref:
        return
    try:
        missing = not Path(ref).expanduser().exists()
    except (OSError, ValueError):
        missing = True
    if missing:
        print(printable(f"tracker: 警告：找不到文件 {ref}（仍按原样记录；tracker 不复制文件）"), file=sys.stderr)


def _task_argument(args: argparse.Namespace, command: str) -> int:
    if not args.task:
        raise UsageError(f"缺少任务编号（如 tracker {command} 12；列出待办用 tracker {command} --list）")
    return parse_task_id(args.task)


def _when(value) -> str:
    return local_minute(value) if value else ""


# --------------------------------------------------------------------------- extend


def cmd_extend(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.store import cycle_reads
    from tracker.store.services import cycle as services

    if args.list:
        if args.task or args.date:
            raise UsageError("--list 不带任务编号和日期")
        with ctx.read() as conn:
            pending = cycle_reads.pending_extensions(conn)
        return _print_pending(pending, ctx, args.json)
    tid = _task_argument(args, "extend")
    evidence = evidence_arguments(args)
    if args.approve or args.reject:
        if args.date:
            raise UsageError("审批延期申请不带日期（批准即采用申请的日期；如需其他日期，驳回后用 tracker due）")
        if args.reason:
            raise UsageError("--reason 用于提出申请；审批意见请用 --note")
        if evidence:
            raise UsageError("审批延期申请不附佐证材料（可用 tracker evidence 单独附上）")
        change = services.decide_extension(ctx.db, tid, approve=args.approve, note=args.note, by=ctx.user,
                                           expected_version=_version(args))
    else:
        if not args.date:
            raise UsageError("缺少申请的新截止日期（如 tracker extend 12 2023-03-31 --reason 理由）")
        if not args.reason.strip():
            raise UsageError("延期申请须说明理由（--reason）")
        if args.note:
            raise UsageError("申请理由请用 --reason（--note 用于审批意见）")
        new_due = user_date(args.date, ctx.today)
        change = services.request_extension(ctx.db, tid, new_due, reason=args.reason, by=ctx.user,
                                            evidence=evidence, expected_version=_version(args), today=ctx.today)
    with ctx.read() as conn:
        request = cycle_reads.task_extensions(conn, tid)[-1]
    if args.json:
        print_json({"request": request.to_json(), "changes": changes_json([change])})
        return EXIT_OK
    if request.state == "pending":
        text = (f"任务 #{tid} 已提交延期申请：截止 {fmt_date(request.old_due) or '未定'} → "
                f"{fmt_date(request.requested_due)}（待审批，审批前截止日期不变）")
    elif request.state == "approved":
        text = f"任务 #{tid} 延期申请已批准：截止日期 {fmt_date(request.old_due) or '未定'} → {fmt_date(request.task_due)}"
    else:
        text = f"任务 #{tid} 延期申请已驳回，截止日期仍为 {fmt_date(request.task_due) or '未定'}"
    if evidence:
        text += f"；佐证材料 {len(evidence)} 份"
    print(printable(text))
    return EXIT_OK


def _print_pending(pending, ctx: Ctx, as_json: bool) -> int:
    if as_json:
        print_json({"today": ctx.today.isoformat(), "pending": [r.to_json() for r in pending]})
        return EXIT_OK
    if not pending:
        print("没有待审批的延期申请")
        return EXIT_OK
    table = rich_table()
    for col in ("编号", "单位", "措施", "现截止", "申请延至", "理由", "申请人", "申请时间"):
        table.add_column(col, no_wrap=col not in ("理由", "措施"))
    for r in pending:
        late = r.task_due is not None and r.task_due < ctx.today
        table.add_row(
            T(r.task_id), T(r.unit), T(f"{r.measure_code} {r.measure_title}".strip()),
            T(fmt_date(r.task_due) or "未定", "red" if late else ""), T(fmt_date(r.requested_due)), T(r.reason),
            T(r.requested_by), T(_when(r.requested_at)),
        )
    out = console()
    out.print(T(f"待审批的延期申请（{len(pending)}）", "bold"))
    out.print(table)
    out.print(T("批准：tracker extend 编号 --approve；驳回：tracker extend 编号 --reject --note 理由", "dim"))
    return EXIT_OK


# --------------------------------------------------------------------------- verify


def cmd_verify(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.store import cycle_reads, sql
    from tracker.store.services import cycle as services

    if args.list:
        if args.task:
            raise UsageError("--list 不带任务编号")
        with ctx.read() as conn:
            queue = cycle_reads.review_queue(conn)
        return _print_queue(queue, ctx, args.json)
    tid = _task_argument(args, "verify")
    evidence = evidence_arguments(args)
    change = services.verify_task(ctx.db, tid, approve=not args.reject, note=args.note, by=ctx.user,
                                  evidence=evidence, expected_version=_version(args))
    with ctx.read() as conn:
        task = sql.get_task(conn, tid)
    assert task is not None  # just written
    if args.json:
        print_json({"task": task.to_json(ctx.today), "verified": not args.reject, "changes": changes_json([change])})
        return EXIT_OK
    label = ctx.config.status_label
    if args.reject:
        print(printable(f"任务 #{tid} 已退回：{label('review')} → {label(task.status)}（{args.note.strip()}）"))
    else:
        print(printable(f"任务 #{tid} 已销号：{label('review')} → {label(task.status)}"))
    return EXIT_OK


def _print_queue(queue, ctx: Ctx, as_json: bool) -> int:
    if as_json:
        print_json({"today": ctx.today.isoformat(), "review": [r.to_json(ctx.today) for r in queue]})
        return EXIT_OK
    if not queue:
        print(f"没有{ctx.config.status_label('review')}的任务")
        return EXIT_OK
    table = rich_table()
    for col in ("编号", "单位", "措施", "截止", "报完成", "报送人", "佐证", "最新进展"):
        table.add_column(col, no_wrap=col not in ("措施", "最新进展"))
    for r in queue:
        t = r.task
        table.add_row(
            T(t.id), T(t.unit), T(f"{t.measure_code} {t.measure_title}".strip()), T(fmt_date(t.due) or "未定"),
            T(_when(r.submitted_at)), T(r.submitted_by), T(f"{r.evidence} 份" if r.evidence else "—"),
            T(t.note or "—"),
        )
    out = console()
    out.print(T(f"{ctx.config.status_label('review')}（{len(queue)}）", "bold"))
    out.print(table)
    out.print(T("销号：tracker verify 编号；退回：tracker verify 编号 --reject --note 理由；"
                "佐证材料：tracker show 编号", "dim"))
    return EXIT_OK


# --------------------------------------------------------------------------- evidence


def cmd_evidence(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.store import cycle_reads
    from tracker.store.services import cycle as services

    tid = parse_task_id(args.task)
    ref = args.ref.strip()
    if not ref:
        raise UsageError("路径或网址为空")
    warn_missing(ref)
    change = services.add_evidence(ctx.db, tid, [(ref, args.caption.strip())], by=ctx.user,
                                   expected_version=_version(args))
    if args.json:
        with ctx.read() as conn:
            evidence = cycle_reads.task_evidence(conn, tid)
        print_json({"evidence": [e.to_json() for e in evidence], "changes": changes_json([change])})
        return EXIT_OK
    caption = f"（{args.caption.strip()}）" if args.caption.strip() else ""
    print(printable(f"任务 #{tid} 已附佐证材料：{ref}{caption}"))
    return EXIT_OK
