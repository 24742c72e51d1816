"""Baseline: the schema tables were created with before migrations existed.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Idempotent, so that it also adopts a database made by ``create_all`` before migrations: a table or
index already there is left alone, and one an older build did not have yet (for example
``ix_task_unit_status_due``) is added. The definitions are frozen here on purpose — later changes to
``models.py`` come with their own revisions.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def _tables() -> list[tuple[str, list, list[tuple[str, list[str], bool]]]]:
    """(table, columns and constraints, [(index, columns, unique)]) in dependency order."""
    return [
        ("document", [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("title", sa.String(), nullable=False),
            sa.Column("doc_number", sa.String(), nullable=True),
            sa.Column("issuer", sa.String(), nullable=True),
            sa.Column("issued", sa.Date(), nullable=True),
            sa.Column("source_path", sa.String(), nullable=False),
            sa.Column("content_hash", sa.String(), nullable=False),
            sa.Column("has_clauses", sa.Boolean(), nullable=False),
            sa.Column("imported_at", _TS, nullable=False),
            sa.PrimaryKeyConstraint("id"),
        ], [("ix_document_content_hash", ["content_hash"], False)]),
        ("unit", [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("name", sa.String(), nullable=False),
            sa.Column("kind", sa.String(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
        ], [("ix_unit_name", ["name"], True), ("ix_unit_kind", ["kind"], False)]),
        ("measure", [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("document_id", sa.Integer(), nullable=False),
            sa.Column("code", sa.String(), nullable=False),
            sa.Column("chapter_code", sa.String(), nullable=False),
            sa.Column("chapter", sa.String(), nullable=False),
            sa.Column("title", sa.String(), nullable=False),
            sa.Column("text", sa.String(), nullable=False),
            sa.Column("order", sa.Integer(), nullable=False),
            sa.Column("line", sa.Integer(), nullable=False),
            sa.Column("due", sa.Date(), nullable=True),
            sa.Column("due_phrase", sa.String(), nullable=True),
            sa.Column("is_context", sa.Boolean(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("document_id", "code", name="uq_measure_doc_code"),
            sa.ForeignKeyConstraint(["document_id"], ["document.id"], ondelete="CASCADE"),
        ], [("ix_measure_document_id", ["document_id"], False),
            ("ix_measure_chapter_code", ["chapter_code"], False)]),
        ("task", [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("measure_id", sa.Integer(), nullable=False),
            sa.Column("unit_id", sa.Integer(), nullable=False),
            sa.Column("role", sa.String(), nullable=False),
            sa.Column("status", sa.String(), nullable=False),
            sa.Column("due", sa.Date(), nullable=True),
            sa.Column("note", sa.String(), nullable=False),
            sa.Column("created_at", _TS, nullable=False),
            sa.Column("updated_at", _TS, nullable=False),
            sa.Column("updated_by", sa.String(), nullable=False),
            sa.Column("version", sa.Integer(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.UniqueConstraint("measure_id", "unit_id", name="uq_task_measure_unit"),
            sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], ondelete="CASCADE"),
            sa.ForeignKeyConstraint(["unit_id"], ["unit.id"]),
        ], [("ix_task_measure_id", ["measure_id"], False),
            ("ix_task_status_due", ["status", "due"], False),
            ("ix_task_unit_status_due", ["unit_id", "status", "due"], False),
            ("ix_task_updated_at", ["updated_at"], False),
            ("ix_task_due", ["due"], False)]),
        ("target", [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("measure_id", sa.Integer(), nullable=False),
            sa.Column("phrase", sa.String(), nullable=False),
            sa.Column("label", sa.String(), nullable=False),
            sa.Column("comparator", sa.String(), nullable=False),
            sa.Column("value", sa.Float(), nullable=False),
            sa.Column("uom", sa.String(), nullable=False),
            sa.Column("year", sa.Integer(), nullable=True),
            sa.Column("due", sa.Date(), nullable=True),
            sa.Column("actual", sa.Float(), nullable=True),
            sa.Column("actual_at", sa.Date(), nullable=True),
            sa.PrimaryKeyConstraint("id"),
            sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], ondelete="CASCADE"),
        ], [("ix_target_measure_id", ["measure_id"], False)]),
        ("taskevent", [
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("task_id", sa.Integer(), nullable=False),
            sa.Column("at", _TS, nullable=False),
            sa.Column("by", sa.String(), nullable=False),
            sa.Column("field", sa.String(), nullable=False),
            sa.Column("old", sa.String(), nullable=True),
            sa.Column("new", sa.String(), nullable=True),
            sa.Column("note", sa.String(), nullable=False),
            sa.PrimaryKeyConstraint("id"),
            sa.ForeignKeyConstraint(["task_id"], ["task.id"], ondelete="CASCADE"),
        ], [("ix_taskevent_task_id", ["task_id"], False)]),
    ]


def upgrade() -> None:
    inspector = sa.inspect(op.get_bind())
    existing = set(inspector.get_table_names())
    for table, columns, indexes in _tables():
        if table not in existing:
            op.create_table(table, *columns)
            have: set[str] = set()
        else:
            have = {ix["name"] for ix in inspector.get_indexes(table)}
        for name, cols, unique in indexes:
            if name not in have:
                op.create_index(name, table, cols, unique=unique)


def downgrade() -> None:
    for table, _columns, _indexes in reversed(_tables()):
        op.drop_table(table)
