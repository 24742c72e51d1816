"""Read commands that list: ``list``, ``units``, ``summary`` (bare sqlite3 where possible)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from tracker.cli.args import MAX_ID, doc_id, nonnegative
from tracker.cli.context import Ctx
from tracker.cli.errors import EXIT_OK, UsageError
from tracker.cli.filter_args import build_filter, filter_json, unit_kinds
from tracker.cli.render import (
    Col,
    T,
    console,
    count_columns,
    count_values,
    counts_line,
    fmt_date,
    grid_lines,
    kind_label,
    pct,
    print_json,
    rich_table,
    task_lines,
    terminal,
    write_lines,
)
from tracker.dates import CLOSED_STATUSES, days_late
from tracker.printable import printable
from tracker.store import sql as fast
from tracker.store.filters import TaskFilter


def cmd_list(ctx: Ctx, args: argparse.Namespace) -> int:
    nonnegative(args.limit, "--limit", MAX_ID)
    with ctx.read() as conn:
        if args.unassigned:
            return _list_unassigned(ctx, args, conn)
        flt = build_filter(args, ctx, conn)
        counts = fast.count_tasks(conn, flt, ctx.today, ctx.config.due_soon_days)
        if args.json:  # written as read: a million tasks never sit in memory
            values = fast.iter_task_values(conn, flt, ctx.today, sort=args.sort, limit=args.limit, config=ctx.config)
            print_json({
                "today": ctx.today.isoformat(),
                "filter": filter_json(flt, ctx.config),
                "counts": counts.to_json(),
                "tasks": map(TaskJson(ctx.today), values),
            })
            return EXIT_OK
        rows = fast.list_tasks(conn, flt, ctx.today, sort=args.sort, limit=args.limit, config=ctx.config)

    if rows:
        width, color = terminal()
        write_lines(task_lines(rows, ctx.today, ctx.config, width=width, color=color))
    else:
        print(printable(f"没有符合条件的任务（{flt.describe(ctx.config.status_labels)}）"))
    print(counts_line(counts, ctx.config, len(rows)))
    return EXIT_OK

class TaskJson:
    """A row of :data:`tracker.store.sql.TASK_COLUMNS` as ``TaskRow.to_json`` writes it, straight from the
    database's values: no dataclass, and no text → datetime → text round trip for the SQLite
    timestamp (``2022-11-15 09:30:00.000000`` → ``2022-11-15T09:30:00+00:00``). Due dates are few
    and repeat: each is read once."""

    def __init__(self, today: date) -> None:
        self.today = today
        self._due: dict[object, tuple[str | None, bool, int | None]] = {}

    def _due_of(self, value: object) -> tuple[str | None, bool, int | None]:
        """(ISO text, before today, days late) of a due value."""
        found = self._due.get(value)
        if found is None:
            due = fast.as_date(value)
            found = (None, False, None) if due is None else (due.isoformat(), due < self.today, days_late(due, self.today))
            self._due[value] = found
        return found

    def __call__(self, r: tuple) -> dict:
        due, before_today, late = self._due_of(r[13])
        return {
            "id": r[0],
            "document_id": r[6],
            "document": r[7],
            "measure_id": r[1],
            "measure": r[2],
            "measure_title": r[3],
            "chapter": r[4],
            "unit": r[9],
            "unit_kind": r[10],
            "role": r[11],
            "status": r[12],
            "due": due,
            "due_phrase": r[14],
            "overdue": before_today and r[12] not in CLOSED_STATUSES,
            "days_late": late,
            "note": r[15] or "",
            "updated_at": utc_iso(r[16]),
            "updated_by": r[17] or "",
            "version": r[18],
        }


def utc_iso(value: object) -> str:
    """``as_utc(value).isoformat()``, without parsing the text SQLAlchemy stores on SQLite."""
    if isinstance(value, str) and len(value) == 26 and value[10] == " " and value[19] == "." and value[4] == "-":
        micro = value[20:]
        return f"{value[:10]}T{value[11:19]}{'' if micro == '000000' else '.' + micro}+00:00"
    return fast.as_utc(value).isoformat()


def _list_unassigned(ctx: Ctx, args: argparse.Namespace, conn: Any) -> int:
    task_only = [
        opt for opt, value in (
            ("--unit", args.unit), ("--kind", args.kind), ("--status", args.status), ("--chapter", args.chapter),
            ("--measure", args.measure), ("--role", args.role), ("--overdue", args.overdue),
            ("--due-within", args.due_within), ("--stale", args.stale),
        ) if value
    ]
    if task_only:
        raise UsageError(f"--unassigned 列出的是措施，只接受 --doc 和 --text，不接受 {', '.join(task_only)}")
    document = doc_id(args.doc, conn)
    rows = [m for m in fast.unassigned_measures(conn) if document is None or m.document_id == document]
    if args.text:
        rows = [m for m in rows if args.text in m.code or args.text in m.title or args.text in m.text]
    if args.json:
        print_json({"today": ctx.today.isoformat(), "measures": [m.to_json() for m in rows]})
        return EXIT_OK
    out = console()
    if not rows:
        out.print(T("没有待分配的措施"))
        return EXIT_OK
    table = rich_table()
    table.add_column("编号", justify="right", no_wrap=True)
    table.add_column("文件", no_wrap=True, overflow="ellipsis", max_width=30)
    table.add_column("措施", no_wrap=True)
    table.add_column("内容", overflow="ellipsis", no_wrap=True, max_width=70)
    table.add_column("截止", no_wrap=True)
    for m in rows:
        table.add_row(T(m.id), T(m.document_title), T(m.code), T(m.title or m.text), T(fmt_date(m.due)))
    out.print(table)
    out.print(T(f"待分配措施 {len(rows)} 项（tracker assign 措施 单位… 分配）"))
    return EXIT_OK

def cmd_units(ctx: Ctx, args: argparse.Namespace) -> int:
    kinds = unit_kinds(args.kind)
    with ctx.read() as conn:
        rows = [u for u in fast.list_units(conn, ctx.today, ctx.config) if not kinds or u.kind in kinds]
    if args.json:
        print_json({
            "today": ctx.today.isoformat(),
            "units": [u.to_json() | {"kind_label": kind_label(u.kind)} for u in rows],
        })
        return EXIT_OK
    width, color = terminal()
    columns = [Col("单位", 30, 8, shrink=True), Col("类别"), Col("任务", 8, right=True), Col("已完成", 8, right=True),
               Col("逾期", 8, right=True), Col("完成率", 8, right=True)]
    cells = [[u.name, kind_label(u.kind), str(u.tasks), str(u.done), str(u.overdue), pct(u.done, u.tasks)] for u in rows]
    write_lines(grid_lines(columns, cells, ["red" if u.overdue else "" for u in rows], width=width, color=color))
    print(f"单位 {len(rows)} 个")
    return EXIT_OK

KIND_ORDER = ("agency", "town", "group", "company")

def cmd_summary(ctx: Ctx, args: argparse.Namespace) -> int:
    # here: list and units do not count by kind
    from tracker.store.progress_sql import count_by_kind

    soon = ctx.config.due_soon_days
    archived = bool(getattr(args, "archived", False))
    with ctx.read() as conn:
        every = fast.list_documents(conn, include_archived=True)
        docs = [d for d in every if archived or d.archived_at is None]
        # with nothing archived, leaving out the archive condition lets SQLite count per unit kind
        # from the (unit, status, due) index alone; two grouped counts beat one over (document, kind)
        # (a sort of every task): ~2× at a million tasks
        everything = TaskFilter(include_archived=archived or all(d.archived_at is None for d in every))
        by_doc = {key[0]: c for key, c in fast.count_by(conn, ("document",), everything, ctx.today, soon).items()}
        by_kind = count_by_kind(conn, everything, ctx.today, soon)
        waiting = fast.unassigned_measures(conn)
    hidden = len(every) - len(docs)
    empty = fast.Counts()
    total = sum(by_kind.values(), empty)
    per_doc = [(d, by_doc.get(d.id, empty)) for d in docs]
    per_kind = [(k, by_kind[k]) for k in KIND_ORDER if k in by_kind and by_kind[k].total]
    if getattr(args, "json", False):
        print_json({
            "today": ctx.today.isoformat(),
            "documents": [d.to_json() | {"counts": c.to_json(), "unassigned_measures": sum(1 for m in waiting if m.document_id == d.id)}
                          for d, c in per_doc],
            "kinds": [{"kind": k, "label": kind_label(k), "counts": c.to_json()} for k, c in per_kind],
            "total": total.to_json(),
            "unassigned_measures": len(waiting),
        })
        return EXIT_OK
    if not docs:
        print(f"已归档的文件 {hidden} 个（tracker summary --archived 查看）" if hidden
              else "数据库中还没有文件（tracker import 文件… 导入）")
        return EXIT_OK
    width, color = terminal()
    print(f"截至 {ctx.today.isoformat()}")
    waiting_by_doc: dict[int, int] = {}
    for m in waiting:
        waiting_by_doc[m.document_id] = waiting_by_doc.get(m.document_id, 0) + 1
    columns = [Col("编号", 6, right=True), Col("文件", 48, 12, shrink=True), Col("文号", 24, 6, shrink=True, drop=5),
               Col("措施", 6, right=True, drop=1), Col("待分配", 6, right=True, drop=4), *count_columns(ctx.config)]
    cells = [
        [str(d.id), ("（已归档）" if d.archived_at else "") + d.title, d.doc_number or "", str(d.measures),
         str(waiting_by_doc.get(d.id, 0)), *count_values(c)]
        for d, c in per_doc
    ]
    styles = ["dim" if d.archived_at else "red" if c.overdue else "" for d, c in per_doc]
    write_lines(grid_lines(columns, cells, styles, width=width, color=color))
    if per_kind:
        cells = [[kind_label(k), *count_values(c)] for k, c in per_kind] + [["合计", *count_values(total)]]
        styles = [""] * len(per_kind) + ["bold"]
        write_lines(grid_lines([Col("单位类别", 8), *count_columns(ctx.config)], cells, styles, width=width, color=color))
    print(counts_line(total, ctx.config))
    if hidden:
        print(f"另有已归档的文件 {hidden} 个（tracker summary --archived 查看）")
    return EXIT_OK
