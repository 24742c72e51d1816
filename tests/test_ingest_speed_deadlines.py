"""Deadline patterns are skipped on texts lacking a word every match needs: same answers as
searching with every pattern.

``find_deadline`` runs a pattern only when the text holds the words every match of it contains
(``季度`` for a quarter, ``之日起`` for a count from the issue date, one of ``年内`` ``年时间``
for a number of years…). A word listed there that a
match can do without would lose deadlines; these tests compare with no words required.
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.ingest import deadlines
from tracker.ingest.deadlines import _NEEDS, _PATTERNS, DeadlineContext, find_deadline
from tracker.ingest.text import read_source

from .conftest import REPO, SEEDS

ISSUED = date(2022, 8, 29)

PHRASES = [
    "2023年12月31日前完成", "2023年6月底前建成", "2023年6月前", "2023 年 6 月份前", "2023年12月，完成验收",
    "2023年第三季度", "三季度末前", "2023年上半年", "下半年前", "2022年8月29日召开", "2023年", "2023 年内",
    "2023年底", "2023年度", "年内完成", "本年度", "今年底", "到年末", "年底前", "9月底前", "10月15日前", "12月前",
    "明年底", "2012年起5年内", "力争3年内", "要两年时间", "印发之日起30日内", "自发布之日起3个月内",
    "2019年1月1日至12月31日", "从2019年1月1日起", "截至2023年6月", "今年上半年", "2022年“智改数转”方案",
    "2023—2025年", "当年新招用", "在下一年度督查中", "十二月底前", "3月末", "２０２３年６月底前",
]


def _everything_searched(monkeypatch) -> None:
    monkeypatch.setattr(deadlines, "_NEEDS", {kind: (frozenset(), frozenset()) for kind in _NEEDS})


def _texts() -> list[str]:
    texts = list(PHRASES)
    texts += ["推进改革，" + a + "，" + b + "。" for a in PHRASES[::3] for b in PHRASES[1::4]]
    for path in sorted(SEEDS.iterdir()) + sorted((REPO / "tests" / "fixtures" / "ingest").iterdir()):
        texts += [p.text for p in read_source(path.read_bytes(), str(path)).paragraphs]
    return texts


@pytest.mark.parametrize("issued", [ISSUED, None])
def test_skipping_patterns_changes_no_deadline(monkeypatch, issued):
    texts = _texts()
    for start_year in (None, 2012):
        context = DeadlineContext(issued, start_year)
        skipping = [find_deadline(t, issued, context) for t in texts]
        with monkeypatch.context() as patch:
            _everything_searched(patch)
            searching = [find_deadline(t, issued, context) for t in texts]
        assert skipping == searching
    assert sum(due is not None for due, _p in skipping) >= len(PHRASES) // 2  # the texts name deadlines


def test_every_match_holds_the_words_its_pattern_needs():
    for kind, pattern in _PATTERNS:
        matched = [m.group(0) for t in _texts() for m in pattern.finditer(t)]
        assert matched, kind
        all_of, one_of = _NEEDS[kind]
        for phrase in matched:
            assert all(word in phrase for word in all_of), (kind, phrase)
            assert not one_of or any(word in phrase for word in one_of), (kind, phrase)
