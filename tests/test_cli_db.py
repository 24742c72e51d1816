"""``tracker db upgrade|current|backup|check``."""

from __future__ import annotations

import sqlite3

from tests.conftest import REPO
from tests.test_store_migrations import old_database
from tracker.cli import main
from tracker.store.schema import code_head


def run(capsys, db, *argv):  # noqa: ANN001
    code = main(["--db", str(db), "--config", str(REPO / "config.toml"), "--today", "2022-11-15", *argv])
    out, err = capsys.readouterr()
    return code, out.strip(), err.strip()


def test_current_and_upgrade_of_an_old_database(tmp_path, isolated_env, capsys):
    db = old_database(tmp_path / "tracker.db")
    code, out, _ = run(capsys, db, "db", "current")
    assert code == 0 and out == f"数据库结构版本 0000，本程序为 {code_head()}：打开时自动升级（或运行 tracker db upgrade）"
    code, out, err = run(capsys, db, "db", "upgrade")
    assert code == 0 and out == f"数据库结构为最新版本 {code_head()}"
    assert "tracker.db.bak-0000" in err
    code, out, _ = run(capsys, db, "db", "current")
    assert out == f"数据库结构版本 {code_head()}（最新）"


def test_backup_is_a_complete_standalone_copy(tmp_path, isolated_env, capsys, loaded_db, tmp_db_path):
    dest = tmp_path / "copy.db"
    code, out, err = run(capsys, tmp_db_path, "db", "backup", str(dest))
    assert code == 0, err
    assert out == f"已备份到 {dest}"
    copy = sqlite3.connect(dest)
    assert copy.execute("SELECT COUNT(*) FROM task").fetchone() == (16,)
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    code, _, err = run(capsys, tmp_db_path, "db", "backup", str(dest))
    assert code == 2 and "已存在" in err
    code, out, _ = run(capsys, dest, "db", "check")
    assert code == 0 and out.startswith("正常")


def test_check_reports_a_dangling_reference_in_one_line(tmp_path, isolated_env, capsys, loaded_db, tmp_db_path):
    loaded_db.dispose()
    conn = sqlite3.connect(tmp_db_path)  # foreign keys are off in a plain connection
    conn.execute("UPDATE task SET unit_id = 9999 WHERE id = 3")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, tmp_db_path, "db", "check")
    assert code == 1
    assert out == "发现问题：外键：1 行引用了不存在的记录（task）"


def test_backup_of_a_server_database_points_to_pg_dump(isolated_env, capsys):
    code, _, err = run(capsys, "postgresql://tracker:geheim@127.0.0.1:1/tracker", "db", "backup", "x.db")
    assert code == 2 and "pg_dump" in err and "geheim" not in err
