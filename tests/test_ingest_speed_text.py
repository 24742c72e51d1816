"""Line cleaning skips the steps whose characters a line lacks: same text as running every step.

``_clean_inline`` runs on every line of a file; each of its steps now runs only where its
characters occur (a full-width digit, a ``*`` or ``_``, a space). The reference below is the
cleaning with every step run; both must agree on lines mixing every kind of debris.
"""

from __future__ import annotations

import html
import random
import re

from tracker.ingest.text import _FULLWIDTH_DIGITS, _MD_LINK, _SPACES, _clean_inline, raw_paragraphs

_BLANKS = " \t\n\r\f\v\u3000\u00a0"


def clean_every_step(text: str) -> str:
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    text = text.translate(_FULLWIDTH_DIGITS)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"(?<!\w)\*(?=\S)|(?<=\S)\*(?!\w)", "", text)
    text = html.unescape(text) if "&" in text else text
    text = text.strip(_BLANKS)
    text = _SPACES.sub(" ", text)
    text = re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)
    return text


PIECES = [
    "推进改革", "２０２３年６月底前", "**重点任务**", "__下划线__", "a*b", "*注", "注*", " * ", "_x_", "区人 力资源",
    "A B", "区 A", "&amp;", "&#65296;", "&nbsp;", "[链接](http://x.cn)", "![图](a.png)", "\u3000", "\u00a0", "\t",
    "  ", "（责任单位：区财政局、各街镇）", "不少于 1100 人", "１", "９月", "＊", "*", "_", "。", "2023", "ＡＢ",
]


def test_skipped_steps_change_no_line():
    rng = random.Random(13)
    lines = list(PIECES) + ["".join(rng.choice(PIECES) for _ in range(rng.randint(2, 7))) for _ in range(3000)]
    for line in lines:
        assert _clean_inline(line) == clean_every_step(line), repr(line)


def test_quote_marks_and_debris_removed_from_paragraphs():
    body = "> （一）做好**工作**。\n>> 区人 力资源社会保障局，２０２３年底前\n>\n"
    texts = [p.text for p in raw_paragraphs(body, 1, False)]
    assert texts == ["（一）做好工作。", "> 区人力资源社会保障局，2023年底前"]
