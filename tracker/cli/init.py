"""``tracker init``: write a config file (no database involved)."""

from __future__ import annotations

import argparse

from tracker.cli.errors import EXIT_OK, UsageError


def cmd_init(args: argparse.Namespace) -> int:
    """``tracker init [PATH] [--force]``: no database involved."""
    from pathlib import Path

    from tracker.config import (
        default_config,
        parse_config,
        shipped_config_text,
        write_config,
    )

    path = Path(args.path).expanduser()
    if path.is_dir():
        path = path / "config.toml"
    if path.exists() and not args.force:
        raise UsageError(f"{path}：已存在（加 --force 覆盖）")
    shipped = shipped_config_text()
    if shipped is not None:
        base = parse_config(shipped.encode("utf-8"), Path("config.toml"))
        # seeds_dir empty = the documents shipped with tracker
        base = base.replace(seeds_dir=None, source=None)
    else:
        base = default_config()
    write_config(base, path)
    print(f"已写入配置文件 {path}")
    return EXIT_OK
