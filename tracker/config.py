"""Settings: one typed object, read with tomllib and written with tomli_w.

Lookup order: ``--config PATH`` > ``TRACKER_CONFIG`` > ``./config.toml`` >
the user config dir (platformdirs' answer, :mod:`tracker.user_dirs`) > built-in defaults.
"""

import os
import re
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from tracker import user_dirs
from tracker.config_cache import cached_toml, keep_toml
from tracker.cycle import Cadence, parse_cadence
from tracker.dates import DateParseError, parse_iso_day

# review (待销号): the unit reported the task done; the coordinator has not yet checked its evidence
STATUS_CODES: tuple[str, ...] = ("todo", "doing", "blocked", "review", "done", "dropped")
# what a person picks in a status dialog: review is where "done" lands while it awaits 销号
SETTABLE_STATUSES: tuple[str, ...] = ("todo", "doing", "blocked", "done", "dropped")
DEFAULT_STATUS_LABELS: dict[str, str] = {
    "todo": "未启动",
    "doing": "推进中",
    "blocked": "受阻",
    "review": "待销号",
    "done": "已完成",
    "dropped": "不适用",
}
UNIT_KINDS: tuple[str, ...] = ("agency", "town", "group", "company")
UNIT_KIND_LABELS: dict[str, str] = {
    "agency": "部门",
    "town": "街镇",
    "group": "集合",
    "company": "企业",
}
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "support": "配合"}
DEADLINE_POLICIES: tuple[str, ...] = ("none", "end_of_year", "fixed")

QINGPU_TOWNS: tuple[str, ...] = (
    "夏阳街道", "盈浦街道", "香花桥街道", "朱家角镇", "练塘镇", "金泽镇",
    "赵巷镇", "徐泾镇", "华新镇", "重固镇", "白鹤镇",
)


class ConfigError(Exception):
    """A config file that cannot be used. ``str()`` is the one-line message."""

    def __init__(self, path: Path | str | None, message: str, line: int | None = None, key: str | None = None):
        self.path = str(path) if path is not None else "<defaults>"
        self.line = line
        self.key = key
        self.message = message
        where = self.path + (f":{line}" if line else "")
        what = f"{key}: {message}" if key else message
        super().__init__(f"{where}: {what}")


class UnitGroup(NamedTuple):
    """A collective name that expands into member units (``各街镇`` → the 11 街镇)."""

    name: str
    kind: str
    members: tuple[str, ...]


class Config(NamedTuple):
    database_url: str = ""
    today: date | None = None
    due_soon_days: int = 14
    user: str = ""
    seeds_dir: Path | None = None
    deadline_policy: str = "end_of_year"
    deadline_fixed: date | None = None
    # the defaults are read-only mappings: one object shared by every Config built without its own
    aliases: Mapping[str, str] = MappingProxyType({})
    groups: Mapping[str, UnitGroup] = MappingProxyType({})
    known_units: Mapping[str, str] = MappingProxyType({})  # name -> kind
    status_labels: Mapping[str, str] = MappingProxyType(DEFAULT_STATUS_LABELS)
    # reporting cycle: the default cadence of a document, and whether "done" needs the coordinator's 销号
    cadence: Cadence = Cadence("monthly", 25)
    verify_done: bool = True
    source: Path | None = None
    warnings: tuple[str, ...] = ()  # one line each, e.g. an unknown key that was ignored

    def replace(self, **changes: Any) -> "Config":
        """A copy with ``changes`` (a Config is immutable)."""
        return self._replace(**changes)

    # -- derived helpers -------------------------------------------------
    def canonical_unit(self, name: str) -> str:
        """Apply aliases (transitively, guarding against loops)."""
        seen: set[str] = set()
        while name in self.aliases and name not in seen:
            seen.add(name)
            name = self.aliases[name]
        return name

    def unit_kind(self, name: str) -> str | None:
        """Kind of a unit known to the config (a group member or a listed unit), else None."""
        if name in self.known_units:
            return self.known_units[name]
        for group in self.groups.values():
            if name in group.members:
                return group.kind
        return None

    def status_label(self, code: str) -> str:
        return self.status_labels.get(code, code)


def default_config() -> Config:
    """Built-in defaults: the 青浦区 街镇 group, no aliases, SQLite in the user data dir."""
    return Config(groups={"各街镇": UnitGroup("各街镇", "town", QINGPU_TOWNS)})


def user_config_path() -> Path:
    return user_dirs.user_config_dir() / "config.toml"


def find_config_path(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Path | None:
    """Resolve which config file to read; ``None`` means built-in defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(path, "找不到配置文件")
        return path
    env = os.environ.get("TRACKER_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(path, "找不到 TRACKER_CONFIG 指定的配置文件")
        return path
    local = (cwd or Path.cwd()) / "config.toml"
    if local.is_file():
        return local
    user = user_config_path()
    if user.is_file():
        return user
    return None


def load_config(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> Config:
    path = find_config_path(explicit, cwd)
    if path is None:
        return default_config()
    return parse_config(path.read_bytes(), path)


def _line_of(text: str, key: str) -> int | None:
    """Best-effort line number of ``key`` in TOML source (for error messages)."""
    leaf = key.rsplit(".", 1)[-1]
    pattern = re.compile(r'^\s*"?' + re.escape(leaf) + r'"?\s*=')
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return None


def parse_config(data: bytes, path: Path) -> Config:
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")  # a BOM, as Notepad writes (the utf-8-sig codec is a module more)
    except UnicodeDecodeError:
        raise ConfigError(path, "不是 UTF-8 文本") from None
    raw = cached_toml(data)
    if raw is None:
        raw = _read_toml(text, path)
        keep_toml(data, raw)
    return _config_of(raw, text, path)


def _read_toml(text: str, path: Path) -> dict[str, Any]:
    import tomllib  # here: read from the cache or with no config file (the default set-up) a command is spared it

    try:
        return tomllib.loads(text)
    except RecursionError:
        raise ConfigError(path, "TOML 格式错误：嵌套层数过多") from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = int(match.group(1)) if match else None
        if line is None and "end of document" in str(exc):
            line = max(1, len(text.rstrip("\n").splitlines()))
        message = re.sub(r"\s*\((at line \d+, column \d+|at end of document)\)", "", str(exc))
        raise ConfigError(path, f"TOML 格式错误：{message}", line=line) from None


def _config_of(raw: dict[str, Any], text: str, path: Path) -> Config:
    """The settings ``raw`` (the TOML as read from ``text``) describes, checked key by key."""

    def fail(key: str, message: str) -> ConfigError:
        return ConfigError(path, message, line=_line_of(text, key), key=key)

    def get(table: dict[str, Any], key: str, typ: type | tuple[type, ...], default: Any, dotted: str) -> Any:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            names = typ.__name__ if isinstance(typ, type) else " or ".join(t.__name__ for t in typ)
            raise fail(dotted, f"应为 {names}，实际为 {type(value).__name__} {value!r}")
        return value

    def get_date(table: dict[str, Any], key: str, dotted: str) -> date | None:
        value = get(table, key, (str, date), "", dotted)
        if isinstance(value, date):
            return value
        if not value.strip():
            return None
        try:
            return parse_iso_day(value)
        except DateParseError as exc:
            raise fail(dotted, str(exc)) from None

    known_top = {"database_url", "today", "due_soon_days", "user", "seeds_dir", "deadline", "units", "status", "cycle"}
    for key in raw:
        if key not in known_top:
            raise fail(key, "未知设置项")

    database_url = get(raw, "database_url", str, "", "database_url")
    today = get_date(raw, "today", "today")
    due_soon_days = get(raw, "due_soon_days", int, 14, "due_soon_days")
    if not 0 <= due_soon_days <= MAX_DUE_SOON_DAYS:
        raise fail("due_soon_days", f"应为 0 到 {MAX_DUE_SOON_DAYS} 之间的整数，实际为 {due_soon_days}")
    user = get(raw, "user", str, "", "user")
    seeds = get(raw, "seeds_dir", str, "", "seeds_dir")
    seeds_dir = (path.parent / seeds) if seeds else None

    deadline = get(raw, "deadline", dict, {}, "deadline")
    policy = get(deadline, "policy", str, "end_of_year", "deadline.policy")
    if policy not in DEADLINE_POLICIES:
        raise fail("deadline.policy", f"应为 {', '.join(DEADLINE_POLICIES)} 之一，实际为 {policy!r}")
    fixed = get_date(deadline, "fixed", "deadline.fixed")
    if policy == "fixed" and fixed is None:
        raise fail("deadline.fixed", "policy 为 fixed 时需要填写日期")

    units = get(raw, "units", dict, {}, "units")
    aliases_raw = get(units, "aliases", dict, {}, "units.aliases")
    aliases: dict[str, str] = {}
    for alias, target in aliases_raw.items():
        if not isinstance(target, str) or not target.strip():
            raise fail(alias, "别名应指向一个单位名称")
        aliases[alias.strip()] = target.strip()

    groups: dict[str, UnitGroup] = {}
    for name, spec in get(units, "groups", dict, {}, "units.groups").items():
        if not isinstance(spec, dict):
            raise fail(name, "单位集合应为含 kind 和 members 的表")
        kind = get(spec, "kind", str, "group", f"units.groups.{name}.kind")
        if kind not in UNIT_KINDS:
            raise fail(f"units.groups.{name}.kind", f"应为 {', '.join(UNIT_KINDS)} 之一")
        members = get(spec, "members", list, [], f"units.groups.{name}.members")
        if not members or not all(isinstance(m, str) and m.strip() for m in members):
            raise fail(f"units.groups.{name}.members", "应为非空的单位名称列表")
        groups[name] = UnitGroup(name, kind, tuple(m.strip() for m in members))

    known: dict[str, str] = {}
    for kind, names in get(units, "known", dict, {}, "units.known").items():
        if kind not in UNIT_KINDS:
            raise fail(kind, f"单位类别应为 {', '.join(UNIT_KINDS)} 之一")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise fail(f"units.known.{kind}", "应为单位名称列表")
        for n in names:
            known[n.strip()] = kind

    status = get(raw, "status", dict, {}, "status")
    labels = dict(DEFAULT_STATUS_LABELS)
    for code, label in get(status, "labels", dict, {}, "status.labels").items():
        if code not in STATUS_CODES:
            raise fail(code, f"未知状态代码（可用：{', '.join(STATUS_CODES)}）")
        if not isinstance(label, str) or not label.strip():
            raise fail(code, "状态名称应为文字")
        labels[code] = label.strip()
    _check_labels(labels, fail)

    cycle = get(raw, "cycle", dict, {}, "cycle")
    try:
        cadence = parse_cadence(get(cycle, "cadence", str, "monthly:25", "cycle.cadence"))
    except ValueError as exc:
        raise fail("cycle.cadence", str(exc)) from None
    verify_done = get(cycle, "verify", bool, True, "cycle.verify")

    warnings = [
        str(ConfigError(path, "未知设置项，已忽略", line=_line_of(text, key), key=key))
        for key in _unknown_keys(raw, KNOWN_NESTED)
    ]

    return Config(
        database_url=database_url,
        today=today,
        due_soon_days=due_soon_days,
        user=user,
        seeds_dir=seeds_dir,
        deadline_policy=policy,
        deadline_fixed=fixed,
        aliases=aliases,
        groups=groups,
        known_units=known,
        status_labels=labels,
        cadence=cadence,
        verify_done=verify_done,
        source=path,
        warnings=tuple(warnings),
    )


MAX_DUE_SOON_DAYS = 3650
# The keys each table accepts; None = free-form (names chosen by the user: aliases, groups, labels).
KNOWN_NESTED: dict[str, Any] = {
    "deadline": {"policy": None, "fixed": None},
    "units": {"aliases": None, "groups": None, "known": None},
    "status": {"labels": None},
    "cycle": {"cadence": None, "verify": None},
}


def _unknown_keys(raw: dict[str, Any], known: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted names of keys below the top level that tracker does not read (a typo would be silently ignored)."""
    found: list[str] = []
    for table, keys in known.items():
        value = raw.get(table)
        if not isinstance(value, dict) or keys is None:
            continue
        for key in value:
            if key not in keys:
                found.append(f"{prefix}{table}.{key}")
            elif isinstance(keys[key], dict):
                found.extend(_unknown_keys(value, {key: keys[key]}, f"{prefix}{table}."))
    return found


def _check_labels(labels: dict[str, str], fail) -> None:  # noqa: ANN001
    """Two statuses with one label would make ``tracker set 12 已完成`` ambiguous; a label that is another
    status's code (``todo = "done"``) would too."""
    seen: dict[str, str] = {}
    for code, label in labels.items():
        other = seen.get(label)
        if other is not None:
            raise fail(code, f"状态名称“{label}”与 {other} 重复")
        if label.lower() in STATUS_CODES and label.lower() != code:
            raise fail(code, f"状态名称“{label}”是另一个状态的代码")
        seen[label] = code


def config_to_dict(cfg: Config) -> dict[str, Any]:
    """The TOML-able form of a config (what ``tracker init`` writes)."""
    known: dict[str, list[str]] = {}
    for name, kind in cfg.known_units.items():
        known.setdefault(kind, []).append(name)
    return {
        "database_url": cfg.database_url,
        "today": cfg.today.isoformat() if cfg.today else "",
        "due_soon_days": cfg.due_soon_days,
        "user": cfg.user,
        "seeds_dir": str(cfg.seeds_dir) if cfg.seeds_dir else "",
        "deadline": {
            "policy": cfg.deadline_policy,
            "fixed": cfg.deadline_fixed.isoformat() if cfg.deadline_fixed else "",
        },
        "units": {
            "aliases": dict(cfg.aliases),
            "groups": {g.name: {"kind": g.kind, "members": list(g.members)} for g in cfg.groups.values()},
            "known": known,
        },
        "status": {"labels": dict(cfg.status_labels)},
        "cycle": {"cadence": cfg.cadence.text, "verify": cfg.verify_done},
    }


def write_config(cfg: Config, path: Path) -> None:
    import tomli_w

    header = (
        "# tracker settings (see README: Configuration).\n"
        "# database_url: empty = SQLite file in the user data dir; today: empty = real date;\n"
        "# deadline.policy: none | end_of_year | fixed.\n\n"
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + tomli_w.dumps(config_to_dict(cfg)), encoding="utf-8")


def shipped_config_text() -> str | None:
    """The ``config.toml`` shipped with tracker (package data, or the repository's in a checkout)."""
    from tracker.shipped import config_path

    candidate = config_path()
    return candidate.read_text(encoding="utf-8") if candidate is not None else None
