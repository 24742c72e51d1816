"""Turning what was typed into ids, statuses, units and dates (the filter options: :mod:`tracker.cli.filter_args`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.cli.context import q
from tracker.cli.errors import UsageError
from tracker.config import DEFAULT_STATUS_LABELS, STATUS_CODES, Config
from tracker.dates import parse_user_date

# Ids are SQL integers: anything larger cannot name a row (and would overflow the driver).
MAX_ID = 2**63 - 1


def unit_arguments(values: list[str]) -> list[str]:
    """Unit names as given to ``assign``: one per argument, or several joined by 、 (as a 责任单位 clause
    lists them). Spaces, commas and semicolons belong to the name: a unit is never split on them."""
    out: list[str] = []
    for value in values:
        for part in value.split("、"):
            name = part.strip()
            if name and name not in out:
                out.append(name)
    return out


def parse_task_id(text: str, what: str = "任务") -> int:
    raw = text.strip().lstrip("#＃")
    # isdecimal, not isdigit: "²" is a digit that int() refuses
    if not raw.isdecimal() or int(raw) <= 0:
        raise UsageError(f"不是{what}编号：{text!r}（应为数字，如 12 或 #12）")
    value = int(raw)
    if value > MAX_ID:
        raise UsageError(f"找不到{what} {text.strip()}（编号过大）")
    return value

def status_code(text: str, config: Config) -> str:
    raw = text.strip()
    if raw.lower() in STATUS_CODES:
        return raw.lower()
    for code, label in list(config.status_labels.items()) + list(DEFAULT_STATUS_LABELS.items()):
        if raw == label:
            return code
    known = "、".join(f"{c}/{config.status_label(c)}" for c in STATUS_CODES)
    raise UsageError(f"未知状态 {text!r}（可用：{known}）")

def normalise_code(code: str) -> str:
    return code.strip().replace("(", "（").replace(")", "）").replace(" ", "").replace("\u3000", "")

def doc_id(text: str | None, conn: Any | None = None) -> int | None:
    if text is None:
        return None
    raw = str(text).strip().lstrip("#＃")
    if not raw.isdecimal():
        raise UsageError(f"不是文件编号：{text!r}（见 tracker summary）")
    value = int(raw)
    if value > MAX_ID:
        raise UsageError(f"找不到文件 {value}（见 tracker summary）")
    if conn is not None:
        # here: the reads and their rows are not loaded by the write commands
        from tracker.store import sql

        if value not in sql.document_ids(conn):
            raise UsageError(f"找不到文件 {value}（见 tracker summary）")
    return value

# Day counts reach dates; a century either way is more than any deadline needs.
MAX_DAYS = 36_500


def nonnegative(value: int | None, option: str, maximum: int = MAX_DAYS) -> int | None:
    if value is not None and not 0 <= value <= maximum:
        raise UsageError(f"{option}：应为 0 到 {maximum} 之间的整数，实际为 {value}")
    return value

def user_date(text: str, today: date, *, allow_none: bool = False) -> date | None:
    if allow_none and text.strip().lower() in ("none", "无", "-", "clear"):
        return None
    return parse_user_date(text, today)

def resolve_measure(conn: Any, text: str, document: str | None) -> q.MeasureRow:
    found = q.find_measures(conn, normalise_code(text), doc_id(document, conn))
    if not found:
        raise UsageError(f"找不到措施 {text!r}（见 tracker list --unassigned 或 tracker export）")
    if len(found) > 1:
        listed = "；".join(f"#{m.id} {m.code}（文件 {m.document_id} {m.document_title}）" for m in found[:6])
        raise UsageError(f"措施 {text!r} 出现在多个文件中，请加 --doc 文件编号：{listed}")
    return found[0]
