"""Parsing stays linear: inputs where a quadratic step would take minutes parse in seconds.

The bounds are far above the measured times (see ``bench/bench_parse.py`` for figures), so
a slow machine does not fail them; a step that rescans the text per match does.
"""

from __future__ import annotations

import time

from tracker.config import Config
from tracker.ingest import parse_bytes

CFG = Config()
BOUND = 10.0  # seconds; each case takes well under one


def timed(text: str):
    start = time.perf_counter()
    doc = parse_bytes(text.encode(), "big.txt", CFG)
    return doc, time.perf_counter() - start


def test_a_long_run_of_spaces():
    doc, seconds = timed("（一）做好工作" + " " * 200_000 + "确保落实。（责任单位：区财政局）\n")
    assert [u.name for u in doc.measures[0].units] == ["区财政局"]
    assert seconds < BOUND


def test_many_lines_joined_into_one_paragraph():
    doc, seconds = timed("（一）做好工作，" + "推进改革，加强保障\n" * 60_000 + "。（区财政局负责）\n")
    assert len(doc.measures) == 1 and doc.measures[0].units
    assert seconds < BOUND


def test_one_paragraph_with_many_clauses():
    doc, seconds = timed("（一）做好工作。" + "推进改革，加强保障。（区财政局负责）" * 20_000 + "\n")
    assert len(doc.measures) == 20_000
    assert seconds < BOUND


def test_one_paragraph_with_many_targets_and_dates():
    doc, seconds = timed("（一）做好工作。" + "推进改革，2023年完成试点不少于5个。" * 10_000 + "（责任单位：区财政局）\n")
    assert len(doc.measures[0].targets) == 10_000
    assert seconds < BOUND
