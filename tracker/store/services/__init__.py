"""Write-side services, one module per aggregate: task writes, assignment, targets, documents, importing.

Every change runs in one write transaction (``BEGIN IMMEDIATE`` on SQLite), bumps the task's ``version``
and appends a TaskEvent. A caller that read version *n* passes ``expected_version=n``; if the row has
moved on, the write is refused with :class:`StaleWriteError` and nothing is changed.

The services take the database the app and the command line open (:class:`tracker.store.database.DirectDatabase`,
bare connections) or a SQLAlchemy ``Engine`` (creating or upgrading a database, the tests), and are written
in plain SQL (:mod:`tracker.store.writes` shows the pattern). The names below are imported on first use, so
that ``tracker note`` loads the task writes and nothing else.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_HOMES = {
    "assign": "assignment",
    "unassign": "assignment",
    "set_archived": "documents",
    "ROLES": "errors",
    "Change": "errors",
    "NotFoundError": "errors",
    "ServiceError": "errors",
    "StaleWriteError": "errors",
    "current_user": "errors",
    "ImportResult": "importing",
    "import_document": "importing",
    "seed_if_empty": "importing",
    "set_target_actual": "targets",
    "add_note": "task_writes",
    "set_due": "task_writes",
    "set_role": "task_writes",
    "set_status": "task_writes",
    "set_status_many": "task_writes",
    "undo_event": "task_writes",
    "report_leaves": "task_writes",
    "add_evidence": "cycle",
    "completion_status": "cycle",
    "decide_extension": "cycle",
    "request_extension": "cycle",
    "verify_task": "cycle",
    "add_item": "items",
    "set_cadence": "items",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


if TYPE_CHECKING:
    from tracker.store.services.assignment import assign, unassign
    from tracker.store.services.cycle import (
        add_evidence,
        completion_status,
        decide_extension,
        request_extension,
        verify_task,
    )
    from tracker.store.services.documents import set_archived
    from tracker.store.services.errors import (
        ROLES,
        Change,
        NotFoundError,
        ServiceError,
        StaleWriteError,
        current_user,
    )
    from tracker.store.services.importing import (
        ImportResult,
        import_document,
        seed_if_empty,
    )
    from tracker.store.services.items import add_item, set_cadence
    from tracker.store.services.targets import set_target_actual
    from tracker.store.services.task_writes import (
        add_note,
        report_leaves,
        set_due,
        set_role,
        set_status,
        set_status_many,
        undo_event,
    )
