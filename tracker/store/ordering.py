"""The one order of units everywhere (lists, matrix, reports, CLI): 街镇 first in the config's order, then
bureaus, collectives and companies in the order they were first seen (the unit id grows as documents are
imported, so id order is document order)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from tracker.config import Config

KIND_ORDER = ("town", "agency", "group", "company")
KIND_RANK = {kind: i for i, kind in enumerate(KIND_ORDER)}
# SQL twin of the kind rank, for listings sorted in the database (no config there: id order stands in
# for the config order of 街镇, which group expansion creates in that order).
KIND_RANK_SQL = "CASE unit.kind " + " ".join(f"WHEN '{k}' THEN {i}" for i, k in enumerate(KIND_ORDER)) + " ELSE 9 END"

T = TypeVar("T")


def member_ranks(config: Config | None) -> dict[str, int]:
    """Position of each configured group member (the 11 街镇 as coordinators list them)."""
    ranks: dict[str, int] = {}
    if config is not None:
        for group in config.groups.values():
            for i, name in enumerate(group.members):
                ranks.setdefault(name, i)
    return ranks


def unit_key(config: Config | None) -> Callable[[str, str, int], tuple]:
    """``key(name, kind, unit_id)`` for sorting units in the one order."""
    ranks = member_ranks(config)

    def key(name: str, kind: str, unit_id: int) -> tuple:
        return (KIND_RANK.get(kind, 9), ranks.get(name, 1 << 30), unit_id or 0, name)

    return key


def sort_units(items: Iterable[T], config: Config | None, *, name: Callable[[T], str], kind: Callable[[T], str],
               unit_id: Callable[[T], int]) -> list[T]:
    key = unit_key(config)
    return sorted(items, key=lambda item: key(name(item), kind(item), unit_id(item)))


def unit_order_sql(config: Config | None) -> str:
    """ORDER BY terms putting units in the one order inside SQL (for task listings sorted by unit)."""
    ranks = member_ranks(config)
    if not ranks:
        return f"{KIND_RANK_SQL}, unit.id"
    cases = " ".join(f"WHEN '{name.replace(chr(39), chr(39) * 2)}' THEN {rank}" for name, rank in ranks.items())
    return f"{KIND_RANK_SQL}, CASE unit.name {cases} ELSE {1 << 30} END, unit.id"
