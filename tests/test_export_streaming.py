"""``list --json`` and ``export`` write their rows as they read them, and write the same bytes as before.

The expected files (tests/fixtures/export/) were captured from the code that built every row in
memory first; see tests/export_goldens.py for the data and how to regenerate them.
"""

from __future__ import annotations

import pytest

from tests.export_goldens import CASES, GOLDEN, build_seed_db, office_parts, run_case

# the 台账 shows times on the machine's clock; the captured one was written in Beijing (UTC+8)
pytestmark = pytest.mark.usefixtures("beijing")


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    return build_seed_db(tmp_path_factory.mktemp("seeds") / "seeds.db")


@pytest.mark.parametrize("name, argv", CASES, ids=[c[0] for c in CASES])
def test_output_equals_the_captured_output(seed_db, tmp_path, name, argv):
    got = run_case(seed_db, name, argv, tmp_path)
    expected = (GOLDEN / name).read_bytes()
    if name.endswith((".xlsx", ".docx")):
        got_parts, expected_parts = office_parts(got), office_parts(expected)
        assert sorted(got_parts) == sorted(expected_parts)
        for part, data in expected_parts.items():
            assert got_parts[part] == data, part
    else:
        assert got.decode("utf-8") == expected.decode("utf-8")


# ---------------------------------------------------------------- rows straight from the database


def test_task_json_equals_the_row_dataclass_json(seed_db, today):
    """``list --json`` writes each row from the database values; the dataclass's JSON is the reference."""
    from tracker.cli.listing import TaskJson
    from tracker.store import sql
    from tracker.store.engine import make_engine, read_tx
    from tracker.store.filters import TaskFilter

    every = TaskFilter(include_archived=True)
    bare = sql.open_sqlite(seed_db)
    try:
        values = list(sql.iter_task_values(bare, every, today, sort="measure"))
        expected = [r.to_json(today) for r in sql.list_tasks(bare, every, today, sort="measure")]
    finally:
        bare.close()
    assert len(values) == len(expected) > 280
    assert [TaskJson(today)(v) for v in values] == expected
    engine = make_engine(f"sqlite:///{seed_db}")
    with read_tx(engine) as conn:  # the same through SQLAlchemy's connection
        assert [TaskJson(today)(v) for v in sql.iter_task_values(conn, every, today, sort="measure")] == expected
    engine.dispose()


@pytest.mark.parametrize("stored", [
    "2022-11-15 09:30:00.000000", "2022-11-15 09:30:00.000120", "2022-01-02 00:00:59.999999",
    "2022-11-15 09:30:00", "2022-11-15T09:30:00+08:00", "2022-11-15 09:30:00.5+00:00",
])
def test_stored_time_text_reads_as_the_parsed_time(stored):
    from tracker.cli.listing import utc_iso
    from tracker.store.sql import as_utc

    assert utc_iso(stored) == as_utc(stored).isoformat()


def test_time_values_from_other_databases_read_the_same():
    from datetime import datetime, timedelta, timezone

    from tracker.cli.listing import utc_iso

    moment = datetime(2022, 11, 15, 17, 30, tzinfo=timezone(timedelta(hours=8)))
    assert utc_iso(moment) == "2022-11-15T09:30:00+00:00"
    assert utc_iso(datetime(2022, 11, 15, 9, 30, 0, 7)) == "2022-11-15T09:30:00.000007+00:00"


# ---------------------------------------------------------------- written as read


def test_json_list_is_written_while_the_rows_are_read(capsys):
    """Each element reaches the output before the next one is asked for (nothing is collected)."""
    import io
    import sys

    from tracker.cli.render import print_json

    written_before: list[int] = []
    out = io.StringIO()

    def rows():
        for i in range(5):
            written_before.append(out.getvalue().count('{"n"'))
            yield {"n": i}

    saved, sys.stdout = sys.stdout, out
    try:
        print_json({"a": 1, "tasks": rows(), "empty": iter(())})
    finally:
        sys.stdout = saved
    assert written_before == [0, 1, 2, 3, 4]
    assert out.getvalue() == '{\n  "a": 1,\n  "tasks": [\n' + ",\n".join(f'    {{"n": {i}}}' for i in range(5)) + \
        '\n  ],\n  "empty": []\n}\n'


def test_list_json_and_export_never_build_the_task_list(seed_db, tmp_path, monkeypatch):
    """The streaming commands must not fall back to ``list_tasks`` (a list of every row)."""
    from tracker.store import sql

    def refuse(*_args, **_kwargs):
        raise AssertionError("list_tasks holds every row")

    from tracker.store import queries

    monkeypatch.setattr(sql, "list_tasks", refuse)
    monkeypatch.setattr(queries, "list_tasks", refuse)  # the name the reports used to read
    for name, argv in CASES:
        if "--limit" not in argv:
            run_case(seed_db, name, argv, tmp_path)


def test_report_lines_are_joined_like_the_whole_text():
    from tracker.report.markdown import MarkdownOut

    for lines in (["", "a", "", "", "b", "", ""], ["a"], [], ["", ""], ["x", "y\nz", ""]):
        parts: list[str] = []
        out = MarkdownOut(parts.append)
        for line in lines:
            out(line)
        out.close()
        assert "".join(parts) == "\n".join(lines).rstrip("\n") + "\n"


def test_export_on_sqlite_needs_neither_sqlalchemy_nor_sqlmodel(seed_db, tmp_path):
    """A million-task export must fit in 60 MiB: the ORM's import alone takes most of that."""
    import subprocess
    import sys

    code = (
        "import sys, io\nfrom tracker.cli import main\nout = sys.stdout\n"
        f"for argv in (['export'], ['export', '--by', 'unit'], ['export', '-o', {str(tmp_path / 'l.xlsx')!r}]):\n"
        "    sys.stdout = io.StringIO()\n"
        f"    assert main(['--db', {str(seed_db)!r}, '--today', '2022-11-15', *argv]) == 0\n"
        "sys.stdout = out\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic', 'textual'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("flt", [
    {}, {"include_archived": True}, {"statuses": ("doing", "review")}, {"overdue": True}, {"units": ("区财政局",)},
    {"document_id": 3}, {"due_within": 30},
])
def test_counts_per_kind_from_the_index_equal_the_grouped_counts(seed_db, today, flt):
    """``summary``'s cheaper per-kind count gives what ``count_by(("kind",))`` gives."""
    from tracker.store import sql
    from tracker.store.filters import TaskFilter
    from tracker.store.progress_sql import count_by_kind

    conn = sql.open_sqlite(seed_db)
    try:
        f = TaskFilter(**flt)
        expected = {key[0]: c for key, c in sql.count_by(conn, ("kind",), f, today, 14).items()}
        assert count_by_kind(conn, f, today, 14) == expected
        if not flt:
            assert sum(expected.values(), sql.Counts()).total > 280
    finally:
        conn.close()
