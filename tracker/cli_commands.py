"""The command implementations behind ``tracker COMMAND`` (imported only when a command runs)."""

from __future__ import annotations

import argparse
import os
import re
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tracker.cli import EXIT_OK, EXIT_USAGE, UsageError
from tracker.cli_render import (
    T,
    Col,
    console,
    count_columns,
    count_values,
    counts_line,
    grid_lines,
    fmt_date,
    kind_label,
    late_text,
    pct,
    print_json,
    role_label,
    row_style,
    status_cell,
    task_lines,
    terminal,
    write_lines,
)
from tracker.labels import format_amount, target_text
from tracker.config import DEFAULT_STATUS_LABELS, ROLE_LABELS, STATUS_CODES, UNIT_KINDS, Config, load_config
from tracker.dates import DateParseError, parse_user_date, resolve_today
from tracker.store import sql as fast
from tracker.store.filters import KIND_ALIASES, OPEN_STATUSES, TaskFilter
from tracker.store.rows import readable_history
from tracker.store.urls import resolve_url, sqlite_path

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine


class _LazyModule:
    """A module imported on first use: the read commands never load SQLAlchemy or SQLModel."""

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str) -> Any:
        import importlib

        return getattr(importlib.import_module(self._name), attr)


q = _LazyModule("tracker.store.queries")
services = _LazyModule("tracker.store.services")

# --------------------------------------------------------------------------- context


@dataclass
class Ctx:
    config: Config
    today: date
    url: str
    args: argparse.Namespace
    _engine: Engine | None = None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from tracker.store.engine import make_engine

            self._engine = make_engine(self.url)
        return self._engine

    @contextmanager
    def read(self) -> Iterator[Connection]:
        """A read transaction through SQLAlchemy (every query available)."""
        from tracker.store.engine import read_tx

        with read_tx(self.engine) as conn:
            yield conn

    @contextmanager
    def fast_read(self) -> Iterator[Any]:
        """A read connection for the queries of :mod:`tracker.store.sql`: a bare ``sqlite3`` one when the
        database is an existing SQLite file (no SQLAlchemy start-up cost), else a SQLAlchemy one."""
        path = sqlite_path(self.url)
        if path is None or not path.is_file() or self._engine is not None:
            with self.read() as conn:
                yield conn
            return
        import sqlite3

        try:
            conn = fast.open_sqlite(path)
            ready = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'task'").fetchone()
        except sqlite3.Error:  # not a database, or unreadable: let the engine say so properly
            ready = None
        if not ready:  # also a new, empty file: the engine creates the tables
            with self.read() as conn2:
                yield conn2
            return
        try:
            yield conn
        except sqlite3.OperationalError as exc:
            from tracker.store.engine import StoreError

            raise StoreError(f"{path}: {exc}") from None
        finally:
            conn.close()

    @property
    def user(self) -> str:
        return services.current_user(self.config, getattr(self.args, "by", None))


def make_ctx(args: argparse.Namespace) -> Ctx:
    config = load_config(getattr(args, "config", None))
    today = resolve_today(getattr(args, "today", None), config.today)
    url = resolve_url(config, getattr(args, "db", None))
    return Ctx(config=config, today=today, url=url, args=args)


def run(command: str, args: argparse.Namespace) -> int:
    ctx = make_ctx(args)
    handler = COMMANDS[command]
    try:
        return handler(ctx, args)
    finally:
        if ctx._engine is not None:
            ctx._engine.dispose()


def open_app(args: argparse.Namespace) -> int:
    """``tracker`` with no command: first run imports the seeds, then the Textual app."""
    ctx = make_ctx(args)
    services.seed_if_empty(ctx.engine, ctx.config, by=ctx.user)
    from tracker.tui.app import run_app
    from tracker.tui.context import AppContext

    result = run_app(AppContext(ctx.engine, ctx.config, ctx.today, ctx.user))
    return int(result) if isinstance(result, int) else EXIT_OK


# --------------------------------------------------------------------------- argument helpers

_SPLIT = re.compile(r"[,，、;；\s]+")


def split_list(values: str | list[str] | None) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        out.extend(p for p in _SPLIT.split(v) if p)
    return out


def parse_task_id(text: str) -> int:
    raw = text.strip().lstrip("#＃")
    if not raw.isdigit() or int(raw) <= 0:
        raise UsageError(f"不是任务编号：{text!r}（应为数字，如 12 或 #12）")
    return int(raw)


def status_code(text: str, config: Config) -> str:
    raw = text.strip()
    if raw.lower() in STATUS_CODES:
        return raw.lower()
    for code, label in list(config.status_labels.items()) + list(DEFAULT_STATUS_LABELS.items()):
        if raw == label:
            return code
    known = "、".join(f"{c}/{config.status_label(c)}" for c in STATUS_CODES)
    raise UsageError(f"未知状态 {text!r}（可用：{known}）")


def status_codes(text: str | None, config: Config) -> tuple[str, ...]:
    codes: list[str] = []
    for part in split_list(text):
        if part.lower() in ("open", "未完成", "未办结"):
            new = list(OPEN_STATUSES)
        else:
            new = [status_code(part, config)]
        codes.extend(c for c in new if c not in codes)
    return tuple(codes)


def unit_kinds(values: list[str]) -> tuple[str, ...]:
    kinds: list[str] = []
    for part in split_list(values):
        kind = KIND_ALIASES.get(part) or KIND_ALIASES.get(part.lower())
        if kind is None:
            raise UsageError(f"未知单位类别 {part!r}（部门|街镇|集合|企业 或 {'|'.join(UNIT_KINDS)}）")
        if kind not in kinds:
            kinds.append(kind)
    return tuple(kinds)


def role_code(text: str | None) -> str | None:
    if not text:
        return None
    raw = text.strip()
    for code, label in ROLE_LABELS.items():
        if raw.lower() == code or raw in (label, label + "单位"):
            return code
    raise UsageError(f"未知角色 {text!r}（lead/牵头 或 support/配合）")


def normalise_code(code: str) -> str:
    return code.strip().replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")


def chapter_code(text: str | None) -> str | None:
    if not text:
        return None
    raw = text.strip().rstrip("、.．")
    raw = re.sub(r"^第", "", raw)
    raw = re.sub(r"(部分|章|节)$", "", raw)
    return raw or None


def doc_id(text: str | None, conn: Connection | None = None) -> int | None:
    if text is None:
        return None
    raw = str(text).strip().lstrip("#＃")
    if not raw.isdigit():
        raise UsageError(f"不是文件编号：{text!r}（见 tracker summary）")
    value = int(raw)
    if conn is not None and value not in fast.document_ids(conn):
        raise UsageError(f"找不到文件 {value}（见 tracker summary）")
    return value


def nonnegative(value: int | None, option: str) -> int | None:
    if value is not None and value < 0:
        raise UsageError(f"{option}：应为 0 或正整数，实际为 {value}")
    return value


def user_date(text: str, today: date, *, allow_none: bool = False) -> date | None:
    if allow_none and text.strip().lower() in ("none", "无", "-", "clear"):
        return None
    return parse_user_date(text, today)


def resolve_units(names: list[str], config: Config, conn: Connection) -> tuple[str, ...]:
    """Unit names as typed → stored names. Groups (各街镇) expand; aliases apply; a unique partial name is accepted."""
    known = fast.unit_names(conn)
    known_set = set(known)
    out: list[str] = []
    for raw in split_list(names):
        group = config.groups.get(raw)
        candidates = list(group.members) if group else [config.canonical_unit(raw)]
        for name in candidates:
            if name not in known_set:
                partial = [k for k in known if name in k]
                if len(partial) == 1:
                    name = partial[0]
                elif partial:
                    raise UsageError(f"单位 {raw!r} 有多个匹配：{'、'.join(partial[:8])}")
                else:
                    raise UsageError(f"未知单位 {raw!r}（见 tracker units）")
            if name not in out:
                out.append(name)
    return tuple(out)


def build_filter(args: argparse.Namespace, ctx: Ctx, conn: Connection) -> TaskFilter:
    """The one TaskFilter from the command-line filter options."""
    measure = getattr(args, "measure", None)
    measure_code: str | None = None
    measure_id: int | None = None
    if measure:
        raw = measure.strip().lstrip("#＃")
        if raw.isdigit():
            measure_id = int(raw)
        else:
            measure_code = normalise_code(raw)
    return TaskFilter(
        units=resolve_units(args.unit, ctx.config, conn) if args.unit else (),
        unit_kinds=unit_kinds(args.kind),
        statuses=status_codes(args.status, ctx.config),
        document_id=doc_id(args.doc, conn),
        chapter=chapter_code(args.chapter),
        measure=measure_code,
        measure_id=measure_id,
        role=role_code(args.role),
        overdue=bool(args.overdue),
        due_within=nonnegative(args.due_within, "--due-within"),
        stale_days=nonnegative(args.stale, "--stale"),
        text=(args.text.strip() or None) if args.text else None,
    )


def filter_json(flt: TaskFilter, config: Config) -> dict:
    data = asdict(flt)
    data.pop("task_ids", None)
    for key, value in data.items():
        if isinstance(value, tuple):
            data[key] = list(value)
    data["description"] = flt.describe(config.status_labels)
    return data


def resolve_measure(conn: Connection, text: str, document: str | None) -> q.MeasureRow:
    found = q.find_measures(conn, normalise_code(text), doc_id(document, conn))
    if not found:
        raise UsageError(f"找不到措施 {text!r}（见 tracker list --unassigned 或 tracker export）")
    if len(found) > 1:
        listed = "；".join(f"#{m.id} {m.code}（文件 {m.document_id} {m.document_title}）" for m in found[:6])
        raise UsageError(f"措施 {text!r} 出现在多个文件中，请加 --doc 文件编号：{listed}")
    return found[0]


# --------------------------------------------------------------------------- import


def cmd_import(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.ingest import IngestError, parse_file

    files: list[Path] = []
    for raw in args.paths:
        p = Path(raw)
        if p.is_dir():
            files.extend(sorted(x for x in p.iterdir() if x.is_file() and x.suffix.lower() in (".txt", ".md")))
        else:
            files.append(p)
    if not files:
        raise UsageError("没有要导入的文件")

    # Parse everything first: any error stores nothing.
    parsed = []
    errors: list[str] = []
    for path in files:
        try:
            parsed.append(parse_file(path, ctx.config))
        except IngestError as exc:
            errors.append(str(exc))
    if errors:
        import sys

        for line in errors:
            print("tracker: " + " ".join(line.split()), file=sys.stderr)
        if len(errors) > 1 or len(files) > 1:
            print(f"tracker: {len(files)} 个文件中 {len(errors)} 个读取失败，未导入任何内容", file=sys.stderr)
        return EXIT_USAGE

    if args.dry_run:
        if args.json:
            data = [d.to_json() for d in parsed]
            print_json(data[0] if len(data) == 1 else data)
            return EXIT_OK
        out = console()
        for doc in parsed:
            _print_parsed(out, doc, None)
        out.print("（试运行：未保存）")
        return EXIT_OK

    results = [services.import_document(ctx.engine, doc, by=ctx.user) for doc in parsed]
    if args.json:
        data = [{"path": d.path, **r.to_json()} for d, r in zip(parsed, results, strict=True)]
        print_json(data[0] if len(data) == 1 else data)
        return EXIT_OK
    out = console()
    for doc, result in zip(parsed, results, strict=True):
        _print_parsed(out, doc, result)
    return EXIT_OK


def _print_parsed(out, doc, result) -> None:  # noqa: ANN001
    measures = [m for m in doc.measures if not m.is_context]
    context = len(doc.measures) - len(measures)
    units = {u.name for m in measures for u in m.units}
    targets = sum(len(m.targets) for m in doc.measures)
    waiting = [m.code for m in measures if not m.units]
    head = f"{doc.path} — {doc.title}"
    if doc.doc_number:
        head += f"（{doc.doc_number}）"
    out.print(T(head, "bold"))
    line = f"  措施 {len(measures)}"
    if context:
        line += f"（另有背景段落 {context}）"
    line += f" · 任务 {doc.task_count} · 单位 {len(units)} · 指标 {targets} · 待分配措施 {len(waiting)}"
    out.print(T(line))
    if waiting:
        shown = "、".join(waiting[:20]) + ("…" if len(waiting) > 20 else "")
        out.print(T(f"  待分配：{shown}"))
    if result is not None:
        out.print(T("  " + _result_text(result)))
    if doc.warnings:
        out.print(T(f"  警告 {len(doc.warnings)} 条：", "yellow"))
        for w in doc.warnings:
            out.print(T(f"    第 {w.line} 行：{w.message}", "yellow"))


def _result_text(r) -> str:  # noqa: ANN001
    if r.unchanged:
        return f"无变化（与已导入的文件 #{r.document_id} 相同）"
    parts = [f"新文件 #{r.document_id}" if r.created else f"更新文件 #{r.document_id}"]
    if r.measures_added and not r.created:
        parts.append("新增措施 " + "、".join(r.measures_added))
    if r.measures_changed:
        parts.append("修改措施 " + "、".join(r.measures_changed))
    if r.measures_missing:
        parts.append("文件中已无（保留）" + "、".join(r.measures_missing))
    parts.append(f"新增任务 {r.tasks_added}")
    if r.tasks_role_changed:
        parts.append(f"角色变更 {r.tasks_role_changed}")
    if r.tasks_missing:
        parts.append(f"不再列出的任务（保留）{r.tasks_missing}")
    if r.units_added:
        parts.append(f"新单位 {len(r.units_added)}")
    return "已保存：" + " · ".join(parts)


# --------------------------------------------------------------------------- read commands


def cmd_list(ctx: Ctx, args: argparse.Namespace) -> int:
    if args.limit is not None and args.limit < 0:
        raise UsageError(f"--limit：应为 0 或正整数，实际为 {args.limit}")
    with ctx.fast_read() as conn:
        if args.unassigned:
            return _list_unassigned(ctx, args, conn)
        flt = build_filter(args, ctx, conn)
        rows = fast.list_tasks(conn, flt, ctx.today, sort=args.sort, limit=args.limit)
        counts = fast.count_tasks(conn, flt, ctx.today, ctx.config.due_soon_days)
    if args.json:
        print_json({
            "today": ctx.today.isoformat(),
            "filter": filter_json(flt, ctx.config),
            "counts": counts.to_json(),
            "tasks": [r.to_json(ctx.today) for r in rows],
        })
        return EXIT_OK
    import sys

    if rows:
        width, color = terminal()
        write_lines(task_lines(rows, ctx.today, ctx.config, width=width, color=color))
    else:
        print(f"没有符合条件的任务（{flt.describe(ctx.config.status_labels)}）")
    print(counts_line(counts, ctx.config, len(rows)))
    return EXIT_OK


def _list_unassigned(ctx: Ctx, args: argparse.Namespace, conn: Connection) -> int:
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
    table = _table()
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


def _table():
    from rich.table import Table

    return Table(show_edge=False, pad_edge=False, header_style="bold")


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
        ("更新", f"{task.updated_at.strftime('%Y-%m-%d %H:%M')} UTC {task.updated_by}".strip()),
        ("版本", str(task.version)),
    ]
    for label, value in fields:
        out.print(T(f"  {label}：", "bold") + T(value, style if label in ("状态", "逾期/剩余") else ""))
    if measure and measure.text:
        out.print(T("措施原文", "bold"))
        out.print(T(measure.text))
    table = _table()
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
    shown = readable_history(history)
    out.print(T(f"历史（{len(shown)}）", "bold"))
    for e in shown:
        change = _event_text(e, ctx.config)
        note = f" — {e.note}" if e.note else ""
        out.print(T(f"  {e.at.strftime('%Y-%m-%d %H:%M')} {e.by}：{change}{note}"))
    return EXIT_OK


def _event_text(e, config: Config) -> str:  # noqa: ANN001
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


def cmd_units(ctx: Ctx, args: argparse.Namespace) -> int:
    kinds = unit_kinds(args.kind)
    with ctx.fast_read() as conn:
        rows = [u for u in fast.list_units(conn, ctx.today) if not kinds or u.kind in kinds]
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
    soon = ctx.config.due_soon_days
    with ctx.fast_read() as conn:
        docs = fast.list_documents(conn)
        groups = fast.count_by(conn, ("document", "kind"), TaskFilter(), ctx.today, soon)
        waiting = fast.unassigned_measures(conn)
    empty = fast.Counts()
    by_doc: dict[int, fast.Counts] = {}
    by_kind: dict[str, fast.Counts] = {}
    for (document, kind), c in groups.items():
        by_doc[document] = by_doc.get(document, empty) + c
        by_kind[kind] = by_kind.get(kind, empty) + c
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
        print("数据库中还没有文件（tracker import 文件… 导入）")
        return EXIT_OK
    width, color = terminal()
    print(f"截至 {ctx.today.isoformat()}")
    waiting_by_doc: dict[int, int] = {}
    for m in waiting:
        waiting_by_doc[m.document_id] = waiting_by_doc.get(m.document_id, 0) + 1
    columns = [Col("编号", 6, right=True), Col("文件", 48, 12, shrink=True), Col("文号", 24, 6, shrink=True),
               Col("措施", 6, right=True), Col("待分配", 6, right=True), *count_columns(ctx.config)]
    cells = [
        [str(d.id), d.title, d.doc_number or "", str(d.measures), str(waiting_by_doc.get(d.id, 0)), *count_values(c)]
        for d, c in per_doc
    ]
    styles = ["red" if c.overdue else "" for _d, c in per_doc]
    write_lines(grid_lines(columns, cells, styles, width=width, color=color))
    if per_kind:
        cells = [[kind_label(k), *count_values(c)] for k, c in per_kind] + [["合计", *count_values(total)]]
        styles = [""] * len(per_kind) + ["bold"]
        write_lines(grid_lines([Col("单位类别", 8), *count_columns(ctx.config)], cells, styles, width=width, color=color))
    print(counts_line(total, ctx.config))
    return EXIT_OK


def cmd_export(ctx: Ctx, args: argparse.Namespace) -> int:
    from tracker.report.markdown import render_report

    with ctx.read() as conn:
        flt = build_filter(args, ctx, conn)
        text = render_report(conn, flt, ctx.today, ctx.config, by=args.group_by)
    if args.output and args.output != "-":
        path = Path(args.output)
        path.write_text(text, encoding="utf-8")
        import sys

        print(f"已导出 {path}", file=sys.stderr)
    else:
        import sys

        sys.stdout.write(text)
    return EXIT_OK


# --------------------------------------------------------------------------- write commands


def _changes_json(changes) -> list[dict]:  # noqa: ANN001
    return [{"task_id": c.task_id, "version": c.version, "events": list(c.event_ids)} for c in changes]


def _ids_text(ids) -> str:  # noqa: ANN001
    return "、".join(f"#{i}" for i in ids)


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
        expected = {ids[0]: args.version}
    changes = services.set_status_many(
        ctx.engine, ids, status, by=ctx.user, note=args.note, expected_versions=expected, **kwargs
    )
    if args.json:
        print_json({"status": status, "changes": _changes_json(changes)})
        return EXIT_OK
    changed = [c.task_id for c in changes if c.event_ids]
    same = [c.task_id for c in changes if not c.event_ids]
    label = ctx.config.status_label(status)
    if changed:
        print(f"已更新 {len(changed)} 项任务 → {label}：{_ids_text(changed)}")
    if same:
        print(f"无变化（已是{label}）：{_ids_text(same)}")
    return EXIT_OK


def cmd_due(ctx: Ctx, args: argparse.Namespace) -> int:
    tid = parse_task_id(args.task)
    due = user_date(args.date, ctx.today, allow_none=True)
    change = services.set_due(ctx.engine, tid, due, by=ctx.user, note=args.note, expected_version=args.version)
    if args.json:
        print_json({"due": fmt_date(due) or None, "changes": _changes_json([change])})
        return EXIT_OK
    if change.event_ids:
        print(f"任务 #{tid} 截止日期 → {fmt_date(due) or '未定'}")
    else:
        print(f"任务 #{tid} 截止日期未变（{fmt_date(due) or '未定'}）")
    return EXIT_OK


def cmd_note(ctx: Ctx, args: argparse.Namespace) -> int:
    tid = parse_task_id(args.task)
    if not args.text.strip():
        raise UsageError("进展说明为空")
    change = services.add_note(ctx.engine, tid, args.text, by=ctx.user, expected_version=args.version)
    if args.json:
        print_json({"changes": _changes_json([change])})
        return EXIT_OK
    print(f"任务 #{tid} 已记录进展（版本 {change.version}）")
    return EXIT_OK


def cmd_assign(ctx: Ctx, args: argparse.Namespace) -> int:
    units = [u for u in split_list(args.units)]
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
    changes = services.assign(ctx.engine, measure.id, units, by=ctx.user, lead=lead, config=ctx.config, due=due)
    with ctx.read() as conn:
        rows = {r.id: r for r in q.list_tasks(conn, TaskFilter(measure_id=measure.id), ctx.today, sort="measure")}
    if args.json:
        print_json({
            "measure_id": measure.id,
            "measure": measure.code,
            "changes": _changes_json(changes),
            "tasks": [r.to_json(ctx.today) for r in rows.values()],
        })
        return EXIT_OK
    added = [c.task_id for c in changes if c.version == 1]
    print(f"措施 {measure.code}（#{measure.id}）：新增任务 {len(added)} 项，现有责任单位 {len(rows)} 个")
    lead_names = [r.unit for r in rows.values() if r.role == "lead"]
    if lead_names:
        print(f"牵头单位：{'、'.join(lead_names)}")
    return EXIT_OK


def cmd_unassign(ctx: Ctx, args: argparse.Namespace) -> int:
    with ctx.read() as conn:
        measure = resolve_measure(conn, args.measure, args.doc)
    tid = services.unassign(ctx.engine, measure.id, args.unit, by=ctx.user, config=ctx.config)
    print(f"已从措施 {measure.code} 移除 {ctx.config.canonical_unit(args.unit.strip())}（任务 #{tid}）")
    return EXIT_OK


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
        targets = q.list_targets(conn, document_id=doc_id(args.doc, conn))
    if args.json:
        print_json({"today": ctx.today.isoformat(), "targets": [t.to_json() for t in targets]})
        return EXIT_OK
    table = _table()
    for col, justify in (("编号", "right"), ("措施", "left"), ("指标", "left"), ("目标", "right"),
                         ("截止", "left"), ("最新实际", "right"), ("完成度", "right")):
        table.add_column(col, justify=justify, no_wrap=col != "指标", overflow="ellipsis")
    for t in targets:
        progress = f"{100 * t.progress:.0f}%" if t.progress is not None else "—"
        actual = f"{format_amount(t.actual)}（{fmt_date(t.actual_at)}）" if t.actual is not None else "未报"
        table.add_row(
            T(t.id), T(t.measure_code), T(t.phrase), T(target_text(t.comparator, t.value, t.uom)),
            T(fmt_date(t.due)), T(actual), T(progress),
        )
    console().print(table)
    return EXIT_OK


def cmd_actual(ctx: Ctx, args: argparse.Namespace) -> int:
    tid = parse_task_id(args.target)
    value = parse_amount(args.value)
    as_of = user_date(args.as_of, ctx.today) if args.as_of else ctx.today
    try:
        services.set_target_actual(ctx.engine, tid, value, as_of)
    except services.NotFoundError:
        raise UsageError(f"找不到指标 {tid}（见 tracker targets）") from None
    if args.json:
        print_json({"target_id": tid, "actual": value, "actual_at": as_of.isoformat()})
        return EXIT_OK
    print(f"指标 #{tid} 最新实际 → {format_amount(value) if value is not None else '未报'}（{as_of.isoformat()}）")
    return EXIT_OK


COMMANDS = {
    "targets": cmd_targets,
    "actual": cmd_actual,
    "import": cmd_import,
    "list": cmd_list,
    "show": cmd_show,
    "set": cmd_set,
    "due": cmd_due,
    "assign": cmd_assign,
    "unassign": cmd_unassign,
    "note": cmd_note,
    "units": cmd_units,
    "summary": cmd_summary,
    "export": cmd_export,
}

__all__ = ["COMMANDS", "DateParseError", "build_filter", "open_app", "run"]
