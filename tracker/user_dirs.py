"""Where tracker keeps a user's settings, database and cache when nothing names them: platformdirs' answer.

On Linux that answer is the XDG base directories (``$XDG_CONFIG_HOME/tracker``, else ``~/.config/tracker``;
``$XDG_DATA_HOME/tracker``, else ``~/.local/share/tracker``; the cache's likewise), worked out here without importing platformdirs:
its import (tempfile, shutil and their compression modules, random) cost every command that finds no
``./config.toml`` or is given no ``--db`` ~8 ms of ~45 (docs/performance.md). Elsewhere (Windows, macOS,
Android) and wherever the home directory is not plain, platformdirs answers; a test checks both agree.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "tracker"


def user_config_dir() -> Path:
    return Path(_xdg_dir("XDG_CONFIG_HOME", ".config") or _platformdirs("user_config_dir"))


def user_data_dir() -> Path:
    return Path(_xdg_dir("XDG_DATA_HOME", ".local/share") or _platformdirs("user_data_dir"))


def user_cache_dir() -> Path:
    return Path(_xdg_dir("XDG_CACHE_HOME", ".cache") or _platformdirs("user_cache_dir"))


def _xdg_dir(variable: str, under_home: str) -> str | None:
    """platformdirs' Unix answer, or None where it would decide otherwise (another platform, Android, a home
    directory that is not an absolute path: it then asks the password database)."""
    if not sys.platform.startswith("linux") or hasattr(sys, "getandroidapilevel") or "ANDROID_DATA" in os.environ:
        return None
    given = os.environ.get(variable, "")
    if os.path.isabs(given):  # a relative or empty XDG variable is ignored, as the specification says
        return os.path.join(given, APP_NAME)
    home = os.environ.get("HOME")
    if not home or not os.path.isabs(home):
        return None
    return os.path.join(home, under_home, APP_NAME)


def _platformdirs(name: str) -> str:
    import platformdirs

    return getattr(platformdirs, name)(APP_NAME)
