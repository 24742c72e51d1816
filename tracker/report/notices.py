"""催报通知: one notice per unit, ready to send — markdown and an Excel sheet with the same content.

A notice names the unit, the reporting period and its report day, and lists the unit's open tasks not
reported this period with their deadlines, when the unit last reported on each and its latest progress.
File names are built from the unit's name made safe for any file system (see :func:`safe_file_name`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS, Config
from tracker.cycle import Period
from tracker.dates import local_day
from tracker.ingest.formats.ledger_layout import cell_text
from tracker.labels import late_text
from tracker.report.markdown import md_escape, md_table
from tracker.store.periods_sql import Reminders, UnitReminder

NOTICE_TITLE = "催报通知"
HEADERS = ["编号", "措施", "角色", "状态", "截止", "逾期/剩余", "报送情况", "最近报送", "最新进展"]
OVERDUE_WORD = "逾期未报"
UNREPORTED_WORD = "未报送"

# characters no file system (or Windows) accepts in a name, and control characters
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\u2028\u2029]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME_CHARS = 60  # well under the 255-byte limit of common file systems, in UTF-8 (3 bytes a CJK character)


@dataclass(frozen=True)
class NoticeFiles:
    unit: str
    markdown: Path
    xlsx: Path


def safe_file_name(name: str) -> str:
    """``name`` as one file-name component on Linux, macOS and Windows: separators, wildcards, quotes and
    control characters become ``_``; no leading dot or trailing dot/space; not a reserved device name;
    at most :data:`MAX_NAME_CHARS` characters. Never empty."""
    text = unicodedata.normalize("NFC", name or "")
    text = _UNSAFE.sub("_", text).strip().strip(".").strip()
    text = re.sub(r"\s+", " ", text)[:MAX_NAME_CHARS].rstrip(" .")
    if not text:
        text = "单位"
    if text.split(".")[0].upper() in _WINDOWS_RESERVED:
        text = "_" + text
    return text




def _last(task_id: int, unit: UnitReminder) -> str:
    at = unit.last_reported.get(task_id)
    return local_day(at).isoformat() if at else "从未报送"


def _due(value: date | None) -> str:
    return value.isoformat() if value else "未定"


def _cn_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def notice_rows(unit: UnitReminder, today: date, config: Config) -> list[list[str]]:
    late = {t.id for t in unit.overdue}
    return [
        [str(t.id), f"{t.measure_code} {t.measure_title}".strip(), ROLE_LABELS.get(t.role, t.role),
         config.status_label(t.status), _due(t.due), late_text(t.due, t.status, today),
         OVERDUE_WORD if t.id in late else UNREPORTED_WORD,
         _last(t.id, unit), t.note or "—"]
        for t in unit.unreported
    ]


def notice_lines(unit: UnitReminder, period: Period, today: date) -> list[str]:
    """The notice's opening paragraphs (plain text; the markdown escapes them)."""
    due = max((unit.report_due.get(t.id, period.report_due) for t in unit.unreported), default=period.report_due)
    kind = UNIT_KIND_LABELS.get(unit.kind, unit.kind)
    lines = [
        f"{unit.unit}（{kind}）：",
        (f"报告期：{period.label}（{period.start.isoformat()} 至 {period.end.isoformat()}），"
         f"报送截止：{_cn_date(due)}。"),
    ]
    if unit.overdue:
        lines.append(f"截至{_cn_date(today)}，贵单位有 {len(unit.unreported)} 项任务本期尚未报送进展，"
                     f"其中 {len(unit.overdue)} 项已超过报送截止日期，请尽快报送。")
    else:
        lines.append(f"截至{_cn_date(today)}，贵单位有 {len(unit.unreported)} 项任务本期尚未报送进展，"
                     f"请于{_cn_date(due)}前报送。")
    last = unit.last_report.isoformat() if unit.last_report else "从未报送"
    lines.append(f"贵单位最近一次报送：{last}。")
    return lines


def render_notice(unit: UnitReminder, period: Period, today: date, config: Config) -> str:
    out = [f"# {NOTICE_TITLE}", ""]
    for line in notice_lines(unit, period, today):
        out += [md_escape(line), ""]
    out.append(md_table(HEADERS, notice_rows(unit, today, config), ["r", "l", "l", "l", "l", "r", "l", "l", "l"]))
    out += ["", md_escape(f"{_cn_date(today)}"), ""]
    return "\n".join(out)


def write_notice_xlsx(unit: UnitReminder, period: Period, today: date, config: Config, path: Path) -> None:
    """The notice as one sheet (write-only: a unit with thousands of tasks stays quick)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(NOTICE_TITLE)
    for letter, width in zip("ABCDEFGHI", (8, 40, 6, 8, 12, 12, 10, 12, 50), strict=True):
        sheet.column_dimensions[letter].width = width
    title, bold, wrap = Font(bold=True, size=14), Font(bold=True), Alignment(wrap_text=True, vertical="top")
    styles: dict[str, object] = {}

    def cell(value: str, font: Font | None = None, alignment: Alignment | None = None) -> WriteOnlyCell:
        """Stored text as a cell that stays text (a leading ``=`` is never a formula); styles shared."""
        made = WriteOnlyCell(sheet, value=cell_text(value))
        made.data_type = "s"
        key = f"{id(font)}-{id(alignment)}"
        if key not in styles:
            if font is not None:
                made.font = font
            if alignment is not None:
                made.alignment = alignment
            styles[key] = made._style
        made._style = styles[key]  # type: ignore[assignment]
        return made

    sheet.append([cell(NOTICE_TITLE, title)])
    for line in notice_lines(unit, period, today):
        sheet.append([cell(line)])
    sheet.append([])
    sheet.append([cell(h, bold) for h in HEADERS])
    long_text = {HEADERS.index("措施"), HEADERS.index("最新进展")}
    for row in notice_rows(unit, today, config):
        # plain strings where nothing is needed (openpyxl writes them several times faster than cells)
        sheet.append([cell(v, None, wrap) if i in long_text or v.startswith("=") else cell_text(v)
                      for i, v in enumerate(row)])
    workbook.save(str(path))


def write_notices(reminders: Reminders, config: Config, directory: str | Path) -> list[NoticeFiles]:
    """One markdown and one .xlsx notice per unit in ``directory`` (created if missing). Names:
    ``催报通知-<period>-<unit>.md``; two units whose names are made the same get their id appended."""
    target = Path(directory)
    target.mkdir(parents=True, exist_ok=True)
    written: list[NoticeFiles] = []
    used: set[str] = set()
    for unit in reminders.units:
        unit_period = _unit_period(unit, reminders)
        stem = f"{NOTICE_TITLE}-{safe_file_name(unit_period.key)}-{safe_file_name(unit.unit)}"
        if stem.casefold() in used:
            stem = f"{stem}-{unit.unit_id}"
        used.add(stem.casefold())
        md_path, xlsx_path = target / f"{stem}.md", target / f"{stem}.xlsx"
        md_path.write_text(render_notice(unit, unit_period, reminders.today, config), encoding="utf-8")
        write_notice_xlsx(unit, unit_period, reminders.today, config, xlsx_path)
        written.append(NoticeFiles(unit.unit, md_path, xlsx_path))
    return written


def _unit_period(unit: UnitReminder, reminders: Reminders) -> Period:
    """The period the unit's tasks follow (its first task's document; every listed task has one)."""
    found = reminders.periods.get(unit.unreported[0].document_id) if unit.unreported else None
    found = found or reminders.period
    assert found is not None
    return found
