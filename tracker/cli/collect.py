"""``tracker collect``: read 台账 files units filled in and apply what they changed.

Per file: rows whose 状态, 进展情况 (or, with ``--allow-due``, 截止日期) the unit edited
become ordinary task changes recorded as made by that unit. A task changed in the
database since the sheet was exported is a conflict: listed, never overwritten. A bad
row (unknown status word, added, deleted, another unit's) is listed with its sheet and
row. A file with any conflict or bad row is not applied at all, unless ``--partial``.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tracker.cli.context import Ctx
from tracker.cli.errors import EXIT_OK, EXIT_USAGE, UsageError


@dataclass
class FilePlan:
    path: str
    unit: str | None
    changes: list[dict] = field(default_factory=list)
    updates: list = field(default_factory=list)  # TaskUpdate, one per change
    conflicts: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    applied: bool = False

    def to_json(self) -> dict:
        return {"file": self.path, "unit": self.unit, "applied": self.applied, "changes": self.changes,
                "conflicts": self.conflicts, "problems": self.problems}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def plan_file(ctx: Ctx, ledger, *, allow_due: bool) -> FilePlan:
    from tracker.store.services.cycle import completion_status
    from tracker.store.services.feedback import TaskUpdate
    from tracker.store.sql import get_task

    plan = FilePlan(ledger.path, ledger.unit)
    for p in ledger.problems:
        plan.problems.append({"sheet": p.sheet, "row": p.row, "task": p.task_id, "message": p.message})
    with ctx.read() as conn:
        for row in ledger.rows:
            if not row.changed:
                continue
            where = {"sheet": row.sheet, "row": row.row, "task": row.task_id}
            task = get_task(conn, row.task_id)
            if task is None:
                plan.problems.append({**where, "message": f"任务 {row.task_id} 已不存在"})
                continue
            if ledger.unit and task.unit != ledger.unit:
                plan.problems.append({**where, "message": f"这一行是 {task.unit} 的任务，不是本台账的单位 {ledger.unit}"})
                continue
            if row.unit and row.unit != task.unit:
                plan.problems.append({**where, "message": f"单位被改为“{row.unit}”（任务属于 {task.unit}）"})
                continue
            if row.due != row.due_was and not allow_due:
                plan.problems.append({**where, "message": "截止日期被修改（由协调人决定：收集时加 --allow-due 才采用）"})
                continue
            # a unit's 已完成 awaits 销号 (待销号) while verification is on
            target = completion_status(ctx.config, row.status)
            if ((row.status == row.status_was or target == task.status)
                    and (row.note == row.note_was or not row.note or row.note == (task.note or ""))
                    and (row.due == row.due_was or row.due == task.due)):
                continue  # already what the unit asks for (this file was collected before)
            if task.version != row.version:
                plan.conflicts.append({**where, "message": (
                    f"导出后任务已被 {task.updated_by or '他人'} 修改（版本 {row.version} → {task.version}），"
                    "未采用，请核对后再填")})
                continue
            change = {**where, "unit": task.unit}
            status = note = None
            due = ...
            if row.status != row.status_was and target != task.status:
                status = target
                change["status"] = [task.status, target]
            if row.note != row.note_was and row.note:
                note = row.note
                change["note"] = row.note
            if row.due != row.due_was:
                due = row.due
                change["due"] = [_iso(task.due), _iso(row.due)]
            if status is None and note is None and due is ...:
                continue
            plan.changes.append(change)
            plan.updates.append(TaskUpdate(row.task_id, task.unit, row.version, status=status, note=note, due=due))
    return plan


def _print(plan: FilePlan, ctx: Ctx, dry_run: bool) -> None:
    label = ctx.config.status_label
    state = "预演，未保存" if dry_run else ("已保存" if plan.applied else "未保存")
    print(f"{plan.path}：更新 {len(plan.changes)} 项 · 冲突 {len(plan.conflicts)} 项 · 问题 {len(plan.problems)} 项（{state}）")
    for c in plan.changes:
        parts = []
        if "status" in c:
            parts.append(f"状态 {label(c['status'][0])} → {label(c['status'][1])}")
        if "due" in c:
            parts.append(f"截止 {c['due'][0] or '未定'} → {c['due'][1] or '未定'}")
        if "note" in c:
            parts.append("进展：" + " ".join(c["note"].split()))
        print(f"  #{c['task']} {c['unit']}：{'；'.join(parts)}")
    for kind, items in (("冲突", plan.conflicts), ("问题", plan.problems)):
        for item in items:
            where = f"{item['sheet']} 第 {item['row']} 行" if item.get("row") else item["sheet"]
            print(f"  {kind}：{where}：{item['message']}")


def cmd_collect(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.ingest.formats.ledger import read_ledger
    from tracker.store.services.feedback import apply_updates

    plans: list[FilePlan] = []
    for raw in args.paths:
        path = Path(raw)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"{raw}: 无法读取文件：{exc.strerror or exc}") from None
        plans.append(plan_file(ctx, read_ledger(data, raw, ctx.config, ctx.today), allow_due=args.allow_due))
    exit_code = EXIT_OK
    for plan in plans:
        clean = not plan.conflicts and not plan.problems
        if not clean:
            exit_code = EXIT_USAGE
        if not args.dry_run and plan.updates and (clean or args.partial):
            apply_updates(ctx.db, plan.updates)
            plan.applied = True
    if args.json:
        import json

        sys.stdout.write(json.dumps([p.to_json() for p in plans], ensure_ascii=False, indent=1) + "\n")
    else:
        for plan in plans:
            _print(plan, ctx, args.dry_run)
            if not plan.applied and not args.dry_run and plan.updates:
                print("  有冲突或问题，本文件未做任何修改（改正后重新收集，或加 --partial 只采用无误的行）")
    return exit_code
