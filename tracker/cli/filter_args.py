"""The filter options (``--unit``, ``--kind``, ``--status``, ``--doc`` …) turned into the one TaskFilter.

Apart from :mod:`tracker.cli.args`: the write commands read ids, statuses and dates, never a filter."""

from __future__ import annotations

import argparse
import re
from typing import Any

from tracker.cli.args import (
    doc_id,
    nonnegative,
    normalise_code,
    parse_task_id,
    status_code,
)
from tracker.cli.context import Ctx
from tracker.cli.errors import UsageError
from tracker.config import ROLE_LABELS, UNIT_KINDS, Config
from tracker.store.filters import KIND_ALIASES, OPEN_STATUSES, TaskFilter

# what separates the items of a list besides white space: commas, 、 and semicolons, half- or full-width
_SEPARATORS = str.maketrans(dict.fromkeys(",，、;；", " "))

def split_list(values: str | list[str] | None) -> list[str]:
    if not values:
        return []
    if isinstance(values, str):
        values = [values]
    out: list[str] = []
    for v in values:
        out.extend(v.translate(_SEPARATORS).split())
    return out

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

def chapter_code(text: str | None) -> str | None:
    if not text:
        return None
    raw = text.strip().rstrip("、.．")
    raw = re.sub(r"^第", "", raw)
    raw = re.sub(r"(部分|章|节)$", "", raw)
    return raw or None

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
