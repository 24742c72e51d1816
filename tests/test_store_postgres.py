"""The store on both backends: a real PostgreSQL (the session's ``pgserver``) next to SQLite —
schema set-up and upgrades, the same answers, concurrent first runs, imports and writers, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from tests.conftest import REPO, SEEDS
from tests.store_data import run_together, sample_document
from tracker.store import queries as q
from tracker.store import schema
from tracker.store import services as s
from tracker.store import sql as fast
from tracker.store.engine import StoreError, make_engine, read_tx
from tracker.store.filters import TaskFilter

TODAY = date(2022, 11, 15)


def _version(url: str) -> list[str]:
    engine = make_engine(url, upgrade=False)
    try:
        with read_tx(engine) as conn:
            return [r[0] for r in conn.exec_driver_sql("SELECT version_num FROM alembic_version")]
    finally:
        engine.dispose()


# --------------------------------------------------------------------------- schema


def test_empty_database_is_initialised_and_then_left_alone(db_url, capsys):
    make_engine(db_url).dispose()
    assert _version(db_url) == [schema.code_head()]
    make_engine(db_url).dispose()
    assert capsys.readouterr().err == ""  # a first run is not an upgrade; a current database says nothing


def test_postgres_database_of_the_baseline_is_upgraded_with_its_data(pg_url, capsys):
    from tracker.store import migrate

    engine = make_engine(pg_url, upgrade=False)
    with engine.begin() as conn:  # the schema before migrations: the baseline's tables, no version
        migrate._alembic_upgrade(conn, "0001")
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.exec_driver_sql("INSERT INTO unit (id, name, kind) VALUES (1, '区财政局', 'agency')")
    engine.dispose()
    make_engine(pg_url).dispose()
    assert _version(pg_url) == [schema.code_head()]
    assert "升级到" in capsys.readouterr().err
    engine = make_engine(pg_url)
    with read_tx(engine) as conn:
        assert q.unit_names(conn) == ["区财政局"]
    engine.dispose()


def test_newer_postgres_database_is_refused(pg_url):
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    engine.dispose()
    with pytest.raises(StoreError, match="9999"):
        make_engine(pg_url)


# --------------------------------------------------------------------------- same answers


def _answers(conn) -> tuple:  # noqa: ANN001
    flt = TaskFilter()
    return (
        [(t.id, t.unit, t.status, t.due, t.updated_at) for t in fast.list_tasks(conn, flt, TODAY, sort="measure")],
        fast.count_tasks(conn, flt, TODAY),
        [(u.name, u.tasks, u.overdue) for u in fast.list_units(conn, TODAY)],
        [(d.title, d.tasks) for d in fast.list_documents(conn)],
    )


def test_plain_driver_reads_answer_like_sqlite(tmp_path, pg_url):
    answers = []
    for url in (f"sqlite:///{tmp_path / 'a.db'}", pg_url):
        engine = make_engine(url)
        s.import_document(engine, sample_document(), by="导入员")
        s.set_status(engine, 1, "doing", by="甲", note="已部署")
        with read_tx(engine) as conn:
            answers.append(_answers(conn))
        engine.dispose()
    plain = fast.open_postgres(pg_url)
    try:
        answers.append(_answers(plain))
    finally:
        plain.close()
    sqlite_side, pg_side, plain_side = answers
    assert sqlite_side[0][0][2] == "doing" and len(sqlite_side[0]) > 3
    assert pg_side[1:] == sqlite_side[1:] and plain_side[1:] == sqlite_side[1:]
    strip = lambda rows: [r[:4] for r in rows]  # noqa: E731 - update times differ between the two imports
    assert strip(pg_side[0]) == strip(sqlite_side[0]) == strip(plain_side[0])


def test_change_probe_moves_when_another_connection_writes(pg_url):
    from tracker.store.change_probe import ChangeProbe
    from tracker.store.database import open_postgres

    writer = make_engine(pg_url)
    s.import_document(writer, sample_document(), by="导入员")
    reader = open_postgres(pg_url)
    probe = ChangeProbe(reader)
    before = probe.token()
    assert probe.token() == before
    s.add_note(writer, 1, "新进展", by="乙")
    assert probe.token() != before
    reader.close()
    writer.dispose()


# --------------------------------------------------------------------------- several processes at once


def _first_run(url: str, start, errors) -> None:  # noqa: ANN001
    start.wait()
    try:
        make_engine(url).dispose()
    except Exception as exc:  # noqa: BLE001 - reported to the parent
        errors.put(f"{type(exc).__name__}: {exc}")


def _import(url: str, n: int, start, errors) -> None:  # noqa: ANN001
    from tests.conftest import build_document

    engine = make_engine(url)
    start.wait()
    try:  # different documents, all naming the same new units
        doc = build_document([("三（一）", [(f"新单位{k}", "lead" if k == 0 else "support", "agency") for k in range(6)],
                               date(2022, 12, 31))], path=f"{n}.txt", title=f"文件{n}", doc_number=f"测试〔2022〕{n}号")
        s.import_document(engine, doc, by=f"p{n}")
    except Exception as exc:  # noqa: BLE001
        errors.put(f"{type(exc).__name__}: {exc}")
    engine.dispose()


def _writer(url: str, n: int, start, errors) -> None:  # noqa: ANN001
    engine = make_engine(url)
    start.wait()
    try:
        for k in range(60):
            s.add_note(engine, 1 + k % 3, f"p{n}-{k}", by=f"p{n}")
    except Exception as exc:  # noqa: BLE001
        errors.put(f"{type(exc).__name__}: {exc}")
    engine.dispose()


def test_concurrent_first_runs_all_succeed(db_url):
    run_together(_first_run, db_url, 4, numbered=False)
    assert _version(db_url) == [schema.code_head()]


def test_concurrent_imports_sharing_new_units_all_succeed(db_url):
    make_engine(db_url).dispose()
    run_together(_import, db_url, 4)
    engine = make_engine(db_url)
    with read_tx(engine) as conn:
        assert len(q.list_documents(conn)) == 4
        assert sorted(q.unit_names(conn)) == [f"新单位{k}" for k in range(6)]
    engine.dispose()


def test_concurrent_writers_lose_nothing(db_url):
    engine = make_engine(db_url)
    s.import_document(engine, sample_document(), by="导入员")
    run_together(_writer, db_url, 4)
    with read_tx(engine) as conn:
        notes = [e for tid in (1, 2, 3) for e in q.task_history(conn, tid) if e.field == "note"]
        versions = [q.get_task(conn, tid).version for tid in (1, 2, 3)]
    engine.dispose()
    assert len(notes) == 4 * 60
    assert sum(v - 1 for v in versions) == 4 * 60


# --------------------------------------------------------------------------- command line and errors


def _cli(url: str, *argv: str) -> subprocess.CompletedProcess:
    code = ("import sys; from tracker.cli import main; sys.exit(main())")
    return subprocess.run([sys.executable, "-c", code, "--db", url, "--config", str(REPO / "config.toml"),
                           "--today", "2022-11-15", *argv], capture_output=True, text=True, cwd=REPO, timeout=120)


def _cli_here(capsys, url: str, *argv: str) -> tuple[int, str, str]:  # noqa: ANN001
    from tracker.cli import main

    code = main(["--db", url, "--config", str(REPO / "config.toml"), "--today", "2022-11-15", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_command_line_on_postgres_answers_like_sqlite(tmp_path, pg_url, isolated_env, capsys):
    seed = sorted(SEEDS.glob("002_*.txt"))[0]
    outputs = []
    for url in (f"sqlite:///{tmp_path / 'a.db'}", pg_url):
        assert _cli_here(capsys, url, "import", str(seed))[0] == 0
        code, _, err = _cli_here(capsys, url, "set", "1", "2", "doing", "--note", "已部署", "--by", "甲")
        assert code == 0, err
        code, out, err = _cli_here(capsys, url, "list", "--json", "--sort", "measure")
        assert code == 0, err
        outputs.append([{k: v for k, v in t.items() if k != "updated_at"} for t in json.loads(out)["tasks"]])
        for command in (["summary"], ["units"], ["show", "1"], ["export"], ["db", "check"]):
            code, _, err = _cli_here(capsys, url, *command)
            assert code == 0 and err == "", (command, err)
    assert len(outputs[0]) == 274 and outputs[0] == outputs[1]


def test_read_commands_on_postgres_need_no_sqlalchemy(pg_url):
    make_engine(pg_url).dispose()
    code = (
        "import sys; from tracker.cli import main; "
        f"rc = main(['--db', {pg_url!r}, '--today', '2022-11-15', 'list']); "
        "print(rc, sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "0 []", out.stderr


def test_server_errors_are_one_line_without_password_or_sql(pg_url):
    bad = pg_url.replace("postgres:@", "postgres:geheim@").replace("/t", "/missing_t", 1)
    result = _cli(bad, "list")
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "无法连接数据库" in lines[0]
    assert "geheim" not in result.stderr and "SELECT" not in result.stderr and "Traceback" not in result.stderr


def test_a_database_refusal_is_one_line_without_the_statement():
    from sqlalchemy.exc import IntegrityError

    from tracker.cli.errors import classify

    exc = IntegrityError("INSERT INTO unit (name, kind) VALUES (%(name)s, %(kind)s)", {"name": "区财政局"},
                         Exception('duplicate key value violates unique constraint "ix_unit_name"\nDETAIL: Key…'))
    code, message = classify(exc)
    assert code == 1
    assert message == '数据库错误：duplicate key value violates unique constraint "ix_unit_name"'
