"""Config lookup order, shipped file, round trip, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.config import ConfigError, load_config, parse_config, write_config

REPO = Path(__file__).resolve().parent.parent


def test_shipped_config_has_towns_aliases_and_policy():
    cfg = load_config(REPO / "config.toml")
    assert len(cfg.groups["各街镇"].members) == 11 and cfg.groups["各街镇"].kind == "town"
    assert cfg.canonical_unit("区文旅局") == "区文化旅游局"
    assert cfg.unit_kind("白鹤镇") == "town" and cfg.unit_kind("各区属公司") == "group"
    assert cfg.deadline_policy == "end_of_year" and cfg.due_soon_days == 14
    assert cfg.seeds_dir == REPO / "seeds"
    assert cfg.status_label("doing") == "推进中"


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_lookup_order(tmp_path, monkeypatch):
    explicit = _write(tmp_path / "explicit.toml", "due_soon_days = 1\n")
    env = _write(tmp_path / "env.toml", "due_soon_days = 2\n")
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    _write(cwd / "config.toml", "due_soon_days = 3\n")
    home = tmp_path / "home"
    monkeypatch.setattr("tracker.config.user_config_path", lambda: home / "config.toml")
    monkeypatch.setenv("TRACKER_CONFIG", str(env))
    assert load_config(explicit, cwd=cwd).due_soon_days == 1
    assert load_config(None, cwd=cwd).due_soon_days == 2
    monkeypatch.delenv("TRACKER_CONFIG")
    assert load_config(None, cwd=cwd).due_soon_days == 3
    home.mkdir()
    _write(home / "config.toml", "due_soon_days = 4\n")
    assert load_config(None, cwd=tmp_path).due_soon_days == 4
    (home / "config.toml").unlink()
    defaults = load_config(None, cwd=tmp_path)
    assert defaults.source is None and defaults.due_soon_days == 14 and "各街镇" in defaults.groups


@pytest.mark.parametrize(
    ("text", "line", "needle"),
    [
        ("due_soon_days = 7\ntoday = [\n", 2, "TOML 格式错误"),
        ("user = 'x'\ndue_soon_days = 'seven'\n", 2, "due_soon_days: 应为 int"),
        ("\n\ntoday = '2022-13-45'\n", 3, "today: 不存在的日期：'2022-13-45'"),
        ("today = '2022-02-30'\n", 1, "today: 不存在的日期：'2022-02-30'"),
        ("today = '15.11.2022'\n", 1, "today: 日期应为 YYYY-MM-DD，实际为 '15.11.2022'"),
        ("[deadline]\npolicy = 'fixed'\nfixed = '2022-11-31'\n", 3, "deadline.fixed: 不存在的日期"),
        ("[deadline]\npolicy = 'whenever'\n", 2, "deadline.policy: 应为 none, end_of_year, fixed 之一"),
        ("[status.labels]\nfinished = '完成'\n", 2, "finished: 未知状态代码"),
        ("colour = 'red'\n", 1, "colour: 未知设置项"),
        ("[units.groups.'各街镇']\nkind = 'town'\nmembers = []\n", 3, "members: 应为非空的单位名称列表"),
    ],
)
def test_broken_config_is_one_line_with_file_line_and_key(tmp_path, text, line, needle):
    path = _write(tmp_path / "broken.toml", text)
    with pytest.raises(ConfigError) as err:
        parse_config(path.read_bytes(), path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: ")
    assert needle in message


def test_missing_explicit_config_is_an_error(tmp_path):
    with pytest.raises(ConfigError, match="找不到"):
        load_config(tmp_path / "nope.toml")


def test_write_then_read_round_trips(tmp_path):
    cfg = load_config(REPO / "config.toml")
    out = tmp_path / "sub" / "config.toml"
    write_config(cfg, out)
    again = load_config(out)
    assert again.groups == cfg.groups
    assert again.aliases == cfg.aliases
    assert again.known_units == cfg.known_units
    assert again.status_labels == cfg.status_labels
    assert again.deadline_policy == cfg.deadline_policy
