"""Parsing grows linearly (or n log n) with the input, whatever its shape.

No wall-clock bound: each shape is parsed at n and 8n characters and the larger input may cost
at most 4× what linear growth predicts (32× the small one). A step that rescans the text per
match or backtracks over a run (the 30,000 spaces that once took 8.5 s) grows 64× and fails.
Figures for the record: ``python bench/bench_parse.py``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from tracker.config import Config
from tracker.ingest import parse_bytes

CFG = Config()
SMALL = 12_000  # characters; the large input is 8× this
ALLOWED = 8 * 4
SENTENCE = "深化重点领域改革，健全工作机制，加强部门协同，2023年底前完成试点不少于5个，形成可复制可推广的经验。"
PROSE = "此后继续推进各项改革工作，不断总结经验，形成长效机制。"
_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土"


def _units(count: int) -> str:
    return "、".join(f"区{_CHARS[i % len(_CHARS)]}{_CHARS[(i // len(_CHARS)) % len(_CHARS)]}{i // 900}局"
                    for i in range(count))


def _unit(k: int) -> str:
    return "区" + "".join(_CHARS[(k // len(_CHARS) ** d) % len(_CHARS)] for d in range(3)) + "局"


def _measures(n: int, clause: Callable[[int], str]) -> str:
    line = "（一）推进改革，2023年底前完成。（{}）\n"
    return "".join(line.format(clause(k)) for k in range(n // 40))


SHAPES: dict[str, Callable[[int], str]] = {
    "a run of spaces": lambda n: "（一）做好工作" + " " * n + "确保落实。（责任单位：区财政局）\n",
    "one long paragraph": lambda n: "（一）做好工作。" + SENTENCE * (n // len(SENTENCE)) + "（责任单位：区财政局）\n",
    "many clauses in a paragraph": lambda n: "（一）做好工作。" + "推进改革，加强保障。（区财政局负责）" * (n // 18) + "\n",
    "many lines in a paragraph": lambda n: "（一）做好工作，" + "推进改革，加强保障\n" * (n // 10) + "。（区财政局负责）\n",
    "a clause naming many units": lambda n: f"（一）做好工作。（责任单位：{_units(n // 7)}）\n",
    "closing labels naming many units": lambda n: f"（一）做好工作。牵头单位：区财政局；配合单位：{_units(n // 7)}。\n",
    "labels followed by prose": lambda n: "（一）做好工作" + "。责任单位：区财政局" * (n // 20) + "。" + PROSE * 30 + "\n",
    "unclosed brackets": lambda n: "（一）做好工作" + "（推进" * (n // 3) + "（责任单位：区财政局）\n",
    "blank characters and line breaks": lambda n: "（一）做好工作" + " \n\u3000\t" * (n // 4) + "确保落实。（责任单位：区财政局）\n",
    # what a clause and its units resolve to is remembered per document: the memo must stay linear
    "short measures repeating one clause": lambda n: _measures(n, lambda k: "责任单位：区财政局、区民政局"),
    "short measures, every clause different": lambda n: _measures(n, lambda k: f"{_unit(k)}牵头，{_unit(k + 1)}配合"),
    "a long table": lambda n: "| 序号 | 任务 | 牵头单位 |\n|---|---|---|\n" + "| 1 | 推进改革 | 区财政局 |\n" * (n // 20),
}


def cost(text: str) -> float:
    data = text.encode()
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        parse_bytes(data, "grow.txt", CFG)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("shape", SHAPES)
def test_parsing_grows_no_faster_than_the_input(shape):
    make = SHAPES[shape]
    small, large = make(SMALL), make(8 * SMALL)
    assert len(large) > 7 * len(small)
    floor = 0.002  # below this a figure is start-up noise, not growth
    ratio = cost(large) / max(cost(small), floor)
    assert ratio < ALLOWED, f"{shape}: 8× the input took {ratio:.0f}× the time"
