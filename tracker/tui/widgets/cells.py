"""Cell-width helpers: CJK characters take two terminal cells; never wrap, truncate with an ellipsis."""

from __future__ import annotations

from datetime import date, datetime

from rich.cells import cell_len, get_character_cell_size

ELLIPSIS = "…"


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` made exactly ``width`` cells wide: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    text = truncate(text, width)
    pad = " " * (width - cell_len(text))
    return pad + text if align == "right" else text + pad


def _cut(text: str, width: int) -> str:
    """The longest prefix of ``text`` at most ``width`` cells wide (never splits a wide character)."""
    used = 0
    for i, char in enumerate(text):
        size = get_character_cell_size(char)
        if used + size > width:
            return text[:i]
        used += size
    return text


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` cells (ellipsis when cut), without padding."""
    text = " ".join(text.split())  # no newlines or tabs inside a cell
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    return _cut(text, width - 1) + ELLIPSIS


def late_phrase(due: date | None, status: str, today: date) -> str:
    """``逾期 N 天`` / ``剩 N 天`` / ``今天到期`` / ``—`` (closed) / ``无期限``."""
    if status in ("done", "dropped"):
        return "—"
    if due is None:
        return "无期限"
    days = (today - due).days
    if days > 0:
        return f"逾期 {days} 天"
    if days == 0:
        return "今天到期"
    return f"剩 {-days} 天"


def ago_phrase(when: datetime | None, today: date) -> str:
    """How long ago, in days relative to the app's "today": ``今天``, ``3天前``, or the date."""
    if when is None:
        return ""
    days = (today - when.date()).days
    if days <= 0:
        return "今天"
    if days == 1:
        return "昨天"
    if days < 100:
        return f"{days}天前"
    return when.strftime("%Y-%m-%d")
