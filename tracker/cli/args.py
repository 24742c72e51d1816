"""Turning what was typed into ids, statuses, units, dates and the one TaskFilter."""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import Any

from tracker.cli.context import Ctx, q
from tracker.cli.errors import UsageError
from tracker.config import (
    DEFAULT_STATUS_LABELS,
    ROLE_LABELS,
    STATUS_CODES,
    UNIT_KINDS,
    Config,
)
from tracker.dates import parse_user_date
from tracker.store.filters import KIND_ALIASES, OPEN_STATUSES, TaskFilter

_SPLIT = r"[,，、;；\s]+"  # compiled on first use (re caches it), not at every start

def split_list(values: str | list[str] | None) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        out.extend(p for p in re.split(_SPLIT, v) if p)
    return out

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

def resolve_units(names: list[str], config: Config, conn: Any) -> tuple[str, ...]:
    """Unit names as typed → stored names. Groups (各街镇) expand; aliases apply; a unique partial name is accepted."""
    from tracker.store import sql

    known = sql.unit_names(conn)
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

def build_filter(args: argparse.Namespace, ctx: Ctx, conn: Any) -> TaskFilter:
    """The one TaskFilter from the command-line filter options."""
    measure = getattr(args, "measure", None)
    measure_code: str | None = None
    measure_id: int | None = None
    if measure:
        raw = measure.strip().lstrip("#＃")
        if raw.isdecimal():
            measure_id = parse_task_id(raw, "措施")
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
    data = flt._asdict()
    data.pop("task_ids", None)
    for key, value in data.items():
        if isinstance(value, tuple):
            data[key] = list(value)
    data["description"] = flt.describe(config.status_labels)
    return data

def resolve_measure(conn: Any, text: str, document: str | None) -> q.MeasureRow:
    found = q.find_measures(conn, normalise_code(text), doc_id(document, conn))
    if not found:
        raise UsageError(f"找不到措施 {text!r}（见 tracker list --unassigned 或 tracker export）")
    if len(found) > 1:
        listed = "；".join(f"#{m.id} {m.code}（文件 {m.document_id} {m.document_title}）" for m in found[:6])
        raise UsageError(f"措施 {text!r} 出现在多个文件中，请加 --doc 文件编号：{listed}")
    return found[0]
