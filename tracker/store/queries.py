"""Read-side queries: plain rows (dataclasses) for the CLI, the app and the reports.

Every function takes an open connection (a store transaction's) and, where overdue or due-soon
matters, ``today`` as a parameter. All are plain SQL that runs on a bare ``sqlite3`` or ``psycopg``
connection as well as a SQLAlchemy one; this module gathers them under one name.
"""

from __future__ import annotations

from tracker.store.detail_rows import (
    EventRow,
    GroupProgress,
    Matrix,
    MatrixCell,
    TargetRow,
)
from tracker.store.measure_reads import (
    find_measures,
    get_measure,
    latest_notes,
    list_measures,
    progress_by_measure,
    responsibility_matrix,
    task_history,
)
from tracker.store.progress_sql import progress_by_chapter, progress_by_unit
from tracker.store.rows import Counts, DocumentRow, MeasureRow, TaskRow, UnitRow
from tracker.store.sql import (
    SORTS,
    count_by,
    count_tasks,
    document_ids,
    get_task,
    list_documents,
    list_tasks,
    list_units,
    unassigned_measures,
    unit_names,
)
from tracker.store.targets_sql import list_targets

__all__ = [
    "SORTS", "Counts", "DocumentRow", "EventRow", "GroupProgress", "Matrix", "MatrixCell", "MeasureRow",
    "TargetRow", "TaskRow", "UnitRow", "count_by", "count_tasks", "document_ids", "find_measures",
    "get_measure", "get_task", "latest_notes", "list_documents", "list_measures", "list_targets", "list_tasks",
    "list_units", "progress_by_chapter", "progress_by_measure", "progress_by_unit", "responsibility_matrix",
    "task_history", "unassigned_measures", "unit_names",
]
