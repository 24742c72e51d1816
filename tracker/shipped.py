"""What tracker ships besides code: the seed documents and the default config (stdlib only).

In a wheel they are package data under ``tracker/_shipped/`` (see setup.py); in a checkout or an
editable install they are the repository's ``seeds/`` and ``config.toml``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _first(*candidates: Path) -> Path | None:
    return next((c for c in candidates if c.exists()), None)


def seeds_dir() -> Path | None:
    """The folder of the shipped seed documents, if this installation has them."""
    found = _first(_PACKAGE / "_shipped" / "seeds", _PACKAGE.parent / "seeds")
    return found if found is not None and found.is_dir() else None


def config_path() -> Path | None:
    """The shipped ``config.toml`` (the 11 街镇 of 青浦区, aliases, known units)."""
    found = _first(_PACKAGE / "_shipped" / "config.toml", _PACKAGE.parent / "config.toml")
    return found if found is not None and found.is_file() else None
