"""The report's long sections: every task (by measure, by unit, or one unit's list) and the targets.

Tasks are read in order and written as they come; only one measure's tasks (a few dozen at most)
are held at a time, so a report of a million tasks needs no more memory than one of a thousand.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import groupby
from operator import attrgetter

from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS
from tracker.labels import format_amount, late_text, target_text
from tracker.report.markdown import MarkdownOut, Report, _date, md_escape
from tracker.store import progress_sql, sql
from tracker.store.detail_rows import TargetRow
from tracker.store.rows import TaskRow

_TASK_ALIGN = ["r", "l", "l", "l", "l", "r", "l"]


def write_detail(out: MarkdownOut, r: Report) -> set[int]:
    """The task lists; returns the ids of the measures they showed (for the targets), unless the
    report covers everything (then every target is shown and no ids are kept)."""
    seen: set[int] = set()
    by_unit = not r.single_unit and r.by == "unit"
    tasks: Iterator[TaskRow] = r.tasks(sort="unit" if by_unit else "measure")
    if not r.flt.is_empty:
        tasks = _noting(tasks, seen)
    if r.single_unit:
        out("## 任务清单")
        out()
        _unit_tasks_table(out, tasks, r)
        out()
    elif by_unit:
        _by_unit(out, tasks, r)
    else:
        _by_measure(out, tasks, r)
    return seen


def _noting(tasks: Iterable[TaskRow], seen: set[int]) -> Iterator[TaskRow]:
    for t in tasks:
        seen.add(t.measure_id)
        yield t


def _by_measure(out: MarkdownOut, tasks: Iterable[TaskRow], r: Report) -> None:
    out("## 各措施落实情况")
    out()
    done_label = md_escape(r.label("done"))
    for _measure, rows in groupby(tasks, key=attrgetter("measure_id")):
        group = list(rows)  # one measure: its units
        first = group[0]
        done = sum(1 for t in group if t.status == "done")
        late = sum(1 for t in group if t.is_overdue(r.today))
        out(f"### {md_escape(f'{first.measure_code} {first.measure_title}'.strip())}")
        out()
        phrase = f"（{first.due_phrase}）" if first.due_phrase else ""
        out(f"截止：{md_escape(_date(first.due) + phrase)}；单位 {len(group)} 个，{done_label} {done}，逾期 {late}。")
        out()
        out.table(
            ["编号", "单位", "角色", "状态", "截止", "逾期/剩余", "最新进展"],
            [[t.id, t.unit, ROLE_LABELS.get(t.role, t.role), r.label(t.status), _date(t.due),
              late_text(t.due, t.status, r.today), t.note or "—"] for t in group],
            _TASK_ALIGN,
        )
        out()


def _by_unit(out: MarkdownOut, tasks: Iterable[TaskRow], r: Report) -> None:
    """One table per unit (``tasks`` in the one unit order); a unit's figures come from the per-unit
    counts, so its tasks (tens of thousands for a 街镇 at a million tasks) are written as they are read."""
    out("## 各单位任务清单")
    out()
    counts = {u.key: u.counts for u in r.units}
    done_label = md_escape(r.label("done"))
    for name, rows in groupby(tasks, key=attrgetter("unit")):
        first = next(rows)
        c = counts[name]
        kind = UNIT_KIND_LABELS.get(first.unit_kind, first.unit_kind)
        out(f"### {md_escape(name)}（{md_escape(kind)}）")
        out()
        out(f"任务 {c.total} 项，{done_label} {c.done}，逾期 {c.overdue}。")
        out()
        _unit_tasks_table(out, _chain(first, rows), r)
        out()


def _chain(first: TaskRow, rest: Iterable[TaskRow]) -> Iterator[TaskRow]:
    yield first
    yield from rest


def _unit_tasks_table(out: MarkdownOut, tasks: Iterable[TaskRow], r: Report) -> None:
    out.table(
        ["编号", "措施", "角色", "状态", "截止", "逾期/剩余", "最新进展"],
        ([t.id, f"{t.measure_code} {t.measure_title}".strip(), ROLE_LABELS.get(t.role, t.role),
          r.label(t.status), _date(t.due), late_text(t.due, t.status, r.today), t.note or "—"] for t in tasks),
        _TASK_ALIGN,
    )


def write_targets(out: MarkdownOut, r: Report, measure_ids: set[int]) -> None:
    """The targets of the report's measures (of every measure when it covers everything), read twice
    (count, then rows) rather than held: a million tasks come with tens of thousands of targets."""
    if r.flt.is_empty:  # every target of the documents in the report, also of measures without tasks
        active = {d.id for d in sql.list_documents(r.conn)}

        def keep(t: TargetRow) -> bool:
            return t.document_id in active
    else:
        def keep(t: TargetRow) -> bool:
            return t.measure_id in measure_ids

    count = sum(1 for t in progress_sql.iter_report_targets(r.conn) if keep(t))
    out(f"## 量化指标（{count}）")
    out()
    if count:
        out.table(
            ["措施", "指标", "目标", "截止", "最新实际", "完成度"],
            ([t.measure_code, t.phrase, target_text(t.comparator, t.value, t.uom),
              _date(t.due) if t.due else (f"{t.year}年" if t.year else "未定"),
              (f"{format_amount(t.actual)}{t.uom}（{t.actual_at.isoformat()}）" if t.actual_at
               else f"{format_amount(t.actual)}{t.uom}") if t.actual is not None else "未报",
              f"{100 * t.progress:.0f}%" if t.progress is not None else "—"]
             for t in progress_sql.iter_report_targets(r.conn) if keep(t)),
            ["l", "l", "r", "l", "r", "r"],
        )
    else:
        out("无。")
    out()
