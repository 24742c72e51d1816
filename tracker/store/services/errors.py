"""Errors every write service raises, the result of a task write, and who is writing."""

import os
from datetime import datetime
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from tracker.config import Config


ROLES = ("lead", "support")

class ServiceError(Exception):
    """A change that cannot be made (bad input or missing row): a one-line message."""

class NotFoundError(ServiceError):
    pass

class StaleWriteError(ServiceError):
    """The task changed since the caller read it."""

    def __init__(self, task_id: int, expected: int, actual: int, by: str, at: datetime | None):
        self.task_id = task_id
        self.expected = expected
        self.actual = actual
        self.by = by
        self.at = at
        when = f"于 {at.strftime('%Y-%m-%d %H:%M')} UTC " if at else ""
        super().__init__(
            f"任务 {task_id} 已被 {by or '他人'} {when}修改（当前版本 {actual}，你读取的是 {expected}），"
            "未保存；请重新查看后再试"
        )

def current_user(config: "Config | None" = None, explicit: str | None = None) -> str:
    """``--by`` > config ``user`` > TRACKER_USER > the OS user."""
    if explicit:
        return explicit
    if config is not None and config.user:
        return config.user
    env = os.environ.get("TRACKER_USER")
    if env:
        return env
    import getpass  # only when no user is named (its terminal modules cost every command's start-up)

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no passwd entry in some containers
        return "unknown"

class Change(NamedTuple):
    """The outcome of one task write."""

    task_id: int
    version: int
    event_ids: list[int]
    created: bool = False  # the write made this task (assign), rather than changing one
