"""Entry points of the importer (implementation in progress)."""

from __future__ import annotations

from pathlib import Path

from tracker.config import Config
from tracker.ingest.model import IngestError, ParsedDocument


def parse_bytes(data: bytes, path: str, config: Config) -> ParsedDocument:
    raise IngestError(path, "importer not implemented yet")


def parse_file(path: str | Path, config: Config) -> ParsedDocument:
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise IngestError(str(path), f"cannot read file: {exc.strerror or exc}") from None
    return parse_bytes(data, str(path), config)
