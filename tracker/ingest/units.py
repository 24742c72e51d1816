"""Unit names: normalising, kinds, group expansion and roles.

* Whitespace and page-break debris inside a name are removed; half-width brackets inside a
  name become full-width (``市交通委(市道运局)`` -> ``市交通委（市道运局）``).
* Aliases from the config are applied (``区文旅局`` -> ``区文化旅游局``).
* A group from the config expands into its members (``各街镇`` -> the 11 街镇, kind from the
  group). Members are support units unless the group is the only unit of the clause (then
  each member leads its own task) or the group is labelled lead.
* A collective the config does not know (``各区属公司``, ``…各成员单位``, ``各有关单位``) stays
  one unit of kind ``group``.
* Kind: the config's, else from the name (``…街道``/``…镇``/``…乡`` -> town,
  ``…公司``/``…集团`` -> company, collectives -> group, anything else -> agency).
* Role: a unit labelled lead wins; otherwise the first listed unit leads; everyone else
  supports. A unit listed twice (or under two aliases) is kept once with its strongest role.
"""

from __future__ import annotations

import re

from tracker.config import Config, UnitGroup
from tracker.ingest.model import ParsedUnit

_DEBRIS = re.compile(r"[\s\u3000*#>_`]+")


def normalise_name(raw: str) -> str:
    name = _DEBRIS.sub("", raw)
    name = name.replace("(", "（").replace(")", "）")
    name = name.strip("。.，,、；;：:“”\"'")
    if name.startswith("由") and len(name) > 3:
        name = name[1:]
    return name


def is_collective(name: str) -> bool:
    return (
        name.startswith("各")
        or "成员单位" in name
        or "有关单位" in name
        or "有关部门" in name
        or "相关单位" in name
        or "相关部门" in name
    )


def kind_from_name(name: str) -> str:
    if is_collective(name):
        return "group"
    base = re.sub(r"（[^（）]*）$", "", name)
    if re.search(r"(街道|街道办事处|镇|乡|镇人民政府|乡人民政府)$", base):
        return "town"
    if re.search(r"(公司|集团|有限)$", base):
        return "company"
    return "agency"


def known_names(config: Config) -> set[str]:
    names = set(config.known_units) | set(config.aliases) | set(config.groups)
    for group in config.groups.values():
        names.update(group.members)
    return names


_REMEMBERED = 4096  # unit lists kept per document: one whose clauses all differ gains nothing from more


class UnitResolver:
    """:func:`resolve_units` for one document: what a name, and a whole list of names, resolves to
    is worked out once (a document with 100,000 measures names the same few dozen units, often in
    the same clause, over and over)."""

    def __init__(self, config: Config) -> None:
        self.config = config
        self._names: dict[str, str] = {}
        # name → (canonical, canonical members when it is a group, unknown to the config)
        self._facts: dict[str, tuple[str, tuple[str, ...] | None, bool]] = {}
        self._kinds: dict[str, str] = {}
        self._resolved: dict[tuple[tuple[str, str], ...], tuple[tuple[tuple[str, str, str, str], ...], tuple[str, ...]]] = {}

    def normalise(self, raw: str) -> str:
        name = self._names.get(raw)
        if name is None:
            name = self._names[raw] = normalise_name(raw)
        return name

    def facts(self, name: str) -> tuple[str, tuple[str, ...] | None, bool]:
        found = self._facts.get(name)
        if found is None:
            config = self.config
            canonical = config.canonical_unit(name)
            group: UnitGroup | None = config.groups.get(canonical) or config.groups.get(name)
            members = None if group is None else tuple(config.canonical_unit(m) for m in group.members)
            unknown = bool(config.known_units) and config.unit_kind(canonical) is None and canonical not in config.known_units
            found = self._facts[name] = (canonical, members, unknown)
        return found

    def kind(self, canonical: str) -> str:
        kind = self._kinds.get(canonical)
        if kind is None:
            kind = self._kinds[canonical] = self.config.unit_kind(canonical) or kind_from_name(canonical)
        return kind

    def resolve(self, names: list[tuple[str, str]]) -> tuple[list[ParsedUnit], list[str]]:
        """Turn a clause's (raw, role hint) list into units; also return unknown names.

        A list seen before in the document is worked out once (each measure still gets its own
        units: callers may change them)."""
        key = tuple(names)
        found = self._resolved.get(key)
        if found is None:
            found = self._work_out(names)
            if len(self._resolved) < _REMEMBERED:
                self._resolved[key] = found
        fields, unknown = found
        return [ParsedUnit(*unit) for unit in fields], list(unknown)

    def _work_out(self, names: list[tuple[str, str]]) -> tuple[tuple[tuple[str, str, str, str], ...], tuple[str, ...]]:
        """(name, kind, role, raw) of each unit, lead first, and the unknown names."""
        entries: list[tuple[str, str, str, bool]] = []  # (raw, canonical, hint, from_group)
        unknown: list[str] = []
        only = len(names) == 1
        for raw, hint in names:
            name = self.normalise(raw)
            if not name:
                continue
            canonical, members, is_unknown = self.facts(name)
            if members is not None:
                member_hint = "lead" if (only or hint == "lead") else "support"
                entries.extend([(raw, member, member_hint, True) for member in members])
                continue
            entries.append((raw, canonical, hint, False))
            if is_unknown:
                unknown.append(canonical)

        has_lead = any(hint == "lead" for _r, _c, hint, _g in entries)
        units: dict[str, list[str]] = {}  # canonical → [name, kind, role, raw]
        first_direct = next((i for i, e in enumerate(entries) if not e[3]), None)
        for index, (raw, canonical, hint, from_group) in enumerate(entries):
            if hint == "lead":
                role = "lead"
            elif hint == "support" or has_lead:
                role = "support"
            elif not from_group and index == first_direct:
                role = "lead"
            else:
                role = "support"
            existing = units.get(canonical)
            if existing is not None:
                if role == "lead":
                    existing[2] = "lead"
                continue
            units[canonical] = [canonical, self.kind(canonical), role, self.normalise(raw)]
        if units and not any(u[2] == "lead" for u in units.values()):
            # only support units were named: someone must lead, the first listed does
            next(iter(units.values()))[2] = "lead"
        ordered = [u for u in units.values() if u[2] == "lead"] + [u for u in units.values() if u[2] != "lead"]
        return tuple((name, kind, role, raw) for name, kind, role, raw in ordered), tuple(unknown)


def resolve_units(
    names: list[tuple[str, str]], config: Config
) -> tuple[list[ParsedUnit], list[str]]:
    """Turn a clause's (raw, role hint) list into units; also return unknown names."""
    return UnitResolver(config).resolve(names)
