"""The command line and the Excel 台账 show stored (UTC) times on the machine's clock, as the app and the
reports do. In Beijing (the POSIX zone ``CST-8``) an update at 23:30 UTC on 30 November was made at 07:30 on
1 December: ``list``, ``show``, ``extend --list`` and ``verify --list`` say 12-01, and no line says "UTC"."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from tracker.ingest.formats.ledger_layout import COL

STORED = "2022-11-30 23:30:00.000000"  # as SQLite holds it: naive UTC text



@pytest.fixture
def wide(monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # no column of the task list shortened


def _stamp(engine, *statements: str) -> None:
    with engine.begin() as conn:
        for statement in statements:
            conn.execute(text(statement), {"at": STORED})


def _line(out: str, start: str) -> str:
    found = [line for line in out.splitlines() if line.strip().startswith(start)]
    assert len(found) == 1, out
    return found[0]


def test_list_shows_the_local_day_of_an_update(beijing, wide, run, loaded_db):
    _stamp(loaded_db, "UPDATE task SET updated_at = :at WHERE id = 1")
    code, out, err = run("list", "--unit", "区人力资源社会保障局")
    assert code == 0, err
    row = _line(out, "1 ")
    assert "2022-12-01 导入员" in row and "2022-11-30" not in row


def test_show_gives_local_times_without_utc(beijing, run, loaded_db):
    assert run("note", "1", "资金已拨付")[0] == 0
    _stamp(loaded_db, "UPDATE task SET updated_at = :at WHERE id = 1", "UPDATE taskevent SET at = :at WHERE task_id = 1")
    code, out, err = run("show", "1")
    assert code == 0, err
    assert "更新：2022-12-01 07:30" in out
    assert "UTC" not in out and "2022-11-30" not in out
    assert "分配给 区人力资源社会保障局" in _line(out, "2022-12-01 07:30 导入员：")
    assert "进展 — 资金已拨付" in out


def test_the_cycle_lists_and_show_give_local_times(beijing, run, loaded_db):
    assert run("extend", "14", "2022-12-31", "--reason", "资金下月到位")[0] == 0
    assert run("set", "1", "review")[0] == 0
    assert run("evidence", "1", "https://example.org/a.pdf")[0] == 0
    _stamp(loaded_db, "UPDATE extension_request SET requested_at = :at", "UPDATE evidence SET added_at = :at",
           "UPDATE taskevent SET at = :at", "UPDATE task SET updated_at = :at")
    for command, start in (("extend", "14"), ("verify", "1")):
        code, out, err = run(command, "--list")
        assert code == 0, err
        row = _line(out, start)
        assert "2022-12-01 07:30" in row and "2022-11-30" not in row
    _, out, _ = run("show", "14")
    assert "2022-12-31，理由：资金下月到位；待审批" in _line(out, "2022-12-01 root：2022-10-31 →")  # the request
    assert "2022-11-30" not in out
    _, out, _ = run("show", "1")
    assert "https://example.org/a.pdf — " in out and "2022-11-30" not in out
    assert _line(out, "https://example.org/a.pdf —").endswith("2022-12-01")


@pytest.mark.parametrize("name, local", [
    ("CST-8", datetime(2022, 12, 1, 7, 30)),
    ("UTC0", datetime(2022, 11, 30, 23, 30)),
    ("EST+5", datetime(2022, 11, 30, 18, 30)),
])
def test_the_ledger_updated_cell_is_local_time(zone, run, loaded_db, tmp_path, name, local):
    from openpyxl import load_workbook

    zone(name)
    _stamp(loaded_db, "UPDATE task SET updated_at = :at WHERE id = 1")
    path = tmp_path / "台账.xlsx"
    code, _, err = run("export", "-o", str(path))
    assert code == 0, err
    book = load_workbook(path)
    rows = [row for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) if row and row[0] == 1]
    assert len(rows) == 1
    assert rows[0][COL["更新时间"]] == local


@pytest.mark.parametrize("via_env", [False, True])
def test_a_today_beyond_the_calendar_says_the_date_does_not_exist(run, monkeypatch, via_env):
    if via_env:
        monkeypatch.setenv("TRACKER_TODAY", "2022-02-30")
        code, out, err = run("list", today=None)
    else:
        code, out, err = run("list", today="2022-02-30")
    assert code == 2 and out == ""
    assert "Traceback" not in err and err.count("\n") == 1
    assert err.startswith("tracker: ")
    assert ("TRACKER_TODAY" if via_env else "--today") in err
    assert "不存在的日期" in err and "2022-02-30" in err and "YYYY-MM-DD" not in err


@pytest.mark.parametrize("value", ["2022-02-3x", "yesterday", "2022-11"])
def test_a_today_not_written_as_a_date_still_asks_for_yyyy_mm_dd(run, value):
    code, out, err = run("list", today=value)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert "--today：日期应为 YYYY-MM-DD" in err


def test_a_naive_stored_time_is_utc_not_local(beijing):
    from tracker.dates import local_day, local_minute, local_time

    naive = datetime(2022, 11, 30, 23, 30)
    assert local_time(naive) == naive.replace(tzinfo=UTC)
    assert local_minute(naive) == local_minute(naive.replace(tzinfo=UTC)) == "2022-12-01 07:30"
    assert local_day(naive).isoformat() == "2022-12-01"
