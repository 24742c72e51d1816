"""本期进展: the period section of the status report (markdown; the Word report is set from it).

What changed in the reporting period among the report's tasks — completed, started, newly overdue,
blocked, deadlines moved, each with the notes recorded in the period — the 延期申请 still waiting, the
units that did not report, and 完成率 per unit and per chapter at the period's end against the previous
period's end. It is built here as plain parts (heading, paragraphs, one table); the markdown report
sets them, escaping every stored text, so a table cannot break.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tracker.config import UNIT_KIND_LABELS
from tracker.cycle import Period
from tracker.dates import local_day
from tracker.store.period_report_sql import Completion, PeriodReport, period_report

if TYPE_CHECKING:
    from datetime import date

    from tracker.config import Config
    from tracker.store.filters import TaskFilter

# the section's headings and words, in one place
HEADINGS = {
    "section": "本期进展",
    "completed": "本期完成",
    "started": "本期开始推进",
    "newly_overdue": "本期新增逾期",
    "blocked": "受阻任务",
    "deadlines": "截止日期调整",
    "pending": "待审批的延期申请",
    "silent": "未按期报送的单位",
    "by_unit": "各单位完成率变化",
    "by_chapter": "各部分完成率变化",
    "notes": "本期进展记录",
}
APPROVED_WORD = "延期申请批准"
DIRECT_WORD = "直接调整"
NONE_WORD = "无。"


@dataclass(frozen=True)
class Part:
    """One piece of the section: a heading (level 2 or 3), paragraphs, and a table when ``headers``."""

    level: int
    heading: str
    paragraphs: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    align: list[str] = field(default_factory=list)


def _pct(value: float | None) -> str:
    return f"{value:.1f}%" if value is not None else "—"


def _change(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}" if abs(value) >= 0.05 else "0.0"


def _day(value: date | None) -> str:
    return value.isoformat() if value else "未定"


def _notes_text(report: PeriodReport, task_id: int) -> str:
    notes = report.notes.get(task_id, [])
    return "；".join(f"{local_day(n.at).strftime('%m-%d')} {n.text}" for n in notes) or "—"


def _measure(task) -> str:  # noqa: ANN001
    return f"{task.measure_code} {task.measure_title}".strip()


def period_parts(conn: Any, period: Period, today: date, config: Config, flt: TaskFilter) -> list[Part]:
    """本期进展 for the tasks ``flt`` selects, read from the store."""
    return report_parts(period_report(conn, period, today, config, flt), config)


def report_parts(report: PeriodReport, config: Config) -> list[Part]:
    p, label = report.period, config.status_label
    parts: list[Part] = []

    def part(key: str, count: int | None, headers: list[str], rows: list[list[Any]], align: list[str]) -> None:
        heading = HEADINGS[key] + (f"（{count}）" if count is not None else "")
        parts.append(Part(3, heading, [] if rows else [NONE_WORD], headers if rows else [], rows, align))

    done = sum(1 for c in report.completed if c.new == "done")
    silent = sum(1 for u in report.silent_units if u.silent)
    parts.append(Part(2, f"{HEADINGS['section']}（{p.label}）", [
        f"报告期：{p.start.isoformat()} 至 {p.end.isoformat()}；对比基准：上期末（{p.start.isoformat()} 前）。",
        (f"本期完成 {len(report.completed)} 项（{label('done')} {done}，{label('review')} {len(report.completed) - done}），"
         f"开始推进 {len(report.started)} 项，新增逾期 {len(report.newly_overdue)} 项，受阻 {len(report.blocked)} 项，"
         f"截止日期调整 {len(report.deadlines_moved)} 次，待审批延期申请 {len(report.pending_extensions)} 项；"
         f"未按期报送的单位 {len(report.silent_units)} 个（其中全部未报 {silent} 个）。"),
    ]))
    part("completed", len(report.completed), ["编号", "措施", "单位", "完成日期", "当前状态", "本期进展"],
         [[c.task.id, _measure(c.task), c.task.unit, local_day(c.at).isoformat(), label(c.new), _notes_text(report, c.task.id)]
          for c in report.completed], ["r", "l", "l", "l", "l", "l"])
    part("started", len(report.started), ["编号", "措施", "单位", "开始日期", "截止", "本期进展"],
         [[c.task.id, _measure(c.task), c.task.unit, local_day(c.at).isoformat(), _day(c.task.due),
           _notes_text(report, c.task.id)] for c in report.started], ["r", "l", "l", "l", "l", "l"])
    part("newly_overdue", len(report.newly_overdue), ["编号", "措施", "单位", "截止", "当前状态", "本期进展"],
         [[t.id, _measure(t), t.unit, _day(t.due), label(t.status), _notes_text(report, t.id)]
          for t in report.newly_overdue], ["r", "l", "l", "l", "l", "l"])
    part("blocked", len(report.blocked), ["编号", "措施", "单位", "截止", "本期进展", "最新进展"],
         [[t.id, _measure(t), t.unit, _day(t.due), _notes_text(report, t.id), t.note or "—"] for t in report.blocked],
         ["r", "l", "l", "l", "l", "l"])
    part("deadlines", len(report.deadlines_moved), ["编号", "措施", "单位", "原截止", "新截止", "日期", "方式", "理由/说明"],
         [[m.task.id, _measure(m.task), m.task.unit, _day(m.old), _day(m.new), local_day(m.at).isoformat(),
           APPROVED_WORD if m.approved_extension else DIRECT_WORD,
           "；".join(x for x in (m.reason, m.note) if x) or "—"] for m in report.deadlines_moved],
         ["r", "l", "l", "l", "l", "l", "l", "l"])
    part("pending", len(report.pending_extensions), ["编号", "措施", "单位", "现截止", "申请延至", "申请日期", "理由"],
         [[x.task.id, _measure(x.task), x.task.unit, _day(x.task.due), _day(x.requested_due),
           local_day(x.requested_at).isoformat(), x.reason or "—"] for x in report.pending_extensions],
         ["r", "l", "l", "l", "l", "l", "l"])
    part("silent", len(report.silent_units), ["单位", "类别", "应报任务", "已报", "未报"],
         [[u.unit, UNIT_KIND_LABELS.get(u.kind, u.kind), u.tasks, u.reported, u.tasks - u.reported]
          for u in report.silent_units], ["l", "l", "r", "r", "r"])
    rate_headers = ["任务", label("done"), label("review"), "本期末完成率", "上期末完成率", "变化（百分点）"]

    def rates(c: Completion) -> list[object]:
        return [c.total, c.done, c.review, _pct(c.rate), _pct(c.before_rate), _change(c.change)]

    part("by_unit", None, ["单位", "类别", *rate_headers],
         [[c.key, UNIT_KIND_LABELS.get(c.label, c.label), *rates(c)] for c in report.by_unit],
         ["l", "l", "r", "r", "r", "r", "r", "r"])
    many_docs = len({c.document_id for c in report.by_chapter}) > 1
    part("by_chapter", None, (["文件"] if many_docs else []) + ["部分", "标题", *rate_headers],
         [([f"#{c.document_id}"] if many_docs else []) + [c.key or "—", c.label or "", *rates(c)]
          for c in report.by_chapter], (["l"] if many_docs else []) + ["l", "l", "r", "r", "r", "r", "r", "r"])
    notes = [(n, report.tasks.get(n.task_id)) for task_notes in report.notes.values() for n in task_notes]
    notes.sort(key=lambda item: (item[0].at, item[0].task_id))
    part("notes", len(notes), ["日期", "编号", "单位", "措施", "记录人", "进展"],
         [[local_day(n.at).isoformat(), n.task_id, t.unit if t else "", _measure(t) if t else "", n.by, n.text]
          for n, t in notes], ["l", "r", "l", "l", "l", "l"])
    return parts
