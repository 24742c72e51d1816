"""printable(): control sequences made visible, everything else untouched; and no pattern compiled for text
that needs none (it is on every command's path)."""

from __future__ import annotations

import re
import sys

import pytest

from tests.fresh_interpreter import patterns_compiled
from tracker import printable as module
from tracker.printable import printable


@pytest.mark.parametrize(("value", "expected"), [
    ("区人力资源社会保障局", "区人力资源社会保障局"),
    ("全角\u3000空格 与\xa0不换行空格", "全角\u3000空格 与\xa0不换行空格"),
    ("清屏\x1b[2J之后", "清屏\\x1b[2J之后"),
    ("第一行\n  第二行\r\n第三行", "第一行 第二行 第三行"),
    ("段落\u2029分隔", "段落 分隔"),
    ("制表\t符", "制表 符"),
    ("反向\u202e文字\u2066隔离", "反向\\u202e文字\\u2066隔离"),
    ("删除\x7f与\x85", "删除\\x7f与\\x85"),
    ("C1\x9b31m", "C1\\x9b31m"),
    (None, ""),
    (12, "12"),
])
def test_one_line(value, expected):
    assert printable(value) == expected


def test_multiline_keeps_line_breaks_and_escapes_the_rest():
    assert printable("甲\r\n乙\r丙\n\x1b]0;标题\x07", multiline=True) == "甲\n乙\n丙\n\\x1b]0;标题\\x07"


def test_no_printable_character_is_one_the_escaping_touches():
    """The shortcut (str.isprintable: nothing to do) is sound: every character the escaping would touch is
    one isprintable rejects, over the whole of Unicode."""
    touched = re.compile(module._NEEDS_WORK)
    wrong = [hex(c) for c in range(sys.maxunicode + 1) if chr(c).isprintable() and touched.match(chr(c))]
    assert wrong == []


def test_importing_and_printing_plain_text_compiles_no_pattern():
    code = (
        "from tracker.printable import printable\n"
        "assert printable('区人力资源社会保障局 推进中 2022-12-31') == '区人力资源社会保障局 推进中 2022-12-31'\n"
    )
    assert patterns_compiled(code) == "[]"
