"""``config.toml`` as tomllib read it, kept between runs: every command reads the settings, and importing
tomllib is ~3 ms of a ~40 ms command (docs/performance.md).

The cache keeps the file's exact bytes beside what tomllib made of them and is used only for the very same
bytes, so an edited file is always read afresh. Anything unexpected falls back to parsing: no cache directory
or no right to write it, a torn or foreign cache file, or values ``marshal`` cannot keep (TOML dates and times:
such a file is parsed every time). Only what parsed is kept; the checks that make a ``Config`` of it run on
every read, so their messages (file, line, key) are the same either way.
"""

from __future__ import annotations

import marshal
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from tracker.user_dirs import user_cache_dir

_FORMAT = 1  # raise when what is kept changes: an older cache file is then ignored


def _cache_file() -> Path:
    return user_cache_dir() / "config.marshal"


def cached_toml(data: bytes) -> dict[str, Any] | None:
    """What tomllib made of ``data`` the last time it was read, if it was these very bytes."""
    try:
        with open(_cache_file(), "rb") as cache:
            kept = marshal.load(cache)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if type(kept) is tuple and len(kept) == 3 and kept[0] == _FORMAT and kept[1] == data and type(kept[2]) is dict:
        return kept[2]
    return None


def keep_toml(data: bytes, raw: dict[str, Any]) -> None:
    """Remember ``raw`` as tomllib's reading of ``data`` (written whole, then renamed: a reader never sees half)."""
    try:
        blob = marshal.dumps((_FORMAT, data, raw))
    except ValueError:  # a date or time value
        return
    target = _cache_file()
    partial = target.with_name(f"{target.name}.{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(blob)
        os.replace(partial, target)
    except OSError:
        with suppress(OSError):  # nothing written, or nowhere to write it
            partial.unlink(missing_ok=True)
