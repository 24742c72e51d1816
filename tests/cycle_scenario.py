"""Three simulated months of the supervision cycle on the sample document (tests' shared script).

Events are written straight into the store with explicit timestamps (the services stamp "now"), and each
write moves the task the way the services would (status, deadline, note, version). Task ids of the sample
document: 1 区人力资源社会保障局 (lead, 三（一）), 2 区财政局, 3–13 the 11 街镇 (3 夏阳街道, 4 盈浦街道, …),
14 区经委 (三（二）, due 2022-10-31), 15 各区属公司 and 16 区科委 (四（一）, due 2022-11-20). A second document
with a weekly cadence (周报, by Friday) adds 17 区科委 and 18 区经委.
"""

from __future__ import annotations

from datetime import date, datetime, timezone

from tests.conftest import build_document

NASTY_NOTE = "完成`摸排`|第二列\n换行 *星* <b>粗</b>"


def at(month: int, day: int, hour: int = 2) -> datetime:
    return datetime(2022, month, day, hour, tzinfo=timezone.utc)


def prepare(engine) -> None:  # noqa: ANN001
    """The weekly document, and every task created before the first simulated month."""
    from sqlalchemy import text, update

    from tracker.store.models import Task
    from tracker.store.services import import_document

    import_document(engine, build_document(
        [("一（一）", [("区科委", "lead", "agency"), ("区经委", "support", "agency")], date(2022, 12, 31))],
        path="weekly.txt", title="周报文件", doc_number="测试〔2022〕2号",
    ), by="导入员")
    with engine.begin() as conn:
        conn.execute(update(Task).values(created_at=at(8, 30)))
        conn.execute(text("UPDATE document SET cadence = 'weekly:5' WHERE title = '周报文件'"))


def event(engine, task_id: int, when: datetime, field: str, old, new, note: str = "", by: str = "单位") -> None:  # noqa: ANN001
    """One event, and the task moved as the services would move it."""
    from sqlalchemy import insert, text

    from tracker.store.models import TaskEvent

    with engine.begin() as conn:
        conn.execute(insert(TaskEvent).values(task_id=task_id, at=when, by=by, field=field, old=old, new=new, note=note))
        if field in ("status", "verify"):
            conn.execute(text("UPDATE task SET status = :s, version = version + 1 WHERE id = :id"), {"s": new, "id": task_id})
        if field == "due":
            conn.execute(text("UPDATE task SET due = :d, version = version + 1 WHERE id = :id"), {"d": new, "id": task_id})
        if field == "note" or (note and field == "status"):
            conn.execute(text("UPDATE task SET note = :n WHERE id = :id"), {"n": new if field == "note" else note, "id": task_id})


def extension_request(engine, task_id: int, when: datetime, requested: date, old: date, reason: str) -> None:  # noqa: ANN001
    from sqlalchemy import insert

    from tracker.store.models import ExtensionRequest

    event(engine, task_id, when, "extend", old.isoformat(), requested.isoformat(), reason)
    with engine.begin() as conn:
        conn.execute(insert(ExtensionRequest).values(task_id=task_id, requested_due=requested, old_due=old,
                                                     reason=reason, requested_at=when, requested_by="单位"))


def approve_extension(engine, task_id: int, when: datetime, new_due: date, old_due: date) -> None:  # noqa: ANN001
    from sqlalchemy import text

    event(engine, task_id, when, "extend_decision", "pending", "approved", "同意", by="督办科")
    event(engine, task_id, when, "due", old_due.isoformat(), new_due.isoformat(), "同意", by="督办科")
    with engine.begin() as conn:
        conn.execute(text("UPDATE extension_request SET state = 'approved' WHERE task_id = :id"), {"id": task_id})


def september(engine) -> None:  # noqa: ANN001
    event(engine, 1, at(9, 10), "status", "todo", "doing", "启动招聘")
    event(engine, 3, at(9, 12), "note", None, "摸排")
    event(engine, 14, at(9, 20), "note", None, "调研")


def october(engine) -> None:  # noqa: ANN001
    event(engine, 2, at(10, 8), "status", "todo", "doing", "资金拨付中")
    event(engine, 1, at(10, 15), "note", "启动招聘", "第二批")
    event(engine, 16, at(10, 20), "status", "todo", "blocked", "等待资金")
    event(engine, 3, at(10, 21), "note", "摸排", NASTY_NOTE)


def november(engine) -> None:  # noqa: ANN001
    extension_request(engine, 15, at(11, 2), date(2022, 12, 20), date(2022, 11, 20), "资金未到位")
    event(engine, 1, at(11, 3), "status", "doing", "review", "招聘完成")
    approve_extension(engine, 15, at(11, 6), date(2022, 12, 20), date(2022, 11, 20))
    event(engine, 1, at(11, 8), "verify", "review", "done", "材料齐全", by="督办科")
    extension_request(engine, 14, at(11, 10), date(2023, 1, 31), date(2022, 10, 31), "场地未落实")
    event(engine, 4, at(11, 14), "status", "todo", "doing", "已部署")


def late_november(engine) -> None:  # noqa: ANN001
    event(engine, 2, at(11, 20), "status", "doing", "review", "拨付完毕")
