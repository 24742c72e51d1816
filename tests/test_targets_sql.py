"""Targets with their figures read in plain SQL equal what the ORM reads, on a bare sqlite3 connection,
SQLAlchemy's, and PostgreSQL; ``tracker targets``/``actual`` start without SQLAlchemy."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.store_data import document, measure, unit
from tracker.ingest.model import ParsedTarget

REPO = Path(__file__).resolve().parent.parent


def _fill(url: str) -> None:
    from tracker.store.engine import make_engine
    from tracker.store.services import import_document, set_target_actual

    engine = make_engine(url)
    first = document([
        measure("三（一）", [unit("区人社局", "lead")], order=1, targets=[
            ParsedTarget("正规就业不少于40万人", ">=", 400000, "人", 2022, date(2022, 12, 31), "正规就业"),
            ParsedTarget("帮扶不少于910人", ">=", 910, "人", None, None, ""),
        ]),
        measure("三（二）", [unit("区经委", "lead")], order=2, targets=[
            ParsedTarget("比例大于80%", ">", 80, "%", 2023, date(2023, 6, 30), "比例"),
        ]),
    ], path="a.txt")
    second = document([
        measure("一（一）", [unit("区科委", "lead")], order=1, targets=[
            ParsedTarget("投入80亿元", ">=", 8e9, "元", 2022, date(2022, 12, 31), "投入"),
        ]),
    ], path="b.txt", number="测试〔2022〕2号")
    import_document(engine, first, by="t")
    import_document(engine, second, by="t")
    set_target_actual(engine, 1, 310000.0, date(2022, 9, 30), by="甲")
    set_target_actual(engine, 1, 380000.5, date(2022, 10, 31), by="乙")
    set_target_actual(engine, 1, 300000.0, date(2022, 8, 31), by="丙")  # back-dated
    set_target_actual(engine, 3, None, date(2022, 10, 31), by="甲")  # withdrawn
    set_target_actual(engine, 4, 2.5e9, date(2022, 11, 1))
    engine.dispose()


def _orm_targets(url: str) -> list[tuple]:
    """The oracle: every target and its figures as the ORM reads them."""
    from sqlalchemy import select
    from sqlmodel import Session

    from tracker.store.engine import make_engine
    from tracker.store.models import Measure, Target, TargetActual

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            found = []
            for t, m in session.exec(select(Target, Measure).join(Measure, Measure.id == Target.measure_id)
                                     .order_by(Measure.document_id, Measure.order, Target.id)):
                figures = session.exec(select(TargetActual).where(TargetActual.target_id == t.id)
                                       .order_by(TargetActual.as_of, TargetActual.id)).scalars().all()
                found.append((t.id, t.measure_id, m.code, m.document_id, t.phrase, t.label, t.comparator, t.value,
                              t.uom, t.year, t.due, t.actual, t.actual_at,
                              tuple((f.value, f.as_of, f.recorded_at, f.recorded_by) for f in figures)))
    finally:
        engine.dispose()
    return found


def _as_tuples(targets) -> list[tuple]:  # noqa: ANN001
    return [(t.id, t.measure_id, t.measure_code, t.document_id, t.phrase, t.label, t.comparator, t.value, t.uom,
             t.year, t.due, t.actual, t.actual_at,
             tuple((f.value, f.as_of, f.recorded_at, f.recorded_by) for f in t.history)) for t in targets]


def _check_all_filters(conn, expected: list[tuple]) -> None:  # noqa: ANN001
    from tracker.store.targets_sql import list_targets

    assert _as_tuples(list_targets(conn)) == expected
    assert _as_tuples(list_targets(conn, document_id=2)) == [t for t in expected if t[3] == 2]
    assert _as_tuples(list_targets(conn, measure_id=1)) == [t for t in expected if t[1] == 1]
    assert _as_tuples(list_targets(conn, target_id=1)) == [expected[0]]
    assert _as_tuples(list_targets(conn, document_id=1, measure_id=3)) == []


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_targets_in_sql_equal_the_orm_on_every_connection(backend, tmp_path, request):
    from tracker.store import sql
    from tracker.store.engine import make_engine, read_tx

    url = f"sqlite:///{tmp_path / 't.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    _fill(url)
    expected = _orm_targets(url)
    assert [len(t[-1]) for t in expected] == [3, 0, 1, 1]  # the data is what the checks need
    assert expected[0][11:13] == (380000.5, date(2022, 10, 31)) and expected[0][-1][0][1] == date(2022, 8, 31)
    engine = make_engine(url)
    try:
        with read_tx(engine) as conn:
            _check_all_filters(conn, expected)
    finally:
        engine.dispose()
    bare = sql.open_sqlite(tmp_path / "t.db") if backend == "sqlite" else sql.open_postgres(url)
    try:
        _check_all_filters(bare, expected)
    finally:
        bare.close()


def test_targets_and_actual_commands_need_no_sqlalchemy(tmp_path):
    db = tmp_path / "t.db"
    _fill(f"sqlite:///{db}")
    code = (
        "import sys, io, json\nfrom tracker.cli import main\nout = sys.stdout\n"
        "def run(*argv):\n"
        "    sys.stdout = io.StringIO()\n"
        f"    assert main(['--db', {str(db)!r}, '--today', '2022-12-01', *argv]) == 0\n"
        "    text, sys.stdout = sys.stdout.getvalue(), out\n"
        "    return text\n"
        "got = json.loads(run('actual', '2', '39万', '--as-of', '2022-11-30', '--json'))\n"
        "listed = json.loads(run('targets', '--json'))\n"
        "print(got['actual'], got['actual_at'], [f['value'] for f in got['history']], len(listed['targets']))\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-2:] == ["390000.0 2022-11-30 [390000.0] 4", "[]"]
