"""Chinese wording shared by the command line, the reports and the app.

Fitting text to terminal cells is :mod:`tracker.cell_width` (it loads Rich's character widths, which JSON,
the reports and the write commands never need); ``fit``, ``truncate`` and ``ELLIPSIS`` are still reachable
from here, loaded when first asked for."""

from __future__ import annotations

from datetime import date
from typing import Any

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


def __getattr__(name: str) -> Any:
    if name in ("ELLIPSIS", "fit", "truncate"):
        from tracker import cell_width

        return getattr(cell_width, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
