"""Lists typed in one option (``--unit 甲,乙``, ``--status 未启动、推进中``): split as the pattern the command line
used to split them with, without compiling it on every command that filters."""

from __future__ import annotations

import re
import sys

import pytest

from tests.fresh_interpreter import patterns_compiled
from tracker.cli.filter_args import split_list

_PATTERN = r"[,，、;；\s]+"  # what lists were split on: the reference


def _by_pattern(values: list[str]) -> list[str]:
    return [p for v in values for p in re.split(_PATTERN, v) if p]


@pytest.mark.parametrize("values", [
    "区人力资源社会保障局", "夏阳街道,盈浦街道", "夏阳街道，盈浦街道、 朱家角镇;;练塘镇；金泽镇",
    " ,前后有分隔符， ", "全角\u3000空格\t制表\n换行", ["甲,乙", "丙 丁", ""], "", [], None,
])
def test_lists_split_as_the_pattern_splits_them(values):
    given = [values] if isinstance(values, str) else list(values or [])
    assert split_list(values) == _by_pattern(given)


def test_every_character_separates_exactly_when_the_pattern_says_so():
    wrong = [hex(c) for c in range(sys.maxunicode + 1)
             if split_list(f"甲{chr(c)}乙") != _by_pattern([f"甲{chr(c)}乙"])]
    assert wrong == []


def test_splitting_compiles_no_pattern():
    code = (
        "from tracker.cli.filter_args import split_list\n"
        "compiled.clear()  # what importing the command line compiles is not the question here\n"
        "assert split_list('夏阳街道，盈浦街道') == ['夏阳街道', '盈浦街道']\n"
    )
    assert patterns_compiled(code) == "[]"
