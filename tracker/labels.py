"""Chinese wording and CJK-aware cell fitting shared by the command line, the reports and the app."""

from __future__ import annotations

from datetime import date

from rich.cells import cell_len, get_character_cell_size

from tracker.dates import CLOSED_STATUSES

COMPARATOR_SYMBOLS = {">=": "≥", ">": "＞", "<=": "≤", "<": "＜", "=": "＝"}


def late_text(due: date | None, status: str, today: date) -> str:
    """逾期/剩余: ``逾期 5 天``, ``今天到期``, ``剩 10 天``; closed or no deadline: ``—``."""
    if due is None or status in CLOSED_STATUSES:
        return "—"
    days = (today - due).days
    if days > 0:
        return f"逾期 {days} 天"
    if days == 0:
        return "今天到期"
    return f"剩 {-days} 天"


def format_amount(value: float | None) -> str:
    """A target figure in the way documents write it: 8e9 → ``80亿``, 400000 → ``40万``, 910 → ``910``."""
    if value is None:
        return ""
    if value >= 1e8 and (value / 1e8).is_integer():
        return f"{int(value / 1e8)}亿"
    if value >= 1e4 and (value / 1e4) == round(value / 1e4, 2):
        w = value / 1e4
        return f"{int(w) if w.is_integer() else w:g}万"
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def target_text(comparator: str, value: float, uom: str) -> str:
    """``≥ 40万人``."""
    return f"{COMPARATOR_SYMBOLS.get(comparator, comparator)} {format_amount(value)}{uom}"


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
