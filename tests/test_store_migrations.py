"""Schema versions: a database of an earlier build is upgraded with its data intact, a fresh one is
stamped, a newer or foreign one is refused untouched, and opening a current one changes nothing."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import REPO
from tracker.store import migrate, schema
from tracker.store.engine import StoreError, make_engine, read_tx

E25B5CC_DDL = REPO / "tests" / "fixtures" / "store" / "schema_e25b5cc.sql"


def old_database(path: Path, *, drop_index: str | None = None) -> Path:
    """A database as commit e25b5cc left it (create_all, no version), holding two tasks with history
    and a target with an actual value."""
    conn = sqlite3.connect(path)
    conn.executescript(E25B5CC_DDL.read_text(encoding="utf-8"))
    if drop_index:  # an even older build, before that index existed
        conn.execute(f"DROP INDEX {drop_index}")
    conn.executescript("""
        PRAGMA journal_mode = WAL;
        INSERT INTO document VALUES (1, '关于稳就业的实施意见', '青府规发〔2022〕4号', '青浦区人民政府', '2022-08-29',
                                     'seeds/002.txt', 'abc123', 1, '2022-09-01 08:00:00.000000');
        INSERT INTO unit VALUES (1, '区人力资源社会保障局', 'agency'), (2, '夏阳街道', 'town');
        INSERT INTO measure VALUES (1, 1, '三（一）', '三', '三、稳定就业岗位', '支持企业稳岗', '正文……', 1, 10,
                                    '2022-12-31', '2022年底前', 0);
        INSERT INTO task VALUES (1, 1, 1, 'lead', 'doing', '2022-12-31', '已召开推进会', '2022-09-01 08:00:00.000000',
                                 '2022-10-10 09:30:00.000000', '张三', 3),
                                (2, 1, 2, 'support', 'todo', '2022-12-31', '', '2022-09-01 08:00:00.000000',
                                 '2022-09-01 08:00:00.000000', '导入员', 1);
        INSERT INTO taskevent VALUES (1, 1, '2022-09-01 08:00:00.000000', '导入员', 'assign', NULL, '区人力资源社会保障局', ''),
                                     (2, 1, '2022-10-10 09:30:00.000000', '张三', 'status', 'todo', 'doing', '已召开推进会');
        INSERT INTO target VALUES (1, 1, '全区正规就业不少于40万人', '正规就业', '>=', 400000.0, '人', 2022,
                                   '2022-12-31', 385000.0, '2022-10-31');
    """)
    conn.commit()
    conn.close()
    return path


def sqlite_version(path: Path) -> tuple[list, int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("SELECT version_num FROM alembic_version")], conn.execute(
            "PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def test_database_of_commit_e25b5cc_is_upgraded_with_everything_intact(tmp_path, capsys, today):
    from tracker.store import queries as q
    from tracker.store.filters import TaskFilter

    db = old_database(tmp_path / "tracker.db", drop_index="ix_task_unit_status_due")
    engine = make_engine(f"sqlite:///{db}")
    try:
        with read_tx(engine) as conn:
            tasks = q.list_tasks(conn, TaskFilter(), today, sort="measure")
            history = q.task_history(conn, 1)
            targets = q.list_targets(conn)
    finally:
        engine.dispose()
    assert [(t.id, t.unit, t.status, t.note, t.version) for t in tasks] == [
        (1, "区人力资源社会保障局", "doing", "已召开推进会", 3), (2, "夏阳街道", "todo", "", 1)]
    assert [(e.field, e.old, e.new, e.by) for e in history][-1] == ("status", "todo", "doing", "张三")
    assert len(history) == 2
    assert [(t.actual, t.actual_at) for t in targets] == [(385000.0, date(2022, 10, 31))]
    # revision 0002: the figure held before becomes the first entry of the target's history
    assert [(f.value, f.as_of) for f in targets[0].history] == [(385000.0, date(2022, 10, 31))]
    assert sqlite_version(db) == ([schema.code_head()], int(schema.code_head()))
    # the index the older build lacked is there now
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ix_task_unit_status_due'").fetchone()
    conn.close()
    # a backup of the database as it was, beside it, and one line saying so
    backup = tmp_path / "tracker.db.bak-0000"
    old = sqlite3.connect(backup)
    assert old.execute("SELECT COUNT(*) FROM taskevent").fetchone() == (2,)
    assert old.execute("SELECT name FROM sqlite_master WHERE name = 'alembic_version'").fetchone() is None
    old.close()
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "升级到" in err[0] and "tracker.db.bak-0000" in err[0]


def test_upgrade_killed_midway_leaves_the_old_database_and_the_next_open_completes_it(tmp_path, monkeypatch):
    db = old_database(tmp_path / "tracker.db")
    real = migrate._alembic_upgrade

    def upgrade_then_die(conn):  # noqa: ANN001
        real(conn)
        raise KeyboardInterrupt  # stands for the process dying before the commit

    monkeypatch.setattr(migrate, "_alembic_upgrade", upgrade_then_die)
    with pytest.raises(KeyboardInterrupt):
        make_engine(f"sqlite:///{db}")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT name FROM sqlite_master WHERE name = 'alembic_version'").fetchone() is None
    assert conn.execute("SELECT COUNT(*) FROM task").fetchone() == (2,)
    conn.close()
    monkeypatch.setattr(migrate, "_alembic_upgrade", real)
    make_engine(f"sqlite:///{db}").dispose()
    assert sqlite_version(db)[0] == [schema.code_head()]


def test_fresh_database_is_stamped_without_alembic_and_current_one_is_opened_without_it(tmp_path):
    db = tmp_path / "fresh.db"
    code = (
        "import sys; from tracker.store.engine import make_engine; "
        f"make_engine({f'sqlite:///{db}'!r}).dispose(); "
        "print('alembic' in sys.modules)"
    )
    for _ in range(2):  # first: created; second: already current
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
        assert out.stdout.strip() == "False", out.stderr
        assert out.stderr == ""
    assert sqlite_version(db) == ([schema.code_head()], int(schema.code_head()))


def _schema_diff(url: str) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlmodel import SQLModel

    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                    SQLModel.metadata)
    finally:
        engine.dispose()


def test_revisions_bring_every_database_to_exactly_the_models(tmp_path):
    """Upgraded old databases and databases made from the models end up with one and the same schema
    (a new column in models.py without its revision fails here)."""
    fresh = tmp_path / "fresh.db"
    make_engine(f"sqlite:///{fresh}").dispose()
    old = old_database(tmp_path / "old.db")
    make_engine(f"sqlite:///{old}").dispose()
    from_nothing = tmp_path / "empty.db"
    engine = make_engine(f"sqlite:///{from_nothing}", upgrade=False)
    with engine.begin() as conn:
        migrate._alembic_upgrade(conn)
    engine.dispose()
    for db in (fresh, old, from_nothing):
        assert _schema_diff(f"sqlite:///{db}") == [], db.name


def test_revision_files_form_one_numbered_line():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(migrate.alembic_config())
    assert scripts.get_heads() == [schema.code_head()]
    ids = []
    for path in sorted(schema.VERSIONS_DIR.glob("[0-9]*.py")):
        text = path.read_text(encoding="utf-8")
        revision = re.search(r'^revision = "(\d{4})"', text, re.M).group(1)
        assert path.name.startswith(f"{revision}_")
        ids.append(revision)
    assert ids == [f"{n:04d}" for n in range(1, len(ids) + 1)]
    for rev in scripts.walk_revisions():
        expected = None if rev.revision == "0001" else f"{int(rev.revision) - 1:04d}"
        assert rev.down_revision == expected


def test_newer_database_is_refused_untouched(tmp_path):
    db = tmp_path / "tracker.db"
    make_engine(f"sqlite:///{db}").dispose()
    conn = sqlite3.connect(db)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with pytest.raises(StoreError, match="9999.*比本程序支持的.*新"):
        make_engine(f"sqlite:///{db}")
    assert db.read_bytes() == before


def foreign_database(path: Path) -> bytes:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE people (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO people VALUES (1, '张三')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_foreign_database_is_refused_untouched(tmp_path):
    db = tmp_path / "other.db"
    before = foreign_database(db)
    with pytest.raises(StoreError, match="不是 tracker 的数据库.*people"):
        make_engine(f"sqlite:///{db}")
    assert db.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal, no -shm: never switched to WAL


@pytest.mark.parametrize("command", ["list", "summary", "units", "show 1", "export"])
def test_read_commands_answer_at_once_on_foreign_and_empty_files(tmp_path, isolated_env, capsys, command):
    from tracker.cli import main

    foreign = tmp_path / "other.db"
    before = foreign_database(foreign)
    import time

    started = time.monotonic()
    code = main(["--db", str(foreign), "--today", "2022-11-15", *command.split()])
    err = capsys.readouterr().err
    assert time.monotonic() - started < 3
    assert code != 0 and "不是 tracker 的数据库" in err and "Traceback" not in err
    assert foreign.read_bytes() == before
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    started = time.monotonic()
    code = main(["--db", str(empty), "--today", "2022-11-15", "list"])
    assert time.monotonic() - started < 3
    assert code == 0, capsys.readouterr().err
    assert sqlite_version(empty)[0] == [schema.code_head()]


def test_concurrent_first_runs_create_the_schema_once(tmp_path):
    db = tmp_path / "tracker.db"
    code = f"from tracker.store.engine import make_engine; make_engine({f'sqlite:///{db}'!r}).dispose()"
    procs = [subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    errors = [p.communicate(timeout=60)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    assert sqlite_version(db)[0] == [schema.code_head()]
