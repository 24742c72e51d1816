"""Cell-width helpers: CJK characters take two terminal cells; never wrap, truncate with an ellipsis."""

from __future__ import annotations

from datetime import date, datetime

from rich.cells import cell_len, get_character_cell_size

from tracker.dates import CLOSED_STATUSES
from tracker.labels import late_text

ELLIPSIS = "…"


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` made exactly ``width`` cells wide: padded, or cut with an ellipsis."""
    if width <= 0:
        return ""
    cut = truncate(text, width)
    pad = width - cell_len(cut)
    if align == "right":
        return " " * pad + cut
    if align == "center":
        left = pad // 2
        return " " * left + cut + " " * (pad - left)
    return cut + " " * pad


def truncate(text: str, width: int) -> str:
    """Cut ``text`` to at most ``width`` cells (ellipsis when cut), without padding.

    Line breaks and tabs become single spaces so a cell never wraps; other spacing is kept
    (labels padded on purpose stay aligned). A wide character is never split.
    """
    if "\n" in text or "\r" in text or "\t" in text:
        text = " ".join(text.split())
    if width <= 0:
        return ""
    if cell_len(text) <= width:
        return text
    used = 0
    for i, char in enumerate(text):
        size = get_character_cell_size(char)
        if used + size > width - 1:
            return text[:i] + ELLIPSIS
        used += size
    return text


def late_phrase(due: date | None, status: str, today: date) -> str:
    """``逾期 N 天`` / ``剩 N 天`` / ``今天到期`` / ``—`` (closed) / ``无期限`` (open, no deadline)."""
    if due is None and status not in CLOSED_STATUSES:
        return "无期限"
    return late_text(due, status, today)


def ago_phrase(when: datetime | None, today: date) -> str:
    """How long ago, in days relative to the app's "today": ``今天``, ``3天前``, or the date."""
    if when is None:
        return ""
    days = (today - when.date()).days
    if days < 0:  # after "today" (a "today" set in the past): the plain date, never "今天"
        return when.strftime("%Y-%m-%d")
    if days == 0:
        return "今天"
    if days == 1:
        return "昨天"
    if days < 100:
        return f"{days}天前"
    return when.strftime("%Y-%m-%d")
