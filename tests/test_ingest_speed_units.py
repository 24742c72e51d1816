"""Unit lists resolved once per document give what resolving each list afresh gives.

The importer keeps what a clause's (name, role hint) list resolved to and reuses it for the
next clause naming the same list (a large document repeats a few clauses thousands of times).
These tests hold the reuse to the uncached answer on lists that differ only in what a careless
cache key would drop: role hints, order, an empty name, aliases, debris, a group alone.
"""

from __future__ import annotations

from dataclasses import asdict

from tracker.config import Config, UnitGroup
from tracker.ingest import parse_bytes
from tracker.ingest.units import UnitResolver, resolve_units

TOWNS = ("夏阳街道", "盈浦街道", "朱家角镇")
CFG = Config(
    aliases={"区文旅局": "区文化旅游局", "各镇街": "各街镇", "盈浦": "盈浦街道"},
    groups={"各街镇": UnitGroup("各街镇", "town", TOWNS)},
    known_units={"区财政局": "agency", "区文化旅游局": "agency", "区人力资源社会保障局": "agency"},
)

LISTS: list[list[tuple[str, str]]] = [
    [("区财政局", "auto"), ("各街镇", "auto")],
    [("各街镇", "auto"), ("区财政局", "auto")],
    [("各街镇", "auto")],  # a group alone: each member leads
    [("各街镇", "auto"), ("", "auto")],  # not alone, although one name is empty
    [("各街镇", "lead")],
    [("区财政局", "support"), ("各街镇", "auto")],
    [("区财政局", "auto"), ("各街镇", "lead")],
    [("区文旅局", "auto"), ("区文化旅游局", "support")],  # one unit under two names
    [("区文化旅游局", "auto"), ("区文旅局", "lead")],
    [("区人 力资源社会保障局", "auto")],  # page-break debris inside the name
    [("区人力资源社会保障局", "auto")],
    [("市交通委(市道运局)", "support"), ("由区财政局", "auto")],
    [("各镇街", "auto"), ("盈浦", "lead")],  # alias of the group, alias of a member
    [("区某某局", "auto"), ("某某有限公司", "auto"), ("区某某局", "support")],  # unknown names
    [("区某某局", "support"), ("某某有限公司", "support")],  # no lead named: the first leads
]


def plain(result):
    units, unknown = result
    return [asdict(u) for u in units], list(unknown)


def test_reused_lists_resolve_as_fresh_ones():
    resolver = UnitResolver(CFG)
    sequence = LISTS + LISTS[::-1] + LISTS  # every list again, after every other list
    for names in sequence:
        assert plain(resolver.resolve(list(names))) == plain(resolve_units(list(names), CFG)), names
    # an empty name, a hint, the name as written, a repeated unknown name change the answer:
    # what is reused must be keyed by all of them
    for a, b in [(2, 3), (0, 6), (7, 8), (13, 14)]:
        assert plain(resolve_units(LISTS[a], CFG)) != plain(resolve_units(LISTS[b], CFG))


def test_each_call_gets_its_own_units():
    resolver = UnitResolver(CFG)
    names = [("区财政局", "auto"), ("各街镇", "auto")]
    first, unknown = resolver.resolve(names)
    first[0].role = "support"
    first.pop()
    unknown.append("changed")
    second, unknown_again = resolver.resolve(names)
    assert plain((second, unknown_again)) == plain(resolve_units(names, CFG))
    assert not any(a is b for a in first for b in second)


def _measure(k: int, clause: str) -> str:
    return f"（{'一二三四五六七八九十'[k % 10]}）推进第{k}项工作，2023年底前完成。（{clause}）\n"


CLAUSES = [
    "责任单位：区财政局、各街镇",
    "区财政局牵头，区文旅局、各街镇配合",
    "区文旅局牵头，区财政局、各街镇配合",
    "责任单位：各街镇",
    "责任单位：各镇街、区 财政局",
    "牵头单位：区某某局；配合单位：区财政局、某某有限公司",
    "区某某局、区财政局负责",
]


def test_a_document_repeating_clauses_reads_each_as_alone():
    chapters = []
    for part in range(3):
        body = "".join(_measure(k, CLAUSES[(k + part) % len(CLAUSES)]) for k in range(1, 11))
        chapters.append(f"{'一二三'[part]}、第{part + 1}部分\n{body}")
    doc = parse_bytes(("".join(chapters)).encode(), "repeat.txt", CFG)
    assert len([m for m in doc.measures if not m.is_context]) == 30
    for measure in doc.measures:
        alone = parse_bytes(("一、单独\n（一）" + measure.text + "\n").encode(), "alone.txt", CFG)
        assert [asdict(u) for u in measure.units] == [asdict(u) for u in alone.measures[0].units], measure.text
    # the unknown name is reported once, at its first clause
    unknown = [w for w in doc.warnings if "区某某局" in w.message]
    assert len(unknown) == 1


def test_a_full_memory_of_lists_stops_growing_and_still_resolves_right(monkeypatch):
    from tracker.ingest import units

    monkeypatch.setattr(units, "_REMEMBERED", 4)
    resolver = UnitResolver(CFG)
    for names in LISTS + LISTS:
        assert plain(resolver.resolve(list(names))) == plain(resolve_units(list(names), CFG)), names
    assert len(resolver._resolved) == 4
