"""Markdown (CommonMark + GFM tables) status report, built from store queries.

``render_report(conn, flt, today, config, by="measure")`` is used by ``tracker export``
and by the app ("export the current view"). Never imports textual.

Every piece of stored text (unit names, measure titles, notes, document titles) goes
through :func:`md_escape` (inline text) so that ``|``, newlines, backticks, ``*``/``_``,
``[ ]`` and HTML in names or notes can never break a table or inject markup.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from functools import lru_cache
from datetime import date

from sqlalchemy.engine import Connection

from tracker.labels import format_amount, late_text, target_text
from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS, Config
from tracker.store import queries as q
from tracker.store.filters import TaskFilter
from tracker.store.ordering import KIND_ORDER, unit_key

BY_CHOICES = ("measure", "unit")

# ASCII punctuation with an inline or table meaning in CommonMark/GFM. All are valid backslash escapes.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!#&])")
_NEWLINES = re.compile(r"\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*")


_NEEDS_WORK = re.compile(r"[\\`*_\[\]<>|~!#&\x00-\x1f\x7f\u2028\u2029]")


def md_escape(value: object) -> str:
    """Inline-safe text: one line, every markup character backslash-escaped.

    Parsed back by a CommonMark renderer, the text reads exactly as stored
    (line breaks become a single space).
    """
    return _escape("" if value is None else str(value))


@lru_cache(maxsize=65536)
def _escape(text: str) -> str:
    # most cells (names, dates, figures) need nothing: one regex search instead of three passes
    if not _NEEDS_WORK.search(text):
        return text.strip()
    text = _NEWLINES.sub(" ", text).replace("\t", " ")
    text = "".join(ch for ch in text if ch >= " " or ch == " ")
    return _MD_SPECIAL.sub(r"\\\1", text).strip()


def md_table(headers: list[str], rows: list[list[object]], align: list[str] | None = None) -> str:
    """A GFM table; cells are escaped here (callers pass raw values)."""
    align = align or ["l"] * len(headers)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    lines = [
        "| " + " | ".join(md_escape(h) for h in headers) + " |",
        "| " + " | ".join(marks[a] for a in align) + " |",
    ]
    for row in rows:
        cells = [md_escape(c) for c in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _pct(part: int, total: int) -> str:
    return f"{100.0 * part / total:.1f}%" if total else "—"


def _date(value: date | None) -> str:
    return value.isoformat() if value else "未定"


def _cn_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def render_report(conn: Connection, flt: TaskFilter, today: date, config: Config, *, by: str = "measure") -> str:
    """The status report for the tasks ``flt`` selects, as of ``today``."""
    if by not in BY_CHOICES:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}")
    label = config.status_label
    soon_days = config.due_soon_days
    counts = q.count_tasks(conn, flt, today, soon_days)
    tasks = q.list_tasks(conn, flt, today, sort="measure")
    docs = {d.id: d for d in q.list_documents(conn)}
    single_unit = flt.units[0] if len(flt.units) == 1 else None

    out: list[str] = []
    doc_ids = sorted({t.document_id for t in tasks} | ({flt.document_id} if flt.document_id else set()))
    if single_unit:
        title = f"{single_unit} 任务落实情况"
    elif len(doc_ids) == 1 and doc_ids[0] in docs:
        title = f"《{docs[doc_ids[0]].title}》落实情况"
    else:
        title = "任务落实情况报告"
    out.append(f"# {md_escape(title)}")
    out.append("")
    out.append(f"截至 {_cn_date(today)}（{today.isoformat()}）。范围：{md_escape(flt.describe(config.status_labels))}。")
    for did in doc_ids:
        d = docs.get(did)
        if d is not None:
            number = f"（{d.doc_number}）" if d.doc_number else ""
            out.append("")
            out.append(f"文件：{md_escape(d.title + number)}")
    out.append("")

    # -- totals
    out.append("## 总体情况")
    out.append("")
    total = counts.total
    rows = [
        ["任务总数", total, _pct(total, total) if total else "—"],
        [label("done"), counts.done, _pct(counts.done, total)],
        [label("doing"), counts.doing, _pct(counts.doing, total)],
        [label("todo"), counts.todo, _pct(counts.todo, total)],
        [label("blocked"), counts.blocked, _pct(counts.blocked, total)],
    ]
    if counts.dropped:
        rows.append([label("dropped"), counts.dropped, _pct(counts.dropped, total)])
    rows.append(["已逾期", counts.overdue, _pct(counts.overdue, total)])
    rows.append([f"{soon_days}天内到期", counts.due_soon, _pct(counts.due_soon, total)])
    out.append(md_table(["指标", "数量", "占比"], rows, ["l", "r", "r"]))
    out.append("")

    # -- overdue list (most late first)
    overdue = sorted((t for t in tasks if t.is_overdue(today)), key=lambda t: t.due)  # stable: document order within a day
    out.append(f"## 逾期任务（{len(overdue)}）")
    out.append("")
    if overdue:
        out.append(md_table(
            ["编号", "措施", "单位", "角色", "状态", "截止", "逾期天数", "最新进展"],
            [[t.id, f"{t.measure_code} {t.measure_title}".strip(), t.unit, ROLE_LABELS.get(t.role, t.role),
              label(t.status), _date(t.due), (today - t.due).days, t.note or "—"] for t in overdue],
            ["r", "l", "l", "l", "l", "l", "r", "l"],
        ))
    else:
        out.append("无逾期任务。")
    out.append("")

    # -- due soon
    soon = sorted((t for t in tasks if t.is_due_soon(today, soon_days)), key=lambda t: t.due)  # stable: document order within a day
    if soon:
        out.append(f"## {soon_days}天内到期（{len(soon)}）")
        out.append("")
        out.append(md_table(
            ["编号", "措施", "单位", "角色", "状态", "截止", "剩余", "最新进展"],
            [[t.id, f"{t.measure_code} {t.measure_title}".strip(), t.unit, ROLE_LABELS.get(t.role, t.role),
              label(t.status), _date(t.due), late_text(t.due, t.status, today), t.note or "—"] for t in soon],
            ["r", "l", "l", "l", "l", "l", "r", "l"],
        ))
        out.append("")

    # -- per unit, by kind (the 街镇 table first)
    if not single_unit:
        units = q.progress_by_unit(conn, flt, today, soon_days, config)
        out.append("## 各单位进展")
        out.append("")
        if not units:
            out.append("无。")
            out.append("")
        for kind in KIND_ORDER + tuple(sorted({u.label for u in units} - set(KIND_ORDER))):
            group = [u for u in units if u.label == kind]
            if not group:
                continue
            out.append(f"### {UNIT_KIND_LABELS.get(kind, kind)}")
            out.append("")
            out.append(md_table(
                ["单位", "任务", label("done"), label("doing"), label("todo"), label("blocked"), "逾期", "完成率"],
                [[u.key, u.counts.total, u.counts.done, u.counts.doing, u.counts.todo, u.counts.blocked,
                  u.counts.overdue, _pct(u.counts.done, u.counts.total)] for u in group],
                ["l", "r", "r", "r", "r", "r", "r", "r"],
            ))
            out.append("")

    # -- per chapter
    chapters = q.progress_by_chapter(conn, flt, today, soon_days)
    if chapters and not single_unit:
        out.append("## 各部分进展")
        out.append("")
        many_docs = len({c.extra.get("document_id") for c in chapters}) > 1
        out.append(md_table(
            (["文件"] if many_docs else []) + ["部分", "标题", "任务", label("done"), "逾期", "完成率"],
            [([f"#{c.extra.get('document_id')}"] if many_docs else [])
             + [c.key or "—", c.label or "", c.counts.total, c.counts.done, c.counts.overdue,
                _pct(c.counts.done, c.counts.total)] for c in chapters],
            (["l"] if many_docs else []) + ["l", "l", "r", "r", "r", "r"],
        ))
        out.append("")

    # -- detail
    if single_unit:
        out.append("## 任务清单")
        out.append("")
        out.append(_unit_tasks_table(tasks, today, config))
        out.append("")
    elif by == "measure":
        out.append("## 各措施落实情况")
        out.append("")
        by_measure: OrderedDict[int, list] = OrderedDict()
        for t in tasks:
            by_measure.setdefault(t.measure_id, []).append(t)
        for group in by_measure.values():
            first = group[0]
            done = sum(1 for t in group if t.status == "done")
            late = sum(1 for t in group if t.is_overdue(today))
            out.append(f"### {md_escape(f'{first.measure_code} {first.measure_title}'.strip())}")
            out.append("")
            phrase = f"（{first.due_phrase}）" if first.due_phrase else ""
            out.append(f"截止：{md_escape(_date(first.due) + phrase)}；单位 {len(group)} 个，"
                       f"{md_escape(label('done'))} {done}，逾期 {late}。")
            out.append("")
            out.append(md_table(
                ["编号", "单位", "角色", "状态", "截止", "逾期/剩余", "最新进展"],
                [[t.id, t.unit, ROLE_LABELS.get(t.role, t.role), label(t.status), _date(t.due),
                  late_text(t.due, t.status, today), t.note or "—"] for t in group],
                ["r", "l", "l", "l", "l", "r", "l"],
            ))
            out.append("")
    else:
        out.append("## 各单位任务清单")
        out.append("")
        by_unit: dict[str, list] = {}
        for t in tasks:
            by_unit.setdefault(t.unit, []).append(t)
        key = unit_key(config)
        for name in sorted(by_unit, key=lambda n: key(n, by_unit[n][0].unit_kind, by_unit[n][0].unit_id)):
            group = by_unit[name]
            late = sum(1 for t in group if t.is_overdue(today))
            done = sum(1 for t in group if t.status == "done")
            kind = UNIT_KIND_LABELS.get(group[0].unit_kind, group[0].unit_kind)
            out.append(f"### {md_escape(name)}（{md_escape(kind)}）")
            out.append("")
            out.append(f"任务 {len(group)} 项，{md_escape(label('done'))} {done}，逾期 {late}。")
            out.append("")
            out.append(_unit_tasks_table(group, today, config))
            out.append("")

    # -- targets
    measure_ids = {t.measure_id for t in tasks}
    if flt.is_empty:  # every target of the documents in the report, also of measures without tasks
        active = {d.id for d in q.list_documents(conn)}
        targets = [t for t in q.list_targets(conn) if t.document_id in active]
    else:
        targets = [t for t in q.list_targets(conn) if t.measure_id in measure_ids]
    out.append(f"## 量化指标（{len(targets)}）")
    out.append("")
    if targets:
        out.append(md_table(
            ["措施", "指标", "目标", "截止", "最新实际", "完成度"],
            [[t.measure_code, t.phrase, target_text(t.comparator, t.value, t.uom),
              _date(t.due) if t.due else (f"{t.year}年" if t.year else "未定"),
              (f"{format_amount(t.actual)}{t.uom}（{t.actual_at.isoformat()}）" if t.actual_at else f"{format_amount(t.actual)}{t.uom}")
              if t.actual is not None else "未报",
              f"{100 * t.progress:.0f}%" if t.progress is not None else "—"] for t in targets],
            ["l", "l", "r", "l", "r", "r"],
        ))
    else:
        out.append("无。")
    out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _unit_tasks_table(tasks, today: date, config: Config) -> str:  # noqa: ANN001
    return md_table(
        ["编号", "措施", "角色", "状态", "截止", "逾期/剩余", "最新进展"],
        [[t.id, f"{t.measure_code} {t.measure_title}".strip(), ROLE_LABELS.get(t.role, t.role),
          config.status_label(t.status), _date(t.due), late_text(t.due, t.status, today), t.note or "—"] for t in tasks],
        ["r", "l", "l", "l", "l", "r", "l"],
    )
