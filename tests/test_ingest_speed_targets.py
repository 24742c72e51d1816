"""Texts naming no amount are not searched for targets: same targets as searching every text.

``find_targets`` first looks for a digit followed by a unit of measure (``5个``, ``40万人``,
``80 亿元``, ``60%``) and returns nothing without one. A target the quick look misses would be
lost; these tests compare with the quick look switched off.
"""

from __future__ import annotations

import re
from dataclasses import asdict
from datetime import date

from tracker.ingest import targets
from tracker.ingest.targets import _AMOUNT, _TARGET, find_targets
from tracker.ingest.text import read_source

from .conftest import REPO, SEEDS

AMOUNTS = [
    "2022年全区正规就业不少于40万人", "不少于910个", "比例大于80%", "不低于50％", "不少于 1100 人", "80亿元",
    "达到1.5万家", "控制在3千 吨以内", "不少于公开招聘岗位总数的60%", "新增1名专职人员", "1,200人次", "2．5亿元",
    "近3万人", "第3名", "3个月内", "培训 2 万 人", "5 万", "60", "２０个", "约10亿元", "2023年底前完成",
    "超过 12 平方米", "建成100公里", "80 %", "40万 人", "1 亿 元以上",
]


def _texts() -> list[str]:
    texts = list(AMOUNTS) + ["推进改革，" + a + "，" + b + "。" for a in AMOUNTS for b in AMOUNTS[::5]]
    for path in sorted(SEEDS.iterdir()) + sorted((REPO / "tests" / "fixtures" / "ingest").iterdir()):
        texts += [p.text for p in read_source(path.read_bytes(), str(path)).paragraphs]
    return texts


def test_the_quick_look_loses_no_target(monkeypatch):
    texts = _texts()
    quick = [[asdict(t) for t in find_targets(text, date(2022, 8, 29))] for text in texts]
    monkeypatch.setattr(targets, "_AMOUNT", re.compile(""))
    full = [[asdict(t) for t in find_targets(text, date(2022, 8, 29))] for text in texts]
    assert quick == full
    assert sum(map(len, full)) >= len(AMOUNTS) // 2  # the texts do name targets


def test_every_target_match_holds_an_amount():
    matched = [m.group(0) for text in _texts() for m in _TARGET.finditer(text)]
    assert len(matched) >= len(AMOUNTS)
    for phrase in matched:
        assert _AMOUNT.search(phrase), phrase
