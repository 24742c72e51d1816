"""Chinese running text wrapped by the line-breaking rule (禁则): no line starts with closing punctuation.

Terminals and Textual break CJK text at any character, so a wrapped line can start with
``，`` or ``。`` and a line can end with ``（`` or ``“``. :class:`Prose` wraps a rich ``Text`` at
the width it is given, moving a character down to the next line when the rule asks for it,
and keeps numbers and Latin words (``2022``, ``38.2``) whole where it can.
"""

from __future__ import annotations

from rich.cells import get_character_cell_size
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text

# may not start a line: closing brackets and quotes, sentence and clause punctuation, iteration marks
NO_LINE_START = frozenset(
    "，。、；：？！）」』》〉】〕〗］｝”’…‥·・～％‰—–-"
    ",.;:?!)]}>%"
    "々〻ー゛゜"
)
# may not end a line: opening brackets and quotes
NO_LINE_END = frozenset("（「『《〈【〔〖［｛“‘([{<")
WORD_BACKOFF = 12  # how far back a break may move to keep a number or Latin word whole


def _is_word(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "._/@")


def _bad_break(line: str, at: int, *, words: bool) -> bool:
    before, after = line[at - 1], line[at]
    if after in NO_LINE_START or before in NO_LINE_END:
        return True
    return words and _is_word(before) and _is_word(after)


def break_offsets(line: str, width: int) -> list[int]:
    """Where to break ``line`` (no newlines) so that each piece fits in ``width`` cells."""
    offsets: list[int] = []
    start, n = 0, len(line)
    width = max(1, width)
    while start < n:
        used, end = 0, start
        while end < n and used + get_character_cell_size(line[end]) <= width:
            used += get_character_cell_size(line[end])
            end += 1
        if end >= n:
            break
        end = max(end, start + 1)  # a character wider than the line still takes a line
        brk = end
        for words, reach in ((True, WORD_BACKOFF), (False, 3)):
            at = end
            while at > start + 1 and end - at < reach and _bad_break(line, at, words=words):
                at -= 1
            if not _bad_break(line, at, words=words):
                brk = at
                break
        offsets.append(brk)
        start = brk
    return offsets


def wrap_prose(text: Text, width: int) -> list[Text]:
    """``text`` as lines of at most ``width`` cells, broken by the rule; styles are kept."""
    lines: list[Text] = []
    for paragraph in text.split("\n", allow_blank=True):
        pieces = paragraph.divide(break_offsets(paragraph.plain, width)) if paragraph.plain else [paragraph]
        for i, piece in enumerate(pieces):
            if i and piece.plain.startswith(" "):  # a break at a space: the space goes with the break
                piece = piece[1:]
            lines.append(piece)
    return lines


class Prose:
    """A rich renderable: ``text`` wrapped by :func:`wrap_prose` at the width it is rendered in."""

    def __init__(self, text: Text | str) -> None:
        self.text = text if isinstance(text, Text) else Text(text)

    @property
    def plain(self) -> str:
        return self.text.plain

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        lines = wrap_prose(self.text, options.max_width)
        out = Text("\n").join(lines)
        out.no_wrap = True
        out.overflow = "crop"
        yield out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        longest = max((Text(p).cell_len for p in self.text.plain.split("\n")), default=0)
        return Measurement(min(1, longest), longest)
