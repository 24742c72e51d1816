"""The supervision cycle: reporting cadence, deadline extensions, evidence, hand-entered items.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

- ``document.cadence`` (NULL: the config's default) and ``document.kind`` (``adhoc``: the standing
  督办事项 document that hand-entered items go into);
- ``measure.source`` (where a hand-entered item comes from);
- ``extension_request`` (延期申请) and ``evidence`` (佐证材料);
- an index on ``taskevent.at`` for the period queries. The new status ``review`` (待销号) needs no
  schema change: statuses are plain text.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document") as batch:
        batch.add_column(sa.Column("cadence", sa.String(), nullable=True))
        batch.add_column(sa.Column("kind", sa.String(), nullable=False, server_default="document"))
    with op.batch_alter_table("measure") as batch:
        batch.add_column(sa.Column("source", sa.String(), nullable=False, server_default=""))
    op.create_index("ix_taskevent_at", "taskevent", ["at"])
    op.create_table(
        "extension_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("requested_due", sa.Date(), nullable=False),
        sa.Column("old_due", sa.Date(), nullable=True),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("requested_by", sa.String(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("decision_note", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_extension_request_task_id", "extension_request", ["task_id"])
    op.create_index("ix_extension_request_state", "extension_request", ["state", "task_id"])
    op.create_table(
        "evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("ref", sa.String(), nullable=False),
        sa.Column("caption", sa.String(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["task_id"], ["task.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["event_id"], ["taskevent.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_evidence_task_id", "evidence", ["task_id"])


def downgrade() -> None:
    op.drop_index("ix_evidence_task_id", table_name="evidence")
    op.drop_table("evidence")
    op.drop_index("ix_extension_request_state", table_name="extension_request")
    op.drop_index("ix_extension_request_task_id", table_name="extension_request")
    op.drop_table("extension_request")
    op.drop_index("ix_taskevent_at", table_name="taskevent")
    with op.batch_alter_table("measure") as batch:
        batch.drop_column("source")
    with op.batch_alter_table("document") as batch:
        batch.drop_column("kind")
        batch.drop_column("cadence")
