"""Write commands on tasks: ``set``, ``due``, ``note`` — each one call of tracker.store.services, on the
context's writer (a bare connection when it can be: these commands never load SQLAlchemy).

Their start-up is most of their cost, so what only some calls need is imported when needed: Rich
(through the renderer) for ``--json``, the evidence arguments for ``--evidence``."""

from __future__ import annotations

import argparse

from tracker.cli.args import MAX_ID, nonnegative, parse_task_id, status_code, user_date
from tracker.cli.context import Ctx, services
from tracker.cli.errors import EXIT_OK, UsageError


def _ids_text(ids) -> str:
    return "、".join(f"#{i}" for i in ids)

def _print_json(data: dict) -> None:
    """``data`` with its ``changes`` (a list of Change) as the write commands' JSON."""
    from tracker.cli.render import changes_json, print_json

    print_json({k: changes_json(v) if k == "changes" else v for k, v in data.items()})

def _evidence(args: argparse.Namespace) -> list[tuple[str, str]]:
    if not getattr(args, "evidence", None):
        return []
    from tracker.cli.cycle import evidence_arguments

    return evidence_arguments(args)

def _day(value) -> str:  # noqa: ANN001
    return value.isoformat() if value else ""

def _version(args: argparse.Namespace) -> int | None:
    """``--version N``: the version the caller read (an id-sized integer)."""
    return nonnegative(args.version, "--version", MAX_ID)


def cmd_set(ctx: Ctx, args: argparse.Namespace) -> int:
    if len(args.items) < 2:
        raise UsageError("用法：tracker set 任务… 状态（如 tracker set 12 13 done）")
    *raw_ids, raw_status = args.items
    ids = list(dict.fromkeys(parse_task_id(t) for t in raw_ids))
    status = status_code(raw_status, ctx.config)
    kwargs: dict = {}
    if args.due is not None:
        kwargs["due"] = user_date(args.due, ctx.today, allow_none=True)
    expected = None
    if args.version is not None:
        if len(ids) != 1:
            raise UsageError("--version 只能用于单个任务")
        expected = {ids[0]: _version(args)}
    evidence = _evidence(args)
    stored = services.completion_status(ctx.config, status)  # 已完成 awaits 销号 while verification is on
    # a completion report leaves a verified (已销号) task as it is: see set_status_many
    changes = services.set_status_many(
        ctx.db, ids, stored, by=ctx.user, note=args.note, expected_versions=expected, evidence=evidence, **kwargs
    )
    unchanged = [c.task_id for c in changes if not c.event_ids]
    verified = _done(ctx, unchanged) if stored != status else []
    changes = [c for c in changes if c.task_id not in verified]
    if args.json:
        _print_json({"status": stored, "changes": changes, "unchanged": verified})
        return EXIT_OK
    changed = [c.task_id for c in changes if c.event_ids]
    same = [c.task_id for c in changes if not c.event_ids]
    label = ctx.config.status_label(stored)
    if changed:
        print(f"已更新 {len(changed)} 项任务 → {label}：{_ids_text(changed)}")
    if same:
        print(f"无变化（已是{label}）：{_ids_text(same)}")
    if verified:
        print(f"无变化（已销号，{ctx.config.status_label('done')}）：{_ids_text(verified)}")
    if stored != status and (changed or same):
        print(f"报完成的任务等待销号：tracker verify {(changed or same)[0]}（核实后销号）或 tracker verify --list")
    return EXIT_OK

def _done(ctx: Ctx, ids: list[int]) -> list[int]:
    """Which of the tasks a completion report left alone are verified (for the message only)."""
    from tracker.store import sql

    if not ids:
        return []

    with ctx.read() as conn:
        return [i for i in ids if (task := sql.get_task(conn, i)) is not None and task.status == "done"]

def cmd_due(ctx: Ctx, args: argparse.Namespace) -> int:
    tid = parse_task_id(args.task)
    due = user_date(args.date, ctx.today, allow_none=True)
    change = services.set_due(ctx.db, tid, due, by=ctx.user, note=args.note, expected_version=_version(args))
    if args.json:
        _print_json({"due": _day(due) or None, "changes": [change]})
        return EXIT_OK
    if change.event_ids:
        print(f"任务 #{tid} 截止日期 → {_day(due) or '未定'}")
    else:
        print(f"任务 #{tid} 截止日期未变（{_day(due) or '未定'}）")
    return EXIT_OK

def cmd_note(ctx: Ctx, args: argparse.Namespace) -> int:
    tid = parse_task_id(args.task)
    if not args.text.strip():
        raise UsageError("进展说明为空")
    change = services.add_note(ctx.db, tid, args.text, by=ctx.user, expected_version=_version(args),
                               evidence=_evidence(args))
    if args.json:
        _print_json({"changes": [change]})
        return EXIT_OK
    print(f"任务 #{tid} 已记录进展（版本 {change.version}）")
    return EXIT_OK
