"""A task's record as the detail screen shows it: the history, its 佐证材料 and its 延期申请, in words."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from tracker.config import ROLE_LABELS
from tracker.store.cycle_reads import EvidenceRow, ExtensionRow
from tracker.store.detail_rows import readable_history
from tracker.store.queries import EventRow

FIELD_LABELS = {"status": "状态", "due": "截止日期", "note": "进展", "role": "角色", "assign": "分配", "unassign": "取消分配",
                "import": "导入", "extend": "延期申请", "extend_decision": "延期审批", "verify": "销号",
                "evidence": "佐证材料"}
DECISIONS = {"approved": "同意", "rejected": "驳回", "pending": "待审批"}
REQUEST_STATES = {"approved": "已同意", "rejected": "已驳回", "pending": "待审批"}


def _when(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M")


def history_text(events: list[EventRow], status_labels: dict[str, str]) -> Text:
    """Newest first: when, who, what changed (old → new) and the note that came with it."""
    if not events:
        return Text("（无）", style="dim")
    text = Text()
    for ev in reversed(readable_history(events)):
        text.append(f"{_when(ev.at)}  ", style="dim")
        text.append(f"{ev.by or '—'}  ", style="bold")
        field = FIELD_LABELS.get(ev.field, ev.field)
        quoted = ev.note
        if ev.field in ("status", "verify"):
            old = status_labels.get(ev.old or "", ev.old or "—")
            new = status_labels.get(ev.new or "", ev.new or "—")
            if ev.field == "verify":
                field += "通过" if ev.new == "done" else "退回"
            text.append(f"{field} {old} → {new}")
        elif ev.field in ("due", "extend"):
            verb = "申请截止日期" if ev.field == "extend" else field
            text.append(f"{verb} {ev.old or '无'} → {ev.new or '无'}")
        elif ev.field == "extend_decision":
            text.append(f"{field}：{DECISIONS.get(ev.new or '', ev.new or '—')}")
        elif ev.field == "role":
            text.append(f"{field} {ROLE_LABELS.get(ev.old or '', ev.old or '—')} → {ROLE_LABELS.get(ev.new or '', ev.new or '—')}")
        elif ev.field == "assign":
            text.append(f"{field}给 {ev.new}")
        elif ev.field == "evidence":
            text.append(f"{field} {ev.new or ''}")
        else:
            text.append(field)
        if quoted:
            text.append(f"  “{quoted}”", style="italic")
        elif ev.field == "note" and ev.new:
            text.append(f"  “{ev.new}”", style="italic")
        text.append("\n")
    return text


def evidence_text(rows: list[EvidenceRow]) -> Text:
    """Each reference as given (tracker keeps paths and URLs, never the files), its caption, who and when."""
    if not rows:
        return Text("（无）", style="dim")
    text = Text()
    for ev in rows:
        text.append("• ")
        text.append(ev.ref, style="underline" if ev.is_url else "")
        if ev.caption:
            text.append(f"（{ev.caption}）")
        by = f"{ev.added_by} · " if ev.added_by else ""
        text.append(f"  {by}{_when(ev.added_at)}\n", style="dim")
    return text


def extensions_text(rows: list[ExtensionRow]) -> Text:
    """Every request on the task, oldest first: the date asked for, the reason, the decision."""
    if not rows:
        return Text("（无）", style="dim")
    text = Text()
    for r in rows:
        old = r.old_due.isoformat() if r.old_due else "无期限"
        text.append(f"• {r.requested_at.astimezone():%Y-%m-%d} {r.requested_by or '—'} 申请由 {old} 延至 "
                    f"{r.requested_due.isoformat()}")
        if r.reason:
            text.append(f"：{r.reason}")
        state = REQUEST_STATES.get(r.state, r.state)
        style = {"approved": "green", "rejected": "red", "pending": "bold yellow"}.get(r.state, "")
        text.append(f"  {state}", style=style)
        if r.decided_at is not None:
            text.append(f"（{r.decided_by or '—'} {r.decided_at.astimezone():%m-%d}", style="dim")
            text.append(f"：{r.decision_note}）" if r.decision_note else "）", style="dim")
        text.append("\n")
    return text
