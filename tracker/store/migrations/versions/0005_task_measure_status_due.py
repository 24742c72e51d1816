"""Per-measure counts from an index: ``task(measure_id, status, due)``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

The per-chapter and per-document counts (the dashboard's chapters, ``tracker summary``, the report)
group tasks by measure and count them by status and due date. With ``(measure_id, status, due)`` in
one index they read the index alone instead of every task row. It replaces the single-column index
on ``task.measure_id``, which it contains (foreign-key lookups by measure use it the same way), so a
write updates as many indexes as before.
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_task_measure_status_due", "task", ["measure_id", "status", "due"])
    op.drop_index("ix_task_measure_id", table_name="task")


def downgrade() -> None:
    op.create_index("ix_task_measure_id", "task", ["measure_id"])
    op.drop_index("ix_task_measure_status_due", table_name="task")
