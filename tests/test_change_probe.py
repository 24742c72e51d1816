"""The app's change poll: notices another connection's write, and costs O(1) whatever the size."""

from __future__ import annotations

import sqlite3

from tests.store_data import sample_document
from tracker.store import services as s
from tracker.store.change_probe import _MAXIMA, ChangeProbe
from tracker.store.database import open_sqlite
from tracker.store.engine import make_engine


def _database(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'poll.db'}")
    s.import_document(engine, sample_document(), by="tester")
    engine.dispose()
    return open_sqlite(tmp_path / "poll.db")


def test_data_version_moves_when_another_connection_commits(tmp_path):
    db = _database(tmp_path)
    probe = ChangeProbe(db)
    first = probe.token()
    assert probe.token() == first  # nothing written: nothing to reload
    other = sqlite3.connect(tmp_path / "poll.db")  # another process's connection, no engine involved
    with other:
        other.execute("UPDATE task SET note = '外部修改' WHERE id = (SELECT MIN(id) FROM task)")
    other.close()
    second = probe.token()
    assert second != first
    s.add_note(db, 1, "再改", by="tester")  # this process's own writes go through the database's connections
    assert probe.token() != second
    probe.close()
    db.close()


def test_a_tick_reads_no_table(tmp_path):
    db = _database(tmp_path)
    probe = ChangeProbe(db)
    probe.token()
    issued: list[str] = []
    probe._conn.set_trace_callback(issued.append)
    probe.token()
    assert issued == ["PRAGMA data_version"]
    probe.close()
    db.close()


def test_other_databases_ask_indexes_only(tmp_path):
    """Without data_version (PostgreSQL), the probe reads maxima that an index answers: no table scan."""
    db = _database(tmp_path)
    probe = ChangeProbe(db)
    probe._path = None  # as on a server database
    before = probe.token()
    with db.write_tx() as conn:
        conn.execute("UPDATE task SET updated_at = '2030-01-01 00:00:00.000000' WHERE id = 1")
    assert probe.token() != before
    db.close()
    raw = sqlite3.connect(tmp_path / "poll.db")
    plan = [r[3] for r in raw.execute("EXPLAIN QUERY PLAN " + _MAXIMA)]
    raw.close()
    assert plan and not any(step.startswith("SCAN") and step != "SCAN CONSTANT ROW" for step in plan), plan
