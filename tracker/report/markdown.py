"""Markdown (CommonMark + GFM tables) status report, built from store queries.

``render_report(conn, flt, today, config, by="measure")`` is used by ``tracker export``
and by the app ("export the current view"). Never imports textual.

Every piece of stored text (unit names, measure titles, notes, document titles) goes
through :func:`md_escape` (inline text) so that ``|``, newlines, backticks, ``*``/``_``,
``[ ]`` and HTML in names or notes can never break a table or inject markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS, Config
from tracker.cycle import Period
from tracker.labels import late_text
from tracker.store import progress_sql, sql
from tracker.store.detail_rows import GroupProgress
from tracker.store.filters import TaskFilter
from tracker.store.ordering import KIND_ORDER
from tracker.store.rows import Counts, DocumentRow, TaskRow

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


@lru_cache(maxsize=8192)  # names, labels and titles repeat; bounded, so memory stays flat
def _escape(text: str) -> str:
    # most cells (names, dates, figures) need nothing: one regex search instead of three passes
    if not _NEEDS_WORK.search(text):
        return text.strip()
    text = _NEWLINES.sub(" ", text).replace("\t", " ")
    text = "".join(ch for ch in text if ch >= " " or ch == " ")
    return _MD_SPECIAL.sub(r"\\\1", text).strip()


def md_table(headers: list[str], rows: Iterable[list[object]], align: list[str] | None = None) -> str:
    """A GFM table; cells are escaped here (callers pass raw values)."""
    return "\n".join(md_table_lines(headers, rows, align))


def md_table_lines(headers: list[str], rows: Iterable[list[object]], align: list[str] | None = None) -> Iterator[str]:
    """:func:`md_table` line by line, as ``rows`` yields them."""
    align = align or ["l"] * len(headers)
    marks = {"l": "---", "r": "---:", "c": ":---:"}
    yield "| " + " | ".join(md_escape(h) for h in headers) + " |"
    yield "| " + " | ".join(marks[a] for a in align) + " |"
    for row in rows:
        yield "| " + " | ".join([_cell(c) for c in row]) + " |"


def _cell(value: object) -> str:
    """:func:`md_escape` of a table cell; numbers (ids, counts, days) never need escaping."""
    kind = type(value)
    if kind is str:
        return _escape(value)
    if kind is int:
        return str(value)
    return md_escape(value)


def _pct(part: int, total: int) -> str:
    return f"{100.0 * part / total:.1f}%" if total else "—"


def _date(value: date | None) -> str:
    return value.isoformat() if value else "未定"


def _cn_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


class MarkdownOut:
    """Lines written as they come, joined by newlines; blank lines at the end dropped, one final
    newline (the text ``"\\n".join(lines).rstrip("\\n") + "\\n"`` would be, never held whole)."""

    def __init__(self, write: Callable[[str], object]) -> None:
        self._write = write
        self._started = False
        self._blank = 0
        self._pending: list[str] = []  # written in batches: one call per line costs more than the line

    def __call__(self, line: str = "") -> None:
        if not line:
            self._blank += 1
            return
        pending = self._pending
        pending.append("\n" * (self._blank + self._started) + line)
        self._started, self._blank = True, 0
        if len(pending) >= 512:
            self._write("".join(pending))
            pending.clear()

    def lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self(line)

    def table(self, headers: list[str], rows: Iterable[list[object]], align: list[str] | None = None) -> None:
        self.lines(md_table_lines(headers, rows, align))

    def close(self) -> None:
        self._pending.append("\n")
        self._write("".join(self._pending))
        self._pending.clear()


class Report(NamedTuple):
    """What every section of the report reads: the connection, the filter and what was counted once."""

    conn: Any
    flt: TaskFilter
    today: date
    config: Config
    by: str
    counts: Counts
    document_ids: list[int]  # documents with tasks in the report (and the filter's document)
    documents: dict[int, DocumentRow]  # those of them not archived, by id
    single_unit: str | None
    units: list[GroupProgress]  # counts per unit (empty for a one-unit report)

    def label(self, status: str) -> str:
        return self.config.status_label(status)

    def tasks(self, flt: TaskFilter | None = None, sort: str = "measure") -> Iterator[TaskRow]:
        """The report's tasks (or those of a narrower filter), read as they are written."""
        return sql.iter_tasks(self.conn, flt or self.flt, self.today, sort=sort, config=self.config)


def start_report(conn: Any, flt: TaskFilter, today: date, config: Config, by: str = "measure") -> Report:
    if by not in BY_CHOICES:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}")
    soon = config.due_soon_days
    per_document = sql.count_by(conn, ("document",), flt, today, soon)  # also says which documents have tasks
    counts = sum(per_document.values(), Counts())
    every = {d.id: d for d in sql.list_documents(conn)}
    ids = sorted({key[0] for key in per_document} | ({flt.document_id} if flt.document_id else set()))
    single_unit = flt.units[0] if len(flt.units) == 1 else None
    units = [] if single_unit else progress_sql.progress_by_unit(conn, flt, today, soon, config)
    return Report(conn, flt, today, config, by, counts, ids, {i: every[i] for i in ids if i in every}, single_unit,
                  units)


def write_report(conn: Any, flt: TaskFilter, today: date, config: Config, write: Callable[[str], object],
                 *, by: str = "measure", period: Period | None = None) -> None:
    """The status report for the tasks ``flt`` selects, as of ``today``, passed to ``write`` piece by
    piece: tasks are read from the database as they are written, so memory stays flat."""
    from tracker.report.markdown_detail import write_detail, write_targets

    report = start_report(conn, flt, today, config, by)
    out = MarkdownOut(write)
    for section in (write_heading, write_totals, write_overdue, write_due_soon, write_units, write_chapters):
        section(out, report)
        if section is write_totals and period is not None:
            write_period(out, report, period)
    measure_ids = write_detail(out, report)
    write_targets(out, report, measure_ids)
    out.close()


def render_report(conn: Any, flt: TaskFilter, today: date, config: Config, *, by: str = "measure",
                  period: Period | None = None) -> str:
    """The status report as one text (see :func:`write_report`)."""
    parts: list[str] = []
    write_report(conn, flt, today, config, parts.append, by=by, period=period)
    return "".join(parts)


# --------------------------------------------------------------------------- sections


def write_heading(out: MarkdownOut, r: Report) -> None:
    if r.single_unit:
        title = f"{r.single_unit} 任务落实情况"
    elif len(r.document_ids) == 1 and r.document_ids[0] in r.documents:
        title = f"《{r.documents[r.document_ids[0]].title}》落实情况"
    else:
        title = "任务落实情况报告"
    out(f"# {md_escape(title)}")
    out()
    out(f"截至 {_cn_date(r.today)}（{r.today.isoformat()}）。范围：{md_escape(r.flt.describe(r.config.status_labels))}。")
    for d in r.documents.values():
        number = f"（{d.doc_number}）" if d.doc_number else ""
        out()
        out(f"文件：{md_escape(d.title + number)}")
    out()


def write_totals(out: MarkdownOut, r: Report) -> None:
    c, label = r.counts, r.label
    out("## 总体情况")
    out()
    total = c.total
    rows = [
        ["任务总数", total, _pct(total, total) if total else "—"],
        [label("done"), c.done, _pct(c.done, total)],
        [label("doing"), c.doing, _pct(c.doing, total)],
        [label("todo"), c.todo, _pct(c.todo, total)],
        [label("blocked"), c.blocked, _pct(c.blocked, total)],
    ]
    if c.review:  # 待销号 apart from 已销号 (done)
        rows.insert(2, [label("review"), c.review, _pct(c.review, total)])
    if c.dropped:
        rows.append([label("dropped"), c.dropped, _pct(c.dropped, total)])
    rows.append(["已逾期", c.overdue, _pct(c.overdue, total)])
    rows.append([f"{r.config.due_soon_days}天内到期", c.due_soon, _pct(c.due_soon, total)])
    out.table(["指标", "数量", "占比"], rows, ["l", "r", "r"])
    out()


def write_period(out: MarkdownOut, r: Report, period: Period) -> None:
    """本期进展 (its parts built by :mod:`tracker.report.period`, imported only for a report with a period)."""
    from tracker.report.period import period_parts

    for part in period_parts(r.conn, period, r.today, r.config, r.flt):
        out(f"{'#' * part.level} {md_escape(part.heading)}")
        out()
        for paragraph in part.paragraphs:
            out(md_escape(paragraph))
            out()
        if part.headers:
            out.table(part.headers, part.rows, part.align)
            out()


_LATE_HEADERS = ["编号", "措施", "单位", "角色", "状态", "截止"]
_LATE_ALIGN = ["r", "l", "l", "l", "l", "l", "r", "l"]


def write_overdue(out: MarkdownOut, r: Report) -> None:
    """Overdue tasks, most late first (document order within a day): the SQL ``due`` order."""
    out(f"## 逾期任务（{r.counts.overdue}）")
    out()
    if r.counts.overdue:
        rows = (
            [t.id, f"{t.measure_code} {t.measure_title}".strip(), t.unit, ROLE_LABELS.get(t.role, t.role),
             r.label(t.status), _date(t.due), (r.today - t.due).days, t.note or "—"]
            for t in r.tasks(r.flt.replace(overdue=True), sort="due")
        )
        out.table([*_LATE_HEADERS, "逾期天数", "最新进展"], rows, _LATE_ALIGN)
    else:
        out("无逾期任务。")
    out()


def write_due_soon(out: MarkdownOut, r: Report) -> None:
    days = r.config.due_soon_days
    if not r.counts.due_soon:
        return
    within = days if r.flt.due_within is None else min(days, r.flt.due_within)
    out(f"## {days}天内到期（{r.counts.due_soon}）")
    out()
    rows = (
        [t.id, f"{t.measure_code} {t.measure_title}".strip(), t.unit, ROLE_LABELS.get(t.role, t.role),
         r.label(t.status), _date(t.due), late_text(t.due, t.status, r.today), t.note or "—"]
        for t in r.tasks(r.flt.replace(due_within=within), sort="due")
    )
    out.table([*_LATE_HEADERS, "剩余", "最新进展"], rows, _LATE_ALIGN)
    out()


def write_units(out: MarkdownOut, r: Report) -> None:
    """Counts per unit, by kind (the 街镇 table first)."""
    if r.single_unit:
        return
    label, units = r.label, r.units
    out("## 各单位进展")
    out()
    if not units:
        out("无。")
        out()
    for kind in KIND_ORDER + tuple(sorted({u.label for u in units} - set(KIND_ORDER))):
        group = [u for u in units if u.label == kind]
        if not group:
            continue
        out(f"### {UNIT_KIND_LABELS.get(kind, kind)}")
        out()
        out.table(
            ["单位", "任务", label("done"), label("doing"), label("todo"), label("blocked"), "逾期", "完成率"],
            [[u.key, u.counts.total, u.counts.done, u.counts.doing, u.counts.todo, u.counts.blocked,
              u.counts.overdue, _pct(u.counts.done, u.counts.total)] for u in group],
            ["l", "r", "r", "r", "r", "r", "r", "r"],
        )
        out()


def write_chapters(out: MarkdownOut, r: Report) -> None:
    if r.single_unit:
        return
    chapters = progress_sql.progress_by_chapter(r.conn, r.flt, r.today, r.config.due_soon_days)
    if not chapters:
        return
    out("## 各部分进展")
    out()
    many_docs = len({c.extra.get("document_id") for c in chapters}) > 1
    out.table(
        (["文件"] if many_docs else []) + ["部分", "标题", "任务", r.label("done"), "逾期", "完成率"],
        [([f"#{c.extra.get('document_id')}"] if many_docs else [])
         + [c.key or "—", c.label or "", c.counts.total, c.counts.done, c.counts.overdue,
            _pct(c.counts.done, c.counts.total)] for c in chapters],
        (["l"] if many_docs else []) + ["l", "l", "r", "r", "r", "r"],
    )
    out()
