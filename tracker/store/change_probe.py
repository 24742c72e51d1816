"""Has anything changed since the last look? Asked every two seconds by the app, so it must cost O(1).

SQLite: ``PRAGMA data_version`` on a connection kept for the purpose. It moves whenever another
connection (this process's writes included: they go through the database's other connections) or
another process commits; it reads no table. Elsewhere: the largest ids and update time, each from an index.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

# every write appends an event or adds rows; the update time catches a write that does neither
_MAXIMA = (
    "SELECT (SELECT MAX(id) FROM taskevent), (SELECT MAX(id) FROM task), (SELECT MAX(id) FROM measure), "
    "(SELECT MAX(id) FROM document), (SELECT MAX(updated_at) FROM task)"
)


class ChangeProbe:
    """``token()`` returns a value that differs from the previous one when the database changed."""

    def __init__(self, db: Any) -> None:
        self.db = db  # a tracker.store.database.DirectDatabase
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()
        self._path: Path | None = db.sqlite_path

    def token(self) -> tuple:
        if self._path is None:
            return self._maxima()
        with self._lock:
            if self._conn is None:
                uri = Path(self._path).resolve().as_uri() + "?mode=rw"  # never creates the file
                self._conn = sqlite3.connect(uri, uri=True, check_same_thread=False, isolation_level=None)
            return ("data_version", self._conn.execute("PRAGMA data_version").fetchone()[0])

    def _maxima(self) -> tuple:
        from tracker.store.sql import rows

        with self.db.read_tx() as conn:
            return tuple(rows(conn, _MAXIMA)[0])

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
