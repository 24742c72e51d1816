"""Write-side services, one module per aggregate: task writes, assignment, targets, importing.

Every change runs in one ``BEGIN IMMEDIATE`` transaction, bumps the task's ``version`` and appends a
TaskEvent. A caller that read version *n* passes ``expected_version=n``; if the row has moved on, the write
is refused with :class:`StaleWriteError` and nothing is changed.
"""

from tracker.store.services.assignment import assign, unassign
from tracker.store.services.documents import set_archived
from tracker.store.services.errors import ROLES, Change, NotFoundError, ServiceError, StaleWriteError, current_user
from tracker.store.services.importing import ImportResult, import_document, seed_if_empty
from tracker.store.services.targets import set_target_actual
from tracker.store.services.task_writes import (
    add_note,
    set_due,
    set_role,
    set_status,
    set_status_many,
    undo_event,
)

__all__ = [
    "ROLES", "Change", "ImportResult", "NotFoundError", "ServiceError", "StaleWriteError", "add_note", "assign",
    "current_user", "import_document", "seed_if_empty", "set_due", "set_role", "set_status", "set_status_many",
    "set_archived", "set_target_actual", "unassign", "undo_event",
]
