"""Reading back a 工作台账 a unit filled in (see :mod:`.ledger_layout` for the layout).

Only what the file says is read here, with no database: each task row's id, unit,
status, deadline and note, next to the values the row had when exported (hidden columns).
A row is then "changed" when the unit edited one of those three. Everything wrong with
the sheet itself (an unknown status word, an added row, a deleted row, an id that is
not a number) is a :class:`Problem` with its sheet and row number.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.config import DEFAULT_STATUS_LABELS, STATUS_CODES, Config
from tracker.ingest.formats.ledger_layout import (
    FORMAT_TAG,
    HEADER,
    META_SHEET,
    cell_text,
    parse_exported_key,
)
from tracker.ingest.model import IngestError

_NEEDED = ("编号", "单位", "状态", "截止日期", "进展情况", "导出时", "原进展情况")


@dataclass
class Problem:
    sheet: str
    row: int | None  # 1-based sheet row; None for a row that is missing
    message: str
    task_id: int | None = None

    def __str__(self) -> str:
        where = f"{self.sheet} 第 {self.row} 行" if self.row else self.sheet
        return f"{where}：{self.message}"


@dataclass
class LedgerRow:
    sheet: str
    row: int
    task_id: int
    unit: str
    version: int
    status: str
    status_was: str
    due: date | None
    due_was: date | None
    note: str
    note_was: str

    @property
    def changed(self) -> bool:
        return self.status != self.status_was or self.due != self.due_was or self.note != self.note_was


@dataclass
class LedgerFile:
    path: str
    unit: str | None  # the one unit the 台账 was exported for, if it was
    exported: str  # export date as written
    rows: list[LedgerRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def status_of(word: str, config: Config) -> str | None:
    raw = word.strip()
    if raw.lower() in STATUS_CODES:
        return raw.lower()
    for code, label in list(config.status_labels.items()) + list(DEFAULT_STATUS_LABELS.items()):
        if raw == label:
            return code
    return None


def _date_of(value, today: date) -> date | None | str:
    """A cell's date, None when empty, or the text that is not a date."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    from tracker.dates import DateParseError, parse_user_date

    try:
        return parse_user_date(text, today)
    except (DateParseError, ValueError):
        return text


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("#").isdigit():
        return int(value.strip().lstrip("#"))
    return None


def read_ledger(data: bytes, path: str, config: Config, today: date) -> LedgerFile:
    """Read a returned 台账, or raise the one-line :class:`IngestError` naming the file."""
    from tracker.ingest.formats.sniff import XLSX, sniff

    if sniff(data, path) != XLSX:
        raise IngestError(path, "不是 Excel (.xlsx) 文件；请交回导出的台账文件（不要另存为 .xls 或 .csv）")
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds on a damaged file
        raise IngestError(path, f"Excel 文件已损坏或已加密，无法打开（{type(exc).__name__}）") from None
    try:
        return _read(workbook, path, config, today)
    finally:
        workbook.close()


def _read(workbook, path: str, config: Config, today: date) -> LedgerFile:
    if META_SHEET not in workbook.sheetnames:
        raise IngestError(path, "不是 tracker 导出的台账（缺少台账信息表）；请用 tracker export -o 台账.xlsx 导出后再下发")
    meta_rows = list(workbook[META_SHEET].iter_rows(values_only=True))
    meta = {str(r[0]): r[1:] for r in meta_rows if r and r[0] and r[0] != "任务"}
    if (meta.get("格式") or [None])[0] != FORMAT_TAG:
        raise IngestError(path, "台账格式版本不符，请重新导出台账")
    expected: dict[str, list[int]] = {}
    for r in meta_rows:
        if r and r[0] == "任务" and len(r) >= 3 and r[1]:
            expected.setdefault(str(r[1]), []).extend(int(x) for x in str(r[2] or "").split(",") if x.strip().isdigit())
    unit = (meta.get("单位") or [None])[0]
    ledger = LedgerFile(path, str(unit) if unit else None, str((meta.get("导出日期") or [""])[0] or ""))
    for sheet_name, ids in expected.items():
        if sheet_name not in workbook.sheetnames:
            ledger.problems.append(Problem(sheet_name, None, f"工作表已被删除或改名（应有 {len(ids)} 项任务）"))
            continue
        _read_sheet(workbook[sheet_name], sheet_name, set(ids), ids, ledger, config, today)
    return ledger


def _read_sheet(sheet, name: str, allowed: set[int], order: list[int], ledger: LedgerFile, config: Config,
                today: date) -> None:
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    col = {title: k for k, title in enumerate(header) if title}
    missing = [t for t in _NEEDED if t not in col]
    if missing:
        ledger.problems.append(Problem(name, 1, f"表头缺少列：{'、'.join(missing)}（请勿删改表头和隐藏列）"))
        return
    seen: set[int] = set()
    labels = "、".join(config.status_label(c) for c in config.status_labels)
    for number, values in enumerate(rows, start=2):
        values = list(values) + [None] * (len(HEADER) - len(values))

        def get(title: str, values: list = values):
            k = col[title]
            return values[k] if k < len(values) else None

        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        task_id = _int(get("编号"))
        if task_id is None:
            ledger.problems.append(Problem(name, number, "新增的行（没有任务编号），台账只能填写已有任务"))
            continue
        if task_id not in allowed:
            ledger.problems.append(Problem(name, number, f"任务 {task_id} 不是本表导出的任务（新增或从别处复制的行）", task_id))
            continue
        if task_id in seen:
            ledger.problems.append(Problem(name, number, f"任务 {task_id} 出现了两次", task_id))
            continue
        seen.add(task_id)
        word = cell_text(str(get("状态") or "")).strip()
        status = status_of(word, config)
        if status is None:
            ledger.problems.append(Problem(name, number, f"未知状态“{word}”（可用：{labels}）", task_id))
            continue
        due = _date_of(get("截止日期"), today)
        if isinstance(due, str):
            ledger.problems.append(Problem(name, number, f"截止日期“{due}”不是日期", task_id))
            continue
        exported = parse_exported_key(str(get("导出时") or ""))
        due_was = _date_of(exported[2], today) if exported else None
        if exported is None or exported[1] not in STATUS_CODES or isinstance(due_was, str):
            ledger.problems.append(Problem(name, number, "隐藏列被改动，无法判断改了什么；请在导出的原表上填写", task_id))
            continue
        version, status_was = exported[0], exported[1]
        ledger.rows.append(LedgerRow(
            sheet=name, row=number, task_id=task_id, unit=cell_text(str(get("单位") or "")).strip(),
            version=version, status=status, status_was=status_was, due=due, due_was=due_was,
            note=cell_text(str(get("进展情况") or "")).strip(), note_was=cell_text(str(get("原进展情况") or "")).strip(),
        ))
    for task_id in order:
        if task_id not in seen and not any(p.task_id == task_id and p.sheet == name for p in ledger.problems):
            ledger.problems.append(Problem(name, None, f"任务 {task_id} 的行已被删除", task_id))
