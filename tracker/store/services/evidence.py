"""佐证材料 rows: a path or URL with a caption, attached to one event of a task. The reference is kept
as given (tracker never copies the file); used inside the task writes' and the cycle's transactions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from tracker.store import writes as w
from tracker.store.services.errors import ServiceError

MAX_REF = 2000  # a path or URL longer than this is a paste gone wrong, not a reference


def evidence_pairs(evidence: Iterable[Any]) -> list[tuple[str, str]]:
    """``(ref, caption)`` pairs from tuples, bare strings or objects with ``ref``/``caption``;
    an empty reference is refused."""
    out: list[tuple[str, str]] = []
    for item in evidence:
        if isinstance(item, str):
            ref, caption = item, ""
        elif isinstance(item, tuple | list):
            ref, caption = (item[0], item[1] if len(item) > 1 else "")
        else:
            ref, caption = item.ref, getattr(item, "caption", "")
        ref, caption = str(ref).strip(), str(caption or "").strip()
        if not ref:
            raise ServiceError("佐证材料的路径或网址为空")
        if len(ref) > MAX_REF:
            raise ServiceError(f"佐证材料的路径或网址过长（{len(ref)} 个字符，最多 {MAX_REF}）")
        out.append((ref, caption))
    return out


def attach_evidence(conn: Any, task_id: int, event_id: int | None, pairs: Sequence[tuple[str, str]], *,
                    by: str, at: datetime) -> list[int]:
    """Evidence rows for an event just written, inside the caller's transaction."""
    return [
        w.insert(conn, "evidence", {"task_id": task_id, "event_id": event_id, "ref": ref, "caption": caption,
                                    "added_at": w.stamp(conn, at), "added_by": by})
        for ref, caption in pairs
    ]
