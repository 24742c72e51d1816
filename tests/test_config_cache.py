"""config.toml as tomllib read it, kept between runs (tracker/config_cache.py): used only for the same bytes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker import config, config_cache
from tracker.config import ConfigError, parse_config

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def cache_home(monkeypatch, tmp_path) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(home))
    return home


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """Every text tomllib is asked to read."""
    seen: list[str] = []
    real = config._read_toml

    def counted(text: str, path: Path):
        seen.append(text)
        return real(text, path)

    monkeypatch.setattr(config, "_read_toml", counted)
    return seen


def _file(tmp_path: Path, text: str) -> tuple[bytes, Path]:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path.read_bytes(), path


def test_the_same_bytes_are_read_once(cache_home, parses, tmp_path):
    data, path = _file(tmp_path, (REPO / "config.toml").read_text(encoding="utf-8"))
    first = parse_config(data, path)
    again = parse_config(data, path)
    assert again == first and len(parses) == 1
    assert (cache_home / "tracker" / "config.marshal").is_file()


def test_an_edited_file_is_read_afresh(cache_home, parses, tmp_path):
    data, path = _file(tmp_path, "due_soon_days = 7\n")
    assert parse_config(data, path).due_soon_days == 7
    data, path = _file(tmp_path, "due_soon_days = 9\n")  # same length, one byte changed
    assert parse_config(data, path).due_soon_days == 9
    assert len(parses) == 2


def test_a_file_with_toml_dates_is_not_kept_and_still_read(cache_home, parses, tmp_path):
    data, path = _file(tmp_path, "today = 2022-11-15\n")
    assert parse_config(data, path).today.isoformat() == "2022-11-15"
    assert parse_config(data, path).today.isoformat() == "2022-11-15"
    assert len(parses) == 2 and not (cache_home / "tracker" / "config.marshal").exists()


def test_a_setting_refused_from_the_cache_names_the_same_file_line_and_key(cache_home, parses, tmp_path):
    data, path = _file(tmp_path, "user = '科员'\ndue_soon_days = 'seven'\n")
    messages = []
    for _ in range(2):
        with pytest.raises(ConfigError) as err:
            parse_config(data, path)
        messages.append(str(err.value))
    assert len(parses) == 1  # the TOML itself was fine: kept; the check runs on every read
    assert messages[0] == messages[1] == f"{path}:2: due_soon_days: 应为 int，实际为 str 'seven'"


@pytest.mark.parametrize("cache_bytes", [b"", b"\x00garbage", None])
def test_a_torn_or_foreign_cache_file_is_ignored(cache_home, parses, tmp_path, cache_bytes):
    data, path = _file(tmp_path, "due_soon_days = 5\n")
    parse_config(data, path)
    cache = cache_home / "tracker" / "config.marshal"
    cache.write_bytes(cache.read_bytes()[:-3] if cache_bytes is None else cache_bytes)
    assert parse_config(data, path).due_soon_days == 5
    assert len(parses) == 2


def test_no_cache_directory_only_costs_the_parse(monkeypatch, parses, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))  # the cache directory cannot be made
    data, path = _file(tmp_path, "due_soon_days = 3\n")
    assert [parse_config(data, path).due_soon_days for _ in range(2)] == [3, 3]
    assert len(parses) == 2 and blocker.read_text() == ""
    assert config_cache.cached_toml(data) is None


def test_the_second_command_does_not_import_tomllib(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DB", "TRACKER_CONFIG", "COLUMNS")}
    env["XDG_CACHE_HOME"] = str(tmp_path / "cache")
    code = ("import sys, io\nfrom tracker.cli import main\nout, sys.stdout = sys.stdout, io.StringIO()\n"
            f"rc = main(['--db', {str(tmp_path / 't.db')!r}, '--today', '2022-12-01', 'list'])\nsys.stdout = out\n"
            "print(rc, 'tomllib' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env,
                           timeout=60) for _ in range(2)]
    assert [r.stdout.split()[-2:] for r in runs] == [["0", "True"], ["0", "False"]], runs[-1].stderr
