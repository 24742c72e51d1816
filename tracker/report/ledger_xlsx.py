"""The Excel 工作台账: one row per task, for units to fill in and send back.

Sheets: 汇总 (counts per unit kind), then one sheet per unit kind present (街镇, 部门, 集合,
企业) in the store's unit order. Header frozen and filtered, CJK-fitted widths, wrapped
measure and progress text, real Excel dates, a drop-down of status words, overdue rows red
and due-soon rows yellow (a conditional format, so a row a unit marks 已完成 turns plain).
Layout and hidden columns: :mod:`tracker.ingest.formats.ledger_layout`.

Written in openpyxl's write-only mode, the tasks as they are read: memory stays flat at a million tasks.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import islice
from pathlib import Path

from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS, Config
from tracker.dates import local_time
from tracker.ingest.formats.ledger_layout import (
    COL,
    FORMAT_TAG,
    HEADER,
    HIDDEN,
    META_SHEET,
    SUMMARY_SHEET,
    VISIBLE,
    cell_text,
    exported_key,
)
from tracker.store import sql
from tracker.store.filters import TaskFilter
from tracker.store.ordering import KIND_ORDER
from tracker.store.rows import Counts, TaskRow

_IDS_PER_CELL = 2000


@dataclass
class LedgerResult:
    path: Path
    tasks: int
    sheets: list[str]


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


class _Styles:
    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Font, PatternFill

        self.header_font = Font(bold=True)
        self.header_fill = PatternFill("solid", fgColor="DDEBF7")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.red = PatternFill("solid", fgColor="F8CBAD", bgColor="F8CBAD")
        self.yellow = PatternFill("solid", fgColor="FFF2CC", bgColor="FFF2CC")


class _Cells:
    """Cells of one sheet. Styles are resolved once and shared: setting a style through
    openpyxl's descriptors costs a hash lookup per cell, most of the time at 100k rows."""

    def __init__(self, sheet, style: _Styles):
        from openpyxl.cell import WriteOnlyCell

        self.sheet = sheet
        self.new = WriteOnlyCell

        def array(**attrs):
            cell = WriteOnlyCell(sheet)
            for name, value in attrs.items():
                setattr(cell, name, value)
            return cell._style

        self.wrap = array(alignment=style.wrap)
        self.day = array(alignment=style.top, number_format="yyyy-mm-dd")
        self.minute = array(alignment=style.top, number_format="yyyy-mm-dd hh:mm")

    def text(self, value: str | None, *, wrap: bool = False):
        """Stored text as a cell: empty is no cell, a leading ``=`` stays text (never a formula)."""
        text = cell_text(value)
        if not text:
            return None
        if not wrap and not text.startswith("="):
            return text
        cell = self.new(self.sheet, text)
        if text.startswith("="):
            cell.data_type = "s"
        if wrap:
            cell._style = self.wrap
        return cell

    def date(self, value, *, minute: bool = False):
        if value is None:
            return None
        cell = self.new(self.sheet, value)
        cell._style = self.minute if minute else self.day
        return cell


def _task_sheet(workbook, title: str, rows: int, today: date, config: Config, style: _Styles, due_soon_days: int):
    """A sheet for ``rows`` tasks: widths, filter, drop-down and colours set; the rows follow."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = workbook.create_sheet(title)
    for k, (_name, width) in enumerate(VISIBLE):
        sheet.column_dimensions[_letter(k)].width = width
    for k in range(len(VISIBLE), len(HEADER)):
        sheet.column_dimensions[_letter(k)].hidden = True
    sheet.freeze_panes = "B2"
    last = rows + 1
    sheet.auto_filter.ref = f"A1:{_letter(len(VISIBLE) - 1)}{last}"
    labels = [config.status_label(c) for c in config.status_labels]
    validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"', allow_blank=False,
                                showErrorMessage=True, errorTitle="状态", error="请从下拉列表中选择状态")
    validation.add(f"{_letter(COL['状态'])}2:{_letter(COL['状态'])}{max(last, 2)}")
    sheet.data_validations.append(validation)
    status_col, late_col, due_col = _letter(COL["状态"]), _letter(COL["逾期天数"]), _letter(COL["截止日期"])
    closed = ",".join(f'{status_col}2<>"{config.status_label(c)}"' for c in ("done", "dropped"))
    span = f"A2:{_letter(len(VISIBLE) - 1)}{max(last, 2)}"
    export_day = f"DATE({today.year},{today.month},{today.day})"
    sheet.conditional_formatting.add(
        span, FormulaRule(formula=[f"AND(${late_col}2>0,{closed.replace(status_col, '$' + status_col)})"], fill=style.red)
    )
    sheet.conditional_formatting.add(
        span,
        FormulaRule(
            formula=[(f"AND(${due_col}2<>\"\",${due_col}2>={export_day},${due_col}2-{export_day}<={due_soon_days},"
                      f"{closed.replace(status_col, '$' + status_col)})")],
            fill=style.yellow,
        ),
    )
    header = []
    for name in HEADER:
        cell = WriteOnlyCell(sheet, name)
        cell.font, cell.fill = style.header_font, style.header_fill
        header.append(cell)
    sheet.append(header)
    return sheet


def _task_rows(sheet, tasks: Iterable[TaskRow], today: date, config: Config, style: _Styles) -> int:
    """Append one row per task as they are read; returns how many."""
    cells = _Cells(sheet, style)
    role_labels = ROLE_LABELS
    n = 0
    for t in tasks:
        n += 1
        late = t.days_late(today)
        note = cell_text(t.note)
        # Excel times carry no zone: the machine's clock, as the app and the reports show it
        updated = local_time(t.updated_at).replace(tzinfo=None, microsecond=0) if t.updated_at else None
        sheet.append([
            t.id,
            cells.text(t.document_title),
            cells.text(t.measure_code),
            cells.text(t.measure_title or t.measure_code, wrap=True),
            cells.text(t.unit),
            role_labels.get(t.role, t.role),
            config.status_label(t.status),
            cells.date(t.due),
            late if late is not None and late > 0 and t.status not in ("done", "dropped") else None,
            cells.text(note, wrap=True),
            cells.date(updated, minute=True),
            exported_key(t.version, t.status, t.due.isoformat() if t.due else None),
            cells.text(note),
        ])
    return n


def _summary_sheet(workbook, flt: TaskFilter, today: date, config: Config, style: _Styles,
                   per_kind: dict[str, Counts]):
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.create_sheet(SUMMARY_SHEET, 0)
    soon = config.due_soon_days
    titles = ["单位类别", "任务数"] + [config.status_label(c) for c in config.status_labels] + ["已逾期", f"{soon}天内到期"]
    for k, width in enumerate([12, 8] + [9] * (len(titles) - 2)):
        sheet.column_dimensions[_letter(k)].width = width
    sheet.append([f"工作台账（截至 {today.year}年{today.month}月{today.day}日）"])
    sheet.append([f"范围：{flt.describe(config.status_labels)}"])
    header = []
    for name in titles:
        cell = WriteOnlyCell(sheet, name)
        cell.font, cell.fill = style.header_font, style.header_fill
        header.append(cell)
    sheet.append(header)

    def counts_row(label: str, counts) -> list:
        by_status = [getattr(counts, c, 0) for c in config.status_labels]
        return [label, counts.total, *by_status, counts.overdue, counts.due_soon]

    for kind, counts in per_kind.items():
        sheet.append(counts_row(UNIT_KIND_LABELS.get(kind, kind), counts))
    sheet.append(counts_row("合计", sum(per_kind.values(), Counts())))
    return sheet


def write_ledger(conn, flt: TaskFilter, today: date, config: Config, path: str | Path) -> LedgerResult:
    """Write the 台账 for the tasks ``flt`` selects, as of ``today``, to ``path`` (.xlsx).

    Each kind's sheet is filled from its own ordered query as the rows are read (openpyxl's
    write-only sheets go to temporary files), and the hidden sheet's task ids from a second pass
    over the ids: no list of tasks is ever held."""
    from openpyxl import Workbook

    soon = config.due_soon_days
    found = {key[0]: c for key, c in sql.count_by(conn, ("kind",), flt, today, soon).items() if c.total}
    kinds = [k for k in KIND_ORDER if k in found] + sorted(k for k in found if k not in KIND_ORDER)
    per_kind = {k: found[k] for k in kinds}
    style = _Styles()
    workbook = Workbook(write_only=True)
    _summary_sheet(workbook, flt, today, config, style, per_kind)
    names: list[str] = []
    total = 0
    for kind in kinds or ["agency"]:
        name = UNIT_KIND_LABELS.get(kind, kind)
        count = per_kind[kind].total if kind in per_kind else 0
        sheet = _task_sheet(workbook, name, count, today, config, style, soon)
        tasks = sql.iter_tasks(conn, flt.replace(unit_kinds=(kind,)), today, sort="measure") if count else ()
        written = _task_rows(sheet, tasks, today, config, style)
        if written != count:  # the counts and the rows come from one read transaction
            raise RuntimeError(f"{name}: counted {count} tasks, read {written}")
        total += written
        names.append(name)
    meta = workbook.create_sheet(META_SHEET)
    meta.sheet_state = "veryHidden"
    meta.append(["格式", FORMAT_TAG])
    meta.append(["导出日期", today.isoformat()])
    meta.append(["隐藏列", ",".join(HIDDEN)])
    if len(flt.units) == 1:
        meta.append(["单位", flt.units[0]])
    for kind, name in zip(kinds, names):
        values = sql.iter_task_values(conn, flt.replace(unit_kinds=(kind,)), today, sort="measure")
        ids = (str(v[0]) for v in values)
        while chunk := list(islice(ids, _IDS_PER_CELL)):
            meta.append(["任务", name, ",".join(chunk)])
    target = Path(path)
    workbook.save(target)
    return LedgerResult(target, total, [SUMMARY_SHEET, *names])
