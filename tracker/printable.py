"""Text from documents, notes and unit names made safe for a terminal.

Anything stored may hold control characters (a note typed as ``$'\\x1b[2J…'``, a unit name pasted from
a web page). Written raw they would clear the screen, retitle the window or hide text. Every terminal
output goes through :func:`printable`: C0/C1 controls, DEL and the bidi overrides become visible escapes.
"""

from __future__ import annotations

import re

# C0 controls (but tab/newline, handled by the caller's choice), DEL, C1 controls, bidi embedding/override/isolate.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile(r"\s*(?:\r\n|\r|\n|\u2028|\u2029)\s*")
# Anything either pass above would touch (tab and newline included): most text has none and is returned as is,
# which keeps long listings (every cell of 100k rows) cheap.
_NEEDS_WORK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object, *, multiline: bool = False) -> str:
    """``value`` as text with no control sequence left; ``multiline`` keeps line breaks (else one line)."""
    text = "" if value is None else str(value)
    if not _NEEDS_WORK.search(text):
        return text
    if not multiline:
        text = _LINE_BREAKS.sub(" ", text)
    else:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", " ")
    return _CONTROLS.sub(_escape, text)
