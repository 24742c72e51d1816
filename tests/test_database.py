"""DirectDatabase: the bare connections the app and the command line use, one per thread, on both backends."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from tests.store_data import sample_document
from tracker.store import queries as q
from tracker.store import services as s
from tracker.store.database import open_database
from tracker.store.engine import make_engine
from tracker.store.filters import TaskFilter
from tracker.store.sql import SchemaNotCurrent

TODAY = date(2022, 11, 15)


@pytest.fixture
def db(db_url):
    engine = make_engine(db_url)  # creates the schema, as a first run does
    s.import_document(engine, sample_document(), by="导入员")
    engine.dispose()
    database = open_database(db_url)
    yield database
    database.close()


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_worker_threads_read_while_the_main_thread_writes(db):
    """The app's shape: reads in worker threads, writes from another; each thread its own connection."""
    errors: list[BaseException] = []
    seen: list[int] = []

    def reader() -> None:
        try:
            for _ in range(20):
                with db.read_tx() as conn:
                    rows = q.list_tasks(conn, TaskFilter(), TODAY)
                    counts = q.count_tasks(conn, TaskFilter(), TODAY)
                    assert len(rows) == counts.total  # one snapshot for a list and its counts
                    seen.append(counts.doing)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    for t in threads:
        t.start()
    for tid in range(1, 9):
        s.set_status(db, tid, "doing", by="甲", note=f"第{tid}次")
    for t in threads:
        t.join()
    assert errors == []
    assert len(db._opened) == 4  # three readers and the writer, one connection each
    with db.read_tx() as conn:
        assert q.count_tasks(conn, TaskFilter(), TODAY).doing == 8
    assert len(seen) == 60  # every read finished


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_transactions_nest_only_for_reads(db):
    with db.write_tx() as conn:
        s.task_writes._apply(conn, 1, "甲", status="blocked")
        with db.read_tx() as inner:  # a read inside a write sees the write
            assert q.get_task(inner, 1).status == "blocked"
        with pytest.raises(RuntimeError, match="write_tx inside a transaction"), db.write_tx():
            pass
    with db.read_tx() as conn, pytest.raises(RuntimeError, match="write_tx inside a transaction"), db.write_tx():
        pass
    with db.read_tx() as conn:
        assert q.get_task(conn, 1).status == "blocked"  # the outer write committed


@pytest.mark.parametrize("db_url", ["sqlite", "postgres"], indirect=True)
def test_a_failed_write_leaves_nothing_and_the_connection_usable(db):
    with pytest.raises(s.ServiceError):
        s.set_status_many(db, [1, 2, 999], "doing", by="甲")
    with db.read_tx() as conn:
        assert [q.get_task(conn, t).status for t in (1, 2)] == ["todo", "todo"]
    assert s.set_status(db, 1, "doing", by="甲").event_ids


def test_an_empty_or_older_file_is_left_to_the_engine(tmp_path):
    (tmp_path / "empty.db").write_bytes(b"")
    with pytest.raises(SchemaNotCurrent):
        open_database(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(ValueError):
        open_database("sqlite://")  # in memory: nothing to open directly
