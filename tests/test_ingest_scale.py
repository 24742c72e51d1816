"""Inputs where a quadratic step once took minutes (a run of 200,000 spaces, a paragraph of 60,000 joined lines,
20,000 clauses or 10,000 targets in one paragraph) are read whole and right. How fast they parse is measured in
``bench/bench_parse.py`` (figures in docs/performance.md), not here: a timed assertion fails on a busy machine.
"""

from __future__ import annotations

from tracker.config import Config
from tracker.ingest import parse_bytes

CFG = Config()


def parsed(text: str):
    return parse_bytes(text.encode(), "big.txt", CFG)


def test_a_long_run_of_spaces():
    doc = parsed("（一）做好工作" + " " * 200_000 + "确保落实。（责任单位：区财政局）\n")
    assert [u.name for u in doc.measures[0].units] == ["区财政局"]


def test_many_lines_joined_into_one_paragraph():
    doc = parsed("（一）做好工作，" + "推进改革，加强保障\n" * 60_000 + "。（区财政局负责）\n")
    assert len(doc.measures) == 1 and doc.measures[0].units


def test_one_paragraph_with_many_clauses():
    doc = parsed("（一）做好工作。" + "推进改革，加强保障。（区财政局负责）" * 20_000 + "\n")
    assert len(doc.measures) == 20_000


def test_one_paragraph_with_many_targets_and_dates():
    doc = parsed("（一）做好工作。" + "推进改革，2023年完成试点不少于5个。" * 10_000 + "（责任单位：区财政局）\n")
    assert len(doc.measures[0].targets) == 10_000
