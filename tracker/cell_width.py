"""Text fitted to terminal cells: CJK characters take two, a cell never wraps, long text is cut with an
ellipsis. Widths are Rich's (the terminal UI draws with Rich: tables line up the same everywhere)."""

from __future__ import annotations

from rich.cells import cell_len, get_character_cell_size

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
