"""The supervision cycle's write services: 延期申请, 销号, 佐证材料, 督办 items and cadence, on the sample
database (tasks 1–13: 三（一） due 2022-12-31; 14: 区经委 on 三（二） due 2022-10-31, overdue on the frozen
today 2022-11-15; 15–16: 四（一） due 2022-11-20)."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.config import QINGPU_TOWNS
from tracker.store import cycle_reads, sql
from tracker.store.engine import read_tx
from tracker.store.filters import TaskFilter
from tracker.store.services import (
    ServiceError,
    StaleWriteError,
    add_note,
    set_status,
    set_status_many,
)
from tracker.store.services.cycle import (
    add_evidence,
    completion_status,
    decide_extension,
    request_extension,
    verify_task,
)
from tracker.store.services.errors import NotFoundError
from tracker.store.services.items import ADHOC_KIND, ADHOC_TITLE, add_item, set_cadence

OVERDUE_TASK = 14


def _task(engine, task_id):
    with read_tx(engine) as conn:
        return sql.get_task(conn, task_id)


def _events(engine, task_id):
    with read_tx(engine) as conn:
        return sql.rows(conn, "SELECT field, old, new, note FROM taskevent WHERE task_id = :t ORDER BY id",
                        {"t": task_id})


def _overdue_ids(engine, today):
    with read_tx(engine) as conn:
        return {t.id for t in sql.list_tasks(conn, TaskFilter(overdue=True), today)}


# --------------------------------------------------------------------------- 延期申请


def test_request_keeps_the_deadline_until_approved_then_moves_it(loaded_db, today):
    before = _task(loaded_db, OVERDUE_TASK)
    assert before.due == date(2022, 10, 31) and before.is_overdue(today)

    change = request_extension(loaded_db, OVERDUE_TASK, date(2022, 12, 31), reason="资金下月到位", by="区经委",
                               today=today, expected_version=before.version)
    asked = _task(loaded_db, OVERDUE_TASK)
    assert asked.due == date(2022, 10, 31)  # still the deadline in force
    assert OVERDUE_TASK in _overdue_ids(loaded_db, today)
    assert change.version == asked.version == before.version + 1
    with read_tx(loaded_db) as conn:
        pending = cycle_reads.pending_extensions(conn)
    assert [(p.task_id, p.requested_due, p.old_due, p.reason, p.requested_by) for p in pending] == [
        (OVERDUE_TASK, date(2022, 12, 31), date(2022, 10, 31), "资金下月到位", "区经委")]

    decided = decide_extension(loaded_db, OVERDUE_TASK, approve=True, note="同意", by="协调员",
                               expected_version=asked.version)
    after = _task(loaded_db, OVERDUE_TASK)
    assert after.due == date(2022, 12, 31)
    assert not after.is_overdue(today)
    assert OVERDUE_TASK not in _overdue_ids(loaded_db, today)
    assert decided.version == after.version == asked.version + 1
    assert _events(loaded_db, OVERDUE_TASK)[-3:] == [
        ("extend", "2022-10-31", "2022-12-31", "资金下月到位"),
        ("extend_decision", "pending", "approved", "同意"),
        ("due", "2022-10-31", "2022-12-31", "同意"),
    ]
    with read_tx(loaded_db) as conn:
        assert cycle_reads.pending_extensions(conn) == []
        (request,) = cycle_reads.task_extensions(conn, OVERDUE_TASK)
    assert (request.state, request.decided_by, request.decision_note) == ("approved", "协调员", "同意")


def test_reject_keeps_the_deadline_and_needs_a_note(loaded_db, today):
    request_extension(loaded_db, OVERDUE_TASK, date(2023, 1, 31), reason="人手不足", by="区经委", today=today)
    with pytest.raises(ServiceError, match="驳回"):
        decide_extension(loaded_db, OVERDUE_TASK, approve=False, note="  ", by="协调员")
    decide_extension(loaded_db, OVERDUE_TASK, approve=False, note="请按期完成", by="协调员")
    task = _task(loaded_db, OVERDUE_TASK)
    assert task.due == date(2022, 10, 31) and task.is_overdue(today)
    assert _events(loaded_db, OVERDUE_TASK)[-1] == ("extend_decision", "pending", "rejected", "请按期完成")
    with read_tx(loaded_db) as conn:
        assert [r.state for r in cycle_reads.task_extensions(conn, OVERDUE_TASK)] == ["rejected"]
    # once decided, a new request may be made
    request_extension(loaded_db, OVERDUE_TASK, date(2022, 12, 15), reason="补充材料后再申请", by="区经委", today=today)


def test_a_stale_approval_is_refused_and_changes_nothing(loaded_db, today):
    change = request_extension(loaded_db, 1, date(2023, 3, 31), reason="等待批复", by="区人社局", today=today)
    add_note(loaded_db, 1, "已上报请示", by="区人社局")  # the task moves on after the coordinator read it
    with pytest.raises(StaleWriteError):
        decide_extension(loaded_db, 1, approve=True, by="协调员", expected_version=change.version)
    assert _task(loaded_db, 1).due == date(2022, 12, 31)
    with read_tx(loaded_db) as conn:
        assert [p.task_id for p in cycle_reads.pending_extensions(conn)] == [1]


@pytest.mark.parametrize(("new_due", "message"), [
    (date(2022, 11, 15), "晚于今天"),
    (date(2022, 12, 31), "晚于现行截止日期"),
    (date(2022, 12, 1), "晚于现行截止日期"),
])
def test_request_dates_that_move_nothing_forward_are_refused(loaded_db, today, new_due, message):
    with pytest.raises(ServiceError, match=message):
        request_extension(loaded_db, 1, new_due, reason="理由", by="u", today=today)
    assert _events(loaded_db, 1)[-1][0] == "assign"  # nothing written


def test_request_refused_without_reason_twice_or_on_a_closed_task(loaded_db, today):
    with pytest.raises(ServiceError, match="理由"):
        request_extension(loaded_db, 1, date(2023, 3, 31), reason=" ", by="u", today=today)
    request_extension(loaded_db, 1, date(2023, 3, 31), reason="理由", by="u", today=today)
    with pytest.raises(ServiceError, match="已有待审批"):
        request_extension(loaded_db, 1, date(2023, 6, 30), reason="理由", by="u", today=today)
    set_status(loaded_db, 2, "done", by="u")
    with pytest.raises(ServiceError, match="不能申请延期"):
        request_extension(loaded_db, 2, date(2023, 3, 31), reason="理由", by="u", today=today)
    with pytest.raises(ServiceError, match="没有待审批"):
        decide_extension(loaded_db, 2, approve=True, by="协调员")
    with pytest.raises(NotFoundError):
        request_extension(loaded_db, 999, date(2023, 3, 31), reason="理由", by="u", today=today)


# --------------------------------------------------------------------------- 销号


def test_completion_status_follows_the_verification_switch(config):

    assert completion_status(config, "done") == "review"
    assert completion_status(config, "doing") == "doing"
    assert completion_status(config.replace(verify_done=False), "done") == "done"


def test_review_then_verify_closes_the_task(loaded_db, today):
    set_status(loaded_db, OVERDUE_TASK, "doing", by="区经委")
    set_status(loaded_db, OVERDUE_TASK, "review", by="区经委", note="已完成")
    review = _task(loaded_db, OVERDUE_TASK)
    assert not review.is_overdue(today)  # overdue stops at the unit's completion report
    assert OVERDUE_TASK not in _overdue_ids(loaded_db, today)
    with read_tx(loaded_db) as conn:
        queue = cycle_reads.review_queue(conn)
        counts = sql.count_tasks(conn, TaskFilter(), today)
    assert [(r.task.id, r.submitted_by) for r in queue] == [(OVERDUE_TASK, "区经委")]
    assert (counts.review, counts.done, counts.overdue) == (1, 0, 0)

    change = verify_task(loaded_db, OVERDUE_TASK, approve=True, note="材料齐全", by="协调员",
                         evidence=[("验收报告.pdf", "区级验收")], expected_version=review.version)
    done = _task(loaded_db, OVERDUE_TASK)
    assert done.status == "done" and change.version == review.version + 1
    assert _events(loaded_db, OVERDUE_TASK)[-1] == ("verify", "review", "done", "材料齐全")
    with read_tx(loaded_db) as conn:
        assert cycle_reads.review_queue(conn) == []
        (proof,) = cycle_reads.task_evidence(conn, OVERDUE_TASK)
    assert (proof.ref, proof.caption, proof.event_field, proof.event_id) == (
        "验收报告.pdf", "区级验收", "verify", change.event_ids[0])


def test_a_completion_report_never_reopens_a_verified_task(loaded_db):
    """Decided inside the write: a report of 已完成 (stored as 待销号) that reaches a task already verified,
    even one verified after the reporter read it, leaves it verified and records nothing."""
    set_status(loaded_db, 7, "review", by="区经委")
    read_before = _task(loaded_db, 7)  # what the reporter saw: 待销号
    verify_task(loaded_db, 7, approve=True, by="协调员")
    events = _events(loaded_db, 7)
    change = set_status(loaded_db, 7, "review", by="区经委", note="再报一次")
    changes = set_status_many(loaded_db, [7, 8], "review", by="区经委")
    assert read_before.status == "review" and _task(loaded_db, 7).status == "done"
    assert change.event_ids == [] and changes[0].event_ids == [] and changes[1].event_ids
    assert _events(loaded_db, 7) == events and _task(loaded_db, 8).status == "review"
    # the coordinator may still reopen it on purpose, with an open status
    assert set_status(loaded_db, 7, "doing", by="协调员").event_ids


def test_sending_back_returns_the_status_before_review(loaded_db):
    set_status(loaded_db, 3, "blocked", by="夏阳街道")
    set_status(loaded_db, 3, "review", by="夏阳街道")
    with pytest.raises(ServiceError, match="退回"):
        verify_task(loaded_db, 3, approve=False, by="协调员")
    verify_task(loaded_db, 3, approve=False, note="缺少台账", by="协调员")
    assert _task(loaded_db, 3).status == "blocked"
    assert _events(loaded_db, 3)[-1] == ("verify", "review", "blocked", "缺少台账")
    # a task put in review without a recorded open status before it goes back to todo
    set_status(loaded_db, 4, "review", by="盈浦街道")
    verify_task(loaded_db, 4, approve=False, note="未见成效", by="协调员")
    assert _task(loaded_db, 4).status == "todo"


def test_verify_refuses_tasks_not_in_review_and_stale_versions(loaded_db):
    with pytest.raises(ServiceError, match="不在待销号"):
        verify_task(loaded_db, 1, approve=True, by="协调员")
    change = set_status(loaded_db, 1, "review", by="区人社局")
    add_note(loaded_db, 1, "补充了材料", by="区人社局")
    with pytest.raises(StaleWriteError):
        verify_task(loaded_db, 1, approve=True, by="协调员", expected_version=change.version)
    assert _task(loaded_db, 1).status == "review"


# --------------------------------------------------------------------------- 佐证材料


def test_evidence_on_its_own_and_with_a_request(loaded_db, today):
    first = add_evidence(loaded_db, 5, [("//共享盘/签到表.pdf", "签到表"), "https://example.gov.cn/n/1.html"], by="香花桥街道")
    request_extension(loaded_db, 5, date(2023, 2, 28), reason="场地改造", by="香花桥街道", today=today,
                      evidence=[("请示.docx", "")])
    with read_tx(loaded_db) as conn:
        found = cycle_reads.task_evidence(conn, 5)
    assert [(e.ref, e.caption, e.event_field, e.is_url) for e in found] == [
        ("//共享盘/签到表.pdf", "签到表", "evidence", False),
        ("https://example.gov.cn/n/1.html", "", "evidence", True),
        ("请示.docx", "", "extend", False),
    ]
    assert [e.event_id for e in found[:2]] == first.event_ids
    with pytest.raises(ServiceError, match="为空"):
        add_evidence(loaded_db, 5, [("  ", "说明")], by="u")


# --------------------------------------------------------------------------- 督办 items and cadence


def test_add_item_creates_then_reuses_the_standing_document(loaded_db, config, today):
    measure_id, changes = add_item(loaded_db, config, "加快零工市场建设", units=["区人社局", "各街镇"],
                                   due=date(2022, 12, 31), source="区长批示 2022-11-10", by="协调员")
    second_id, second = add_item(loaded_db, config, "研究稳岗补贴细则", units=["区财政局"], lead="区人社局",
                                 due=date(2023, 1, 31), by="协调员")
    with read_tx(loaded_db) as conn:
        docs = sql.rows(conn, "SELECT id, title, kind FROM document WHERE kind = :k", {"k": ADHOC_KIND})
        measures = sql.rows(conn, "SELECT id, document_id, code, title, source, due FROM measure "
                                  "WHERE id IN (:a, :b) ORDER BY id", {"a": measure_id, "b": second_id})
        tasks = sql.list_tasks(conn, TaskFilter(measure_id=measure_id), today, sort="measure")
        tasks2 = sql.list_tasks(conn, TaskFilter(measure_id=second_id), today, sort="measure")
    assert len(docs) == 1 and docs[0][1] == ADHOC_TITLE
    assert [(m[1], m[2], m[3], m[4]) for m in measures] == [
        (docs[0][0], "督1", "加快零工市场建设", "区长批示 2022-11-10"), (docs[0][0], "督2", "研究稳岗补贴细则", "")]
    assert len(tasks) == 1 + len(QINGPU_TOWNS) == len(changes)
    assert {t.unit for t in tasks} == {"区人力资源社会保障局", *QINGPU_TOWNS}  # alias resolved, 各街镇 expanded
    assert [t.unit for t in tasks if t.role == "lead"] == ["区人力资源社会保障局"]
    assert all(t.due == date(2022, 12, 31) and t.status == "todo" for t in tasks)
    assert [(t.unit, t.role) for t in tasks2] == [("区人力资源社会保障局", "lead"), ("区财政局", "support")]
    assert len(second) == 2


def test_add_item_refuses_empty_title_and_no_units(loaded_db, config):
    with pytest.raises(ServiceError, match="标题"):
        add_item(loaded_db, config, "  ", units=["区财政局"], by="u")
    with pytest.raises(ServiceError, match="责任单位"):
        add_item(loaded_db, config, "事项", units=[], by="u")
    with read_tx(loaded_db) as conn:
        assert sql.rows(conn, "SELECT id FROM document WHERE kind = 'adhoc'") == []


def test_set_cadence_stores_resets_and_refuses(loaded_db):
    assert set_cadence(loaded_db, 1, "周报:周五", by="u").text == "weekly:5"
    with read_tx(loaded_db) as conn:
        assert cycle_reads.document_cadences(conn, document_id=1)[0].cadence == "weekly:5"
    assert set_cadence(loaded_db, 1, None, by="u") is None
    with read_tx(loaded_db) as conn:
        assert cycle_reads.document_cadences(conn, document_id=1)[0].cadence is None
    with pytest.raises(ServiceError, match="无法识别"):
        set_cadence(loaded_db, 1, "每天", by="u")
    with pytest.raises(NotFoundError):
        set_cadence(loaded_db, 99, "none", by="u")


def test_the_services_run_on_a_bare_sqlite_connection(loaded_db, tmp_db_path, today):
    from tracker.store import database

    with database.open_sqlite(tmp_db_path) as direct:
        change = request_extension(direct, OVERDUE_TASK, date(2022, 12, 31), reason="理由", by="u", today=today,
                                   evidence=[("a.pdf", "说明")])
        decide_extension(direct, OVERDUE_TASK, approve=True, by="协调员", expected_version=change.version)
        set_status(direct, 1, "review", by="u")
        verify_task(direct, 1, approve=True, by="协调员")
    assert _task(loaded_db, OVERDUE_TASK).due == date(2022, 12, 31)  # read back through SQLAlchemy
    assert _task(loaded_db, 1).status == "done"
    with read_tx(loaded_db) as conn:
        (request,) = cycle_reads.task_extensions(conn, OVERDUE_TASK)
        assert request.decided_at is not None and request.requested_at.tzinfo is not None


def test_the_cycle_on_both_backends(db_url, config, today):
    """The same statements on SQLite and PostgreSQL (dates, booleans, ON CONFLICT, the review queue's join)."""
    from tests.conftest import build_document, sample_measures
    from tracker.store.engine import make_engine
    from tracker.store.services import import_document

    engine = make_engine(db_url)
    try:
        import_document(engine, build_document(sample_measures(QINGPU_TOWNS)), by="导入员")
        change = request_extension(engine, OVERDUE_TASK, date(2022, 12, 31), reason="理由", by="区经委",
                                   today=today, evidence=[("请示.pdf", "请示")])
        decide_extension(engine, OVERDUE_TASK, approve=True, by="协调员", expected_version=change.version)
        set_status(engine, 1, "doing", by="u")
        set_status(engine, 1, "review", by="u", evidence=[("http://a/1", "")])
        measure_id, _ = add_item(engine, config, "新单位事项", units=["区新设机构", "各街镇"], due=date(2022, 12, 31),
                                 by="协调员")
        set_cadence(engine, 1, "季报:20")
        with read_tx(engine) as conn:
            assert sql.get_task(conn, OVERDUE_TASK).due == date(2022, 12, 31)
            assert [r.task.id for r in cycle_reads.review_queue(conn)] == [1]
            assert [e.event_field for e in cycle_reads.task_evidence(conn, 1)] == ["status"]
            assert len(sql.list_tasks(conn, TaskFilter(measure_id=measure_id), today)) == 1 + len(QINGPU_TOWNS)
            assert cycle_reads.document_cadences(conn, document_id=1)[0].cadence == "quarterly:20"
        verify_task(engine, 1, approve=False, note="缺材料", by="协调员")
        with read_tx(engine) as conn:
            assert sql.get_task(conn, 1).status == "doing"
    finally:
        engine.dispose()


def test_an_archived_standing_document_is_not_reused(loaded_db, config):
    from tracker.store.services import set_archived

    first, _ = add_item(loaded_db, config, "事项一", units=["区财政局"], due=date(2022, 12, 31), by="u")
    with read_tx(loaded_db) as conn:
        old_doc = sql.rows(conn, "SELECT document_id FROM measure WHERE id = :m", {"m": first})[0][0]
    set_archived(loaded_db, old_doc, True)
    second, _ = add_item(loaded_db, config, "事项二", units=["区财政局"], due=date(2022, 12, 31), by="u")
    with read_tx(loaded_db) as conn:
        new_doc, code = sql.rows(conn, "SELECT document_id, code FROM measure WHERE id = :m", {"m": second})[0]
    assert new_doc != old_doc and code == "督1"  # new items stay visible, in a new 督办事项 document
