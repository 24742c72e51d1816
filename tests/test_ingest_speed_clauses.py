"""Clauses read once per document (``find_clauses(..., memo)``) equal clauses read afresh.

A large document repeats the same few clauses across thousands of measures; the importer reads
each distinct clause text once. These tests hold that to reading every text without the memo,
on texts whose clauses are merged, extended or rejected after being read.
"""

from __future__ import annotations

from tracker.ingest.clauses import find_clauses

KNOWN = frozenset({"区财政局", "区文化旅游局", "各街镇"})

TEXTS = [
    "推进改革，2023年底前完成。（责任单位：区财政局、各街镇）",
    # consecutive label lines form one clause: the first line's list is extended by the second
    "做好保障工作。\n牵头单位：区财政局\n配合单位：区文旅局、各街镇",
    "做好统筹工作。\n牵头单位：区财政局",
    "加强协同。牵头单位：区财政局；配合单位：各街镇。",
    "加强协同。牵头单位：区财政局。",
    "完善机制，由区财政局负责。",
    "完善机制，由区财政局牵头，各街镇配合。",
    "（区财政局牵头，区文旅局、各街镇参与）",
    "（区财政局、区文旅局负责。列第一位者为牵头单位，下同）",
    "（责任单位：区财政局、各街镇）（责任单位：区财政局、各街镇）",
    "见附件（不含税）和说明（另行通知）。",
    "（责任单位：区财政局、各街镇",
    "牵头单位：区财政局\n牵头单位：区财政局",
]


def test_memo_gives_what_reading_afresh_gives():
    memo: dict = {}
    for text in TEXTS + TEXTS[::-1] + TEXTS:
        assert find_clauses(text, KNOWN, memo) == find_clauses(text, KNOWN), text
    assert memo  # the memo was used


def test_merging_label_lines_leaves_the_memo_alone():
    memo: dict = {}
    merged = find_clauses("做好工作。\n牵头单位：区财政局\n配合单位：各街镇", KNOWN, memo)
    assert [n for n, _r in merged[0].names] == ["区财政局", "各街镇"]
    alone = find_clauses("做好工作。\n牵头单位：区财政局", KNOWN, memo)
    assert [n for n, _r in alone[0].names] == ["区财政局"]
    merged[0].names.clear()
    again = find_clauses("做好工作。\n牵头单位：区财政局\n配合单位：各街镇", KNOWN, memo)
    assert [n for n, _r in again[0].names] == ["区财政局", "各街镇"]


def test_text_that_is_no_clause_is_remembered_as_none():
    memo: dict = {}
    assert find_clauses("见附件（不含税）。", KNOWN, memo) == []
    assert find_clauses("见附件（不含税）。", KNOWN, memo) == []
    assert memo.get("不含税", "absent") is None


def test_a_full_memo_stops_growing_and_still_reads_right(monkeypatch):
    from tracker.ingest import clauses

    monkeypatch.setattr(clauses, "_MEMO_ENTRIES", 3)
    memo: dict = {}
    for text in TEXTS + TEXTS:
        assert find_clauses(text, KNOWN, memo) == find_clauses(text, KNOWN), text
        assert len(memo) <= 3
    merged = find_clauses("做好工作。\n牵头单位：区教育局\n配合单位：各街镇", KNOWN, memo)
    assert [n for n, _r in find_clauses("做好工作。\n牵头单位：区教育局", KNOWN, memo)[0].names] == ["区教育局"]
    assert len(merged[0].names) == 2


def depths_char_by_char(line: str) -> list[int]:
    """Open brackets before each position, counted one character at a time (the code before)."""
    from tracker.ingest.names import CLOSE, OPEN

    depth = 0
    out = []
    for ch in line:
        out.append(depth)
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE and depth > 0:
            depth -= 1
    return out


def test_depth_from_the_brackets_alone_equals_counting_every_character():
    from tracker.ingest.clauses import _depth_at

    lines = [
        "", "无括号", "（牵头单位：A；配合单位：B）。责任单位：C", "））（（[【x】]）", "(a（b)c）d）e(", "】】【",
        "做好工作（一）（二（三））。牵头单位：区财政局（市道运局）；配合单位：各街镇〔2022〕",
    ]
    for line in lines:
        at = _depth_at(line)
        assert [at(i) for i in range(len(line))] == depths_char_by_char(line), line
