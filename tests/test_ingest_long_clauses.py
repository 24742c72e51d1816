"""A responsibility clause of any length or unit count is read, or the import says why not.

A clause naming a hundred or more units once passed a 600-character limit and was dropped in
silence (the measure turned into context); each shape of clause is checked here with 150 and
400 units.
"""

from __future__ import annotations

import pytest

from tracker.config import Config
from tracker.ingest import parse_bytes

CFG = Config()
_CHARS = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土"


def unit_names(count: int) -> list[str]:
    return [f"区{_CHARS[i % len(_CHARS)]}{_CHARS[i // len(_CHARS)]}局" for i in range(count)]


SHAPES = {
    "brackets": "（一）做好工作。推进改革。（责任单位：{units}）\n",
    "label lines": "（一）做好工作。推进改革。\n牵头单位：区财政局\n配合单位：{units}\n",
    "labels closing the paragraph": "（一）做好工作。推进改革。牵头单位：区财政局；配合单位：{units}。\n",
    "lead and support verbs": "（一）做好工作。推进改革。（区财政局牵头，{units}参与）\n",
    "由…负责": "（一）做好工作，推进改革，由{units}负责。\n",
}


@pytest.mark.parametrize("count", [150, 400])
@pytest.mark.parametrize("shape", SHAPES)
def test_every_unit_of_a_long_clause_is_read(shape, count):
    names = unit_names(count)
    assert len(set(names)) == count and len("、".join(names)) > 600
    doc = parse_bytes(SHAPES[shape].format(units="、".join(names)).encode(), "long.txt", CFG)
    measures = [m for m in doc.measures if not m.is_context]
    assert len(measures) == 1
    read = {u.name for u in measures[0].units}
    assert set(names) <= read


def test_a_label_that_yields_no_clause_is_warned_about():
    """``责任单位：`` in the middle of a long paragraph, followed by prose: not read as the clause,
    and the import says so instead of silently keeping the measure as context."""
    prose = "此后继续推进各项改革工作，不断总结经验，形成长效机制。" * 40
    text = f"（一）做好工作。责任单位：区财政局等有关部门要加强指导，{prose}\n（二）推进改革。（责任单位：区财政局）\n"
    doc = parse_bytes(text.encode(), "label.txt", CFG)
    first = doc.measures[0]
    assert first.code == "（一）" and first.is_context
    assert any(w.message.startswith("（一）：") and "责任单位：" in w.message for w in doc.warnings)


def test_short_closing_labels_are_read_as_before():
    doc = parse_bytes("（一）做好工作，推进改革。牵头单位：区财政局；配合单位：区民政局。\n".encode(), "s.txt", CFG)
    assert [(u.name, u.role) for u in doc.measures[0].units] == [("区财政局", "lead"), ("区民政局", "support")]
    assert not [w for w in doc.warnings if "字样" in w.message]
