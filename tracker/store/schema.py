"""Which schema version a database has, compared with the code's, without Alembic (stdlib only).

Revisions live in ``tracker/store/migrations/versions`` as ``NNNN_name.py`` with the revision id
``NNNN``; the code's head is the highest number there. A database records its version in Alembic's
``alembic_version`` table (SQLite files also carry it in ``PRAGMA user_version``). Reading both is
one query, so opening a current database costs nothing and never imports Alembic.
"""

import re
import sqlite3
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

MIGRATIONS_DIR = Path(__file__).resolve().with_name("migrations")
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
# the tables of the first versioned schema: a database holding them but no version predates migrations
BASELINE_TABLES = frozenset({"document", "measure", "unit", "task", "taskevent", "target"})
LEGACY_MARKERS = frozenset({"document", "measure", "unit", "task"})
_REVISION_FILE = re.compile(r"^(\d{4})_\w+\.py$")

EMPTY, CURRENT, OLDER, LEGACY, NEWER, FOREIGN = "empty", "current", "older", "legacy", "newer", "foreign"


@lru_cache(maxsize=1)
def code_head() -> str:
    """The newest revision id the code ships (``"0001"``…)."""
    numbers = [m.group(1) for p in VERSIONS_DIR.iterdir() if (m := _REVISION_FILE.match(p.name))]
    return max(numbers)


class SchemaState(NamedTuple):
    kind: str  # one of EMPTY, CURRENT, OLDER, LEGACY, NEWER, FOREIGN
    version: str | None = None  # the database's revision, when it has one
    others: tuple[str, ...] = ()  # for FOREIGN: the tables found

    @property
    def needs_work(self) -> bool:
        return self.kind in (EMPTY, OLDER, LEGACY)

    @property
    def label(self) -> str:
        """The version as users see it: ``0000`` for a database made before migrations."""
        return self.version or "0000"


def classify(tables: set[str], version: str | None) -> SchemaState:
    """The state of a database from its table names and its ``alembic_version`` (if any)."""
    user_tables = {t for t in tables if not t.startswith(("sqlite_", "pg_"))}
    if version is not None:
        head = code_head()
        if version == head:
            return SchemaState(CURRENT, version)
        if version.isdigit() and len(version) == len(head):
            return SchemaState(OLDER if version < head else NEWER, version)
        return SchemaState(NEWER, version)  # a revision this code does not know
    if not user_tables:
        return SchemaState(EMPTY)
    if LEGACY_MARKERS <= user_tables:
        return SchemaState(LEGACY)
    return SchemaState(FOREIGN, others=tuple(sorted(user_tables)))


def sqlite_state(conn: sqlite3.Connection) -> SchemaState:
    """Read the state through a plain ``sqlite3`` connection (reads only: the file is left as it is)."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = None
    if "alembic_version" in tables:
        found = conn.execute("SELECT version_num FROM alembic_version").fetchall()
        version = found[0][0] if len(found) == 1 else None
        tables.discard("alembic_version")
        if version is None:
            return SchemaState(NEWER, "?")  # several heads or none: not something this code wrote
    return classify(tables, version)


def sqlite_file_state(path: Path, busy_timeout_ms: int = 10_000) -> SchemaState:
    """The state of a SQLite file; never creates or changes it. Raises ``sqlite3.DatabaseError`` for a
    file that is not a database."""
    if not path.exists() or path.stat().st_size == 0:
        return SchemaState(EMPTY)
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=busy_timeout_ms / 1000,
                           isolation_level=None)
    try:
        return sqlite_state(conn)
    finally:
        conn.close()


def newer_message(where: str, state: SchemaState) -> str:
    return (f"{where}：数据库结构版本 {state.version} 比本程序支持的 {code_head()} 新，"
            "请先升级 tracker 再打开（数据库未作改动）")


def foreign_message(where: str, state: SchemaState) -> str:
    shown = "、".join(state.others[:5]) + ("等" if len(state.others) > 5 else "")
    return f"{where}：不是 tracker 的数据库（其中的表：{shown}），未作任何改动"
