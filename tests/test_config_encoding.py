"""The configuration file's encoding: UTF-8, with or without the byte-order mark Windows editors write."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.config import ConfigError, parse_config

TEXT = 'user = "督办科"\ndue_soon_days = 7\n[units.aliases]\n"区文旅局" = "区文化旅游局"\n'


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"])
def test_utf8_with_or_without_a_byte_order_mark(tmp_path: Path, prefix: bytes):
    path = tmp_path / "config.toml"
    cfg = parse_config(prefix + TEXT.encode(), path)
    assert (cfg.user, cfg.due_soon_days, dict(cfg.aliases)) == ("督办科", 7, {"区文旅局": "区文化旅游局"})


def test_only_one_byte_order_mark_is_dropped(tmp_path: Path):
    """A second mark is text (as the utf-8-sig codec reads it): a TOML error, not a silently accepted file."""
    with pytest.raises(ConfigError, match="TOML"):
        parse_config(b"\xef\xbb\xbf\xef\xbb\xbf" + TEXT.encode(), tmp_path / "config.toml")


@pytest.mark.parametrize("data", [b"user = \"\xff\"\n", "user = \"督办\"\n".encode("gb18030")])
def test_other_encodings_are_refused_in_one_line(tmp_path: Path, data: bytes):
    with pytest.raises(ConfigError, match="不是 UTF-8 文本"):
        parse_config(data, tmp_path / "config.toml")
