"""Store services, queries and filters on a temporary SQLite file."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from tests.store_data import document, measure, sample_document, unit
from tracker.config import load_config
from tracker.store import queries as q
from tracker.store import services as s
from tracker.store.detail_rows import readable_history
from tracker.store.engine import StoreError, make_engine, read_tx, write_tx
from tracker.store.filters import TaskFilter
from tracker.store.sql import rows

TODAY = date(2022, 11, 15)


@pytest.fixture
def engine(tmp_path):
    return make_engine(f"sqlite:///{tmp_path / 'store.db'}")


@pytest.fixture
def loaded(engine):
    result = s.import_document(engine, sample_document(), by="tester")
    return engine, result


def tasks(engine, flt=TaskFilter(), sort="measure"):
    with read_tx(engine) as conn:
        return q.list_tasks(conn, flt, TODAY, sort=sort)


def task_of(engine, code, unit_name):
    return next(t for t in tasks(engine) if t.measure_code == code and t.unit == unit_name)


# ---------------------------------------------------------------- engine


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(engine):
    with read_tx(engine) as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_write_transactions_begin_immediate(engine):
    seen = []
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _spy(conn, cursor, statement, *args):
        seen.append(statement)

    s.import_document(engine, sample_document(), by="t")
    assert "BEGIN IMMEDIATE" in seen
    seen.clear()
    with read_tx(engine) as conn:
        q.count_tasks(conn, TaskFilter(), TODAY)
    assert "BEGIN" in seen and "BEGIN IMMEDIATE" not in seen


def test_timestamps_are_aware_utc(loaded):
    engine, _ = loaded
    row = tasks(engine)[0]
    assert row.updated_at.tzinfo is not None
    assert row.updated_at.utcoffset() == timedelta(0)


def test_unreadable_database_is_a_store_error(tmp_path):
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError):
        make_engine(f"sqlite:///{bad}")
    with pytest.raises(StoreError):
        make_engine(f"sqlite:///{tmp_path}")  # a directory


# ---------------------------------------------------------------- import


def test_import_creates_tasks_roles_units_and_targets(loaded):
    engine, result = loaded
    assert result.created and not result.unchanged
    assert result.tasks_added == 2 + 11 + 1 + 2
    rows = tasks(engine)
    leads = {t.measure_code: t.unit for t in rows if t.role == "lead"}
    assert leads == {"三（一）": "区人力资源社会保障局", "三（二）": "区经委", "四（一）": "各区属公司"}
    with read_tx(engine) as conn:
        kinds = {u.name: u.kind for u in q.list_units(conn, TODAY)}
        assert kinds["夏阳街道"] == "town" and kinds["各区属公司"] == "group"
        targets = q.list_targets(conn)
        assert [(t.measure_code, t.value, t.uom) for t in targets] == [("三（一）", 400000.0, "人")]
        # the context paragraph is kept but is not waiting for assignment
        assert [m.code for m in q.unassigned_measures(conn)] == []
        assert "二（一）" in [m.code for m in q.list_measures(conn, include_context=True)]


def test_reimporting_the_same_file_changes_nothing(loaded):
    engine, _ = loaded
    def state() -> list[tuple]:  # every write appends an event or adds rows
        with read_tx(engine) as conn:
            return rows(conn, "SELECT (SELECT MAX(id) FROM taskevent), (SELECT COUNT(*) FROM task), "
                              "(SELECT COUNT(*) FROM measure), (SELECT MAX(updated_at) FROM task)")

    before = state()
    again = s.import_document(engine, sample_document(), by="tester")
    assert again.unchanged and again.changes == 0
    assert state() == before


def test_reimporting_an_edited_file_keeps_statuses_and_history(loaded):
    engine, _ = loaded
    t = task_of(engine, "三（一）", "夏阳街道")
    s.set_status(engine, t.id, "doing", by="clerk", note="已排摸")
    edited = sample_document(version="v2")
    # measure 三（二） gets a new deadline and a support unit; a new measure appears
    edited.measures[2] = measure("三（二）", [unit("区经委", "lead"), unit("区商务委")], order=3, due=date(2022, 12, 15))
    edited.measures.append(measure("五（一）", [unit("区民政局", "lead")], order=5))
    result = s.import_document(engine, edited, by="tester")
    assert not result.created and not result.unchanged
    assert result.measures_added == ["五（一）"]
    assert result.measures_changed == ["三（二）"]
    assert result.tasks_added == 2  # 区商务委 on 三（二）, 区民政局 on 五（一）
    kept = task_of(engine, "三（一）", "夏阳街道")
    assert kept.id == t.id and kept.status == "doing" and kept.note == "已排摸"
    assert task_of(engine, "三（二）", "区经委").due == date(2022, 12, 15)
    with read_tx(engine) as conn:
        fields = [e.field for e in q.task_history(conn, t.id)]
    assert fields == ["assign", "status", "note"]  # imported, then changed; the re-import added nothing


def test_edited_file_missing_a_measure_keeps_it_and_reports_it(loaded):
    engine, _ = loaded
    edited = sample_document(version="v3")
    del edited.measures[3]
    result = s.import_document(engine, edited, by="tester")
    assert result.measures_missing == ["四（一）"]
    assert any(t.measure_code == "四（一）" for t in tasks(engine))


# ---------------------------------------------------------------- services


def test_set_status_with_note_writes_an_event_and_bumps_version(loaded):
    engine, _ = loaded
    t = task_of(engine, "三（二）", "区经委")
    change = s.set_status(engine, t.id, "done", by="王科长", note="已完成销号", expected_version=t.version)
    assert change.version == t.version + 1
    with read_tx(engine) as conn:
        row = q.get_task(conn, t.id)
        history = q.task_history(conn, t.id)
    assert (row.status, row.note, row.updated_by) == ("done", "已完成销号", "王科长")
    assert (history[0].field, history[0].new) == ("assign", "区经委")  # where the task came from
    assert [(e.field, e.old, e.new, e.note, e.by) for e in history[1:]] == [
        ("status", "todo", "done", "已完成销号", "王科长"),
        ("note", None, "已完成销号", "", "王科长"),  # the note change, kept for undo
    ]
    assert [e.field for e in readable_history(history)] == ["assign", "status"]  # shown once
    assert history[1].at.tzinfo is not None


def test_stale_write_is_refused_and_nothing_changes(loaded):
    engine, _ = loaded
    t = task_of(engine, "三（二）", "区经委")
    s.set_status(engine, t.id, "doing", by="a", note="first", expected_version=t.version)
    with pytest.raises(s.StaleWriteError) as err:
        s.set_status(engine, t.id, "done", by="b", note="second", expected_version=t.version)
    assert "请重新查看" in str(err.value) and err.value.by == "a"
    with read_tx(engine) as conn:
        row = q.get_task(conn, t.id)
        assert (row.status, row.note) == ("doing", "first")
        assert [e.field for e in q.task_history(conn, t.id)] == ["assign", "status", "note"]


def test_unknown_status_and_missing_task_are_service_errors(loaded):
    engine, _ = loaded
    t = tasks(engine)[0]
    with pytest.raises(s.ServiceError):
        s.set_status(engine, t.id, "finished", by="x")
    with pytest.raises(s.NotFoundError):
        s.set_status(engine, 999_999, "done", by="x")


def test_bulk_status_is_all_or_nothing(loaded):
    engine, _ = loaded
    rows = [t for t in tasks(engine) if t.measure_code == "三（一）"][:3]
    s.set_status(engine, rows[1].id, "blocked", by="other")  # rows[1] moves on
    versions = {t.id: t.version for t in rows}
    with pytest.raises(s.StaleWriteError):
        s.set_status_many(engine, [t.id for t in rows], "done", by="me", expected_versions=versions)
    after = {t.id: t.status for t in tasks(engine) if t.id in versions}
    assert after == {rows[0].id: "todo", rows[1].id: "blocked", rows[2].id: "todo"}
    fresh = {t.id: t.version for t in tasks(engine) if t.id in versions}
    changes = s.set_status_many(engine, list(fresh), "done", by="me", note="批量销号", expected_versions=fresh)
    assert len(changes) == 3 and all(t.status == "done" for t in tasks(engine) if t.id in versions)


def test_set_due_add_note_and_undo(loaded):
    engine, _ = loaded
    t = task_of(engine, "四（一）", "区科委")
    c1 = s.set_due(engine, t.id, date(2023, 3, 31), by="me", note="延期")
    s.add_note(engine, t.id, "已召开推进会", by="me")
    with read_tx(engine) as conn:
        row = q.get_task(conn, t.id)
    assert row.due == date(2023, 3, 31) and row.note == "已召开推进会"
    s.undo_event(engine, c1.event_ids[0], by="me")
    with read_tx(engine) as conn:
        assert q.get_task(conn, t.id).due == date(2022, 11, 20)
        assert [e.field for e in q.task_history(conn, t.id)] == ["assign", "due", "note", "due"]


def test_undo_refused_when_task_moved_on(loaded):
    engine, _ = loaded
    t = task_of(engine, "四（一）", "区科委")
    c1 = s.set_status(engine, t.id, "doing", by="me")
    s.set_status(engine, t.id, "done", by="other")
    with pytest.raises(s.StaleWriteError):
        s.undo_event(engine, c1.event_ids[0], by="me")
    assert task_of(engine, "四（一）", "区科委").status == "done"


def test_assign_expands_groups_and_sets_one_lead(engine):
    config = load_config()
    s.import_document(engine, document([measure("一（一）", [], order=1)], number=None, path="news.txt"), by="t")
    with read_tx(engine) as conn:
        waiting = q.unassigned_measures(conn)
    assert [m.code for m in waiting] == ["一（一）"]
    mid = waiting[0].id
    s.assign(engine, mid, ["区人社局", "各街镇"], by="me", config=config)
    rows = [t for t in tasks(engine) if t.measure_id == mid]
    assert len(rows) == 12
    assert [t.unit for t in rows if t.role == "lead"] == ["区人力资源社会保障局"]  # alias applied
    s.assign(engine, mid, ["区财政局"], by="me", lead="区财政局", config=config)
    rows = [t for t in tasks(engine) if t.measure_id == mid]
    assert [t.unit for t in rows if t.role == "lead"] == ["区财政局"]
    with read_tx(engine) as conn:
        assert q.unassigned_measures(conn) == []
    removed = s.unassign(engine, mid, "夏阳街道", by="me", config=config)
    assert removed not in [t.id for t in tasks(engine)]


# ---------------------------------------------------------------- filters and queries


def test_filters_combine(loaded):
    engine, _ = loaded
    s.set_status(engine, task_of(engine, "三（一）", "夏阳街道").id, "doing", by="x", note="排摸中")
    s.set_status(engine, task_of(engine, "三（二）", "区经委").id, "done", by="x")

    def codes(flt):
        return sorted((t.measure_code, t.unit) for t in tasks(engine, flt))

    assert len(tasks(engine, TaskFilter(unit_kinds=("town",)))) == 11
    assert codes(TaskFilter(units=("区经委",))) == [("三（二）", "区经委")]
    assert codes(TaskFilter(statuses=("doing",))) == [("三（一）", "夏阳街道")]
    assert codes(TaskFilter(text="排摸")) == [("三（一）", "夏阳街道")]
    assert codes(TaskFilter(text="各区属")) == [("四（一）", "各区属公司")]
    assert len(tasks(engine, TaskFilter(chapter="三"))) == 14
    assert len(tasks(engine, TaskFilter(measure="三（一）", unit_kinds=("agency",)))) == 2
    # 三（二） was due 2022-10-31 but is done: not overdue; nothing else is late on 2022-11-15
    assert tasks(engine, TaskFilter(overdue=True)) == []
    # 四（一） is due 2022-11-20: within 7 days
    assert {t.measure_code for t in tasks(engine, TaskFilter(due_within=7))} == {"四（一）"}
    assert tasks(engine, TaskFilter(role="lead", unit_kinds=("group",)))[0].unit == "各区属公司"


def test_text_filter_escapes_like_wildcards(loaded):
    engine, _ = loaded
    assert tasks(engine, TaskFilter(text="%")) == []
    assert tasks(engine, TaskFilter(text="_")) == []


def test_overdue_and_stale_filters(loaded):
    engine, _ = loaded
    late_day = date(2022, 11, 25)
    with read_tx(engine) as conn:
        overdue = q.list_tasks(conn, TaskFilter(overdue=True), late_day)
        counts = q.count_tasks(conn, TaskFilter(), late_day, due_soon_days=40)
    assert {t.measure_code for t in overdue} == {"三（二）", "四（一）"}
    assert counts.overdue == 3 and counts.due_soon == 13
    # every task was written "now" (the real clock); seen from 30 days later they are stale
    future = datetime.now(timezone.utc).date() + timedelta(days=30)
    with read_tx(engine) as conn:
        assert len(q.list_tasks(conn, TaskFilter(stale_days=10), future)) == 16
        assert q.list_tasks(conn, TaskFilter(stale_days=60), future) == []


def test_late_sort_puts_overdue_first(loaded):
    engine, _ = loaded
    with read_tx(engine) as conn:
        rows = q.list_tasks(conn, TaskFilter(), date(2022, 11, 1), sort="late")
    assert rows[0].measure_code == "三（二）" and rows[0].is_overdue(date(2022, 11, 1))


def test_progress_groupings_add_up(loaded):
    engine, _ = loaded
    s.set_status(engine, task_of(engine, "三（一）", "白鹤镇").id, "done", by="x")
    with read_tx(engine) as conn:
        by_unit = {g.key: g.counts for g in q.progress_by_unit(conn, TaskFilter(), TODAY)}
        by_chapter = {g.key: g.counts for g in q.progress_by_chapter(conn, TaskFilter(), TODAY)}
        by_measure = {g.key: g.counts for g in q.progress_by_measure(conn, TaskFilter(), TODAY)}
        total = q.count_tasks(conn, TaskFilter(), TODAY)
    assert by_unit["白鹤镇"].done == 1 and by_unit["区人力资源社会保障局"].total == 1
    assert sum(c.total for c in by_chapter.values()) == total.total == 16
    assert by_chapter["三"].total == 14 and by_chapter["三"].done == 1
    assert by_measure["三（一）"].total == 13


def test_matrix_cells_match_tasks(loaded):
    engine, _ = loaded
    with read_tx(engine) as conn:
        matrix = q.responsibility_matrix(conn, TaskFilter(), TODAY)
    assert len(matrix.cells) == 16 and len(matrix.measures) == 3
    assert matrix.units[0][2] == "town"  # the one unit order: 街镇 first (tracker.store.ordering)
    lead_cells = [c for c in matrix.cells.values() if c.role == "lead"]
    assert len(lead_cells) == 3


def test_filter_describe_reads_as_a_sentence():
    flt = TaskFilter(units=("夏阳街道",), statuses=("doing", "blocked"), overdue=True, text="就业")
    sentence = flt.describe({"doing": "推进中", "blocked": "受阻"})
    assert sentence == "单位：夏阳街道 · 状态：推进中、受阻 · 已逾期 · 含“就业”"
    assert TaskFilter().describe() == "全部任务"
    assert flt.replace(text=None).describe().endswith("已逾期")


def test_foreign_keys_are_enforced(loaded):
    engine, _ = loaded
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        with write_tx(engine) as conn:
            conn.execute(text("INSERT INTO task (measure_id, unit_id, role, status, note, created_at, updated_at, "
                              "updated_by, version) VALUES (9999, 9999, 'lead', 'todo', '', '2022-01-01', "
                              "'2022-01-01', '', 1)"))


def test_engine_creates_tables_in_a_fresh_interpreter(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from tracker.store.engine import make_engine, read_tx\n"
        "from sqlalchemy import text\n"
        f"e = make_engine('sqlite:///{tmp_path / 'fresh.db'}')\n"
        "with read_tx(e) as c: print(c.execute(text('select count(*) from task')).scalar())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "0"


def test_a_group_cannot_be_the_lead(engine):
    config = load_config()
    s.import_document(engine, document([measure("一（一）", [], order=1)], number=None, path="n.txt"), by="t")
    with read_tx(engine) as conn:
        mid = q.unassigned_measures(conn)[0].id
    with pytest.raises(s.ServiceError, match="单个单位"):
        s.assign(engine, mid, ["各街镇"], by="me", lead="各街镇", config=config)
    assert tasks(engine) == []


def test_within_a_measure_the_lead_comes_first_then_bureaus_then_towns(loaded):
    engine, _ = loaded
    for sort in ("due", "late", "measure"):
        rows = [t for t in tasks(engine, sort=sort) if t.measure_code == "三（一）"]
        assert rows[0].unit == "区人力资源社会保障局" and rows[0].role == "lead"
        assert rows[1].unit == "区财政局"
        assert [t.unit for t in rows[2:]] == list(load_config().groups["各街镇"].members)


def test_plain_sqlite3_reads_match_sqlalchemy(loaded, tmp_path):
    """The command line's fast path (bare sqlite3) returns exactly what the app's connection does."""
    from tracker.store import sql
    from tracker.store.engine import sqlite_path

    engine, _ = loaded
    s.set_status(engine, task_of(engine, "三（一）", "夏阳街道").id, "doing", by="x", note="排摸中")
    s.import_document(engine, document([measure("九（一）", [], order=1)], number=None, path="news.txt"), by="t")
    raw = sql.open_sqlite(sqlite_path(str(engine.url)))
    filters = [
        TaskFilter(), TaskFilter(overdue=True), TaskFilter(unit_kinds=("town",), statuses=("doing",)),
        TaskFilter(text="排摸"), TaskFilter(units=("区经委", "区科委"), due_within=10), TaskFilter(chapter="四"),
        TaskFilter(stale_days=0), TaskFilter(role="lead", document_id=1),
    ]
    late_day = date(2022, 11, 25)
    with read_tx(engine) as conn:
        for flt in filters:
            for sort in q.SORTS:
                assert sql.list_tasks(raw, flt, late_day, sort=sort) == q.list_tasks(conn, flt, late_day, sort=sort)
            assert sql.count_tasks(raw, flt, late_day, 7) == q.count_tasks(conn, flt, late_day, 7)
        assert sql.list_tasks(raw, TaskFilter(), late_day, limit=3, offset=2) == q.list_tasks(conn, TaskFilter(), late_day)[2:5]
        assert sql.list_units(raw, late_day) == q.list_units(conn, late_day)
        assert sql.list_documents(raw) == q.list_documents(conn)
        assert [m.code for m in sql.unassigned_measures(raw)] == ["九（一）"]
        assert sql.unassigned_measures(raw) == q.unassigned_measures(conn)
        grouped = sql.count_by(raw, ("document", "kind"), TaskFilter(), late_day)
        assert grouped == q.count_by(conn, ("document", "kind"), TaskFilter(), late_day)
        assert grouped[(1, "town")].total == 11 and grouped[(1, "town")].doing == 1
        assert sum(grouped.values(), sql.Counts()) == sql.count_tasks(raw, TaskFilter(), late_day)
        by_unit = sql.count_by(raw, ("unit",), TaskFilter(overdue=True), late_day)
        assert by_unit[("区经委",)].overdue == 1 and all(c.overdue == c.total for c in by_unit.values())
        assert sql.get_task(raw, 1) == q.get_task(conn, 1)
    raw.close()


def test_undoing_a_status_change_with_a_note_restores_the_previous_note(loaded):
    engine, _ = loaded
    t = task_of(engine, "三（二）", "区经委")
    s.add_note(engine, t.id, "已部署", by="a")
    change = s.set_status(engine, t.id, "blocked", by="b", note="资金未到位")
    assert len(change.event_ids) == 2
    for event_id in reversed(change.event_ids):  # what the app's undo does
        s.undo_event(engine, event_id, by="b")
    row = task_of(engine, "三（二）", "区经委")
    assert (row.status, row.note) == ("todo", "已部署")
