"""Target history: every reported figure kept, the latest by date current.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Before this revision a target held one figure (``target.actual`` / ``actual_at``), which a back-dated
figure overwrote. Existing figures become the first entry of each target's history.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "target_actual",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["target_id"], ["target.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_target_actual_target_as_of", "target_actual", ["target_id", "as_of"])
    op.execute(
        "INSERT INTO target_actual (target_id, value, as_of, recorded_at, recorded_by) "
        "SELECT id, actual, actual_at, CURRENT_TIMESTAMP, '' FROM target WHERE actual_at IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_target_actual_target_as_of", table_name="target_actual")
    op.drop_table("target_actual")
