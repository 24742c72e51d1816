"""Text → ParsedDocument. No database, no Textual."""

from tracker.ingest.model import (
    IngestError,
    ParsedDocument,
    ParsedMeasure,
    ParsedTarget,
    ParsedUnit,
    ParseWarning,
)
from tracker.ingest.reader import parse_bytes, parse_file

__all__ = [
    "IngestError",
    "ParseWarning",
    "ParsedDocument",
    "ParsedMeasure",
    "ParsedTarget",
    "ParsedUnit",
    "parse_bytes",
    "parse_file",
]
