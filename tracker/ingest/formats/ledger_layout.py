"""The 工作台账 workbook's layout, shared by its writer (:mod:`tracker.report.ledger_xlsx`)
and its reader (:mod:`tracker.ingest.formats.ledger`).

One sheet per unit kind (部门 · 街镇 · 集合 · 企业) plus 汇总. Visible columns are what a unit
reads and fills in (状态, 进展情况, and 截止日期 where the coordinator allows it); hidden
columns after them keep what the task was when exported (its version and the three
editable values), so a returned sheet tells what the unit changed and whether the task
moved on in the meantime. A very hidden sheet lists the task ids each sheet was given, so
a deleted row is noticed.
"""

from __future__ import annotations

import re

FORMAT_TAG = "tracker-台账-2"
META_SHEET = "_台账信息"
SUMMARY_SHEET = "汇总"

# (title, width in characters)
VISIBLE = [
    ("编号", 7), ("文件", 22), ("措施编号", 10), ("措施", 48), ("单位", 16), ("角色", 6),
    ("状态", 9), ("截止日期", 12), ("逾期天数", 9), ("进展情况", 40), ("更新时间", 17),
]
# 导出时: "<version>|<status code>|<ISO deadline or empty>" in one cell (a cell less per row
# matters at 100k rows); 原进展情况: the note as exported.
HIDDEN = ["导出时", "原进展情况"]
HEADER = [title for title, _ in VISIBLE] + HIDDEN
COL = {title: k for k, title in enumerate(HEADER)}  # 0-based

# Characters XML 1.0 (and so Excel) cannot hold; everything else, newlines included, is kept.
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def cell_text(value: str | None) -> str:
    """Text as the workbook can store it (the writer stores, the reader compares, this)."""
    if not value:
        return ""
    return _ILLEGAL.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))


def exported_key(version: int, status: str, due_iso: str | None) -> str:
    return f"{version}|{status}|{due_iso or ''}"


def parse_exported_key(text: str) -> tuple[int, str, str] | None:
    parts = text.split("|")
    if len(parts) != 3 or not parts[0].isdigit():
        return None
    return int(parts[0]), parts[1], parts[2]
