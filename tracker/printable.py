"""Text from documents, notes and unit names made safe for a terminal.

Anything stored may hold control characters (a note typed as ``$'\\x1b[2J…'``, a unit name pasted from
a web page). Written raw they would clear the screen, retitle the window or hide text. Every terminal
output goes through :func:`printable`: C0/C1 controls, DEL and the bidi overrides become visible escapes.
"""

from __future__ import annotations

import re

# The patterns are compiled on first use (re caches them): most commands print only printable text.
# C0 controls (but tab/newline, handled by the caller's choice), DEL, C1 controls, bidi embedding/override/isolate.
_CONTROLS = r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
_LINE_BREAKS = r"\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*"
# Anything either pass above would touch (tab and newline included). None of it is printable in the sense of
# str.isprintable (controls, line and paragraph separators, format characters), so printable text (most text:
# every cell of a long listing) is returned as is without any pattern.
_NEEDS_WORK = r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, *, multiline: bool = False) -> str:
    """``value`` as text with no control sequence left; ``multiline`` keeps line breaks (else one line)."""
    text = "" if value is None else str(value)
    if text.isprintable() or not re.search(_NEEDS_WORK, text):
        return text
    if not multiline:
        text = re.sub(_LINE_BREAKS, " ", text)
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", " ")
    return re.sub(_CONTROLS, _escape, text)
