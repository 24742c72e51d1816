"""Revision 0005 on SQLite and PostgreSQL: a database at 0004 holding tasks is upgraded to exactly the models'
schema (``ix_task_measure_status_due`` in place of ``ix_task_measure_id``) with its tasks intact, and the
downgrade gives the single-column index back."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from tracker.store import migrate, schema
from tracker.store.engine import make_engine


def _task_indexes(engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {ix["name"]: ix["column_names"] for ix in inspect(conn).get_indexes("task")}


def _schema_diff(engine) -> list:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with engine.connect() as conn:
        return compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), SQLModel.metadata)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_0004_database_with_tasks_is_upgraded_to_the_models_and_back(backend, tmp_path, request):
    url = f"sqlite:///{tmp_path / 'at-0004.db'}" if backend == "sqlite" else request.getfixturevalue("pg_url")
    engine = make_engine(url, upgrade=False)
    try:
        with engine.begin() as conn:
            migrate._alembic_upgrade(conn, "0004")
            conn.execute(text("INSERT INTO document (id, title, source_path, content_hash, has_clauses, imported_at, "
                              "kind) VALUES (1, '实施意见', '', 'h', true, '2022-09-01 08:00:00', 'document')"))
            conn.execute(text("INSERT INTO measure (id, document_id, code, chapter_code, chapter, title, text, "
                              "\"order\", line, is_context, source) VALUES (1, 1, '三（一）', '三', '三、稳岗', '', '', "
                              "1, 1, false, '')"))
            conn.execute(text("INSERT INTO unit (id, name, kind) VALUES (1, '区财政局', 'agency'), (2, '夏阳街道', 'town')"))
            conn.execute(text("INSERT INTO task (id, measure_id, unit_id, role, status, due, note, created_at, "
                              "updated_at, updated_by, version) VALUES "
                              "(1, 1, 1, 'lead', 'doing', '2022-12-31', '', '2022-09-01 08:00:00', "
                              "'2022-09-01 08:00:00', '', 1), "
                              "(2, 1, 2, 'support', 'todo', NULL, '', '2022-09-01 08:00:00', '2022-09-01 08:00:00', '', 1)"))
        before = _task_indexes(engine)
        assert before["ix_task_measure_id"] == ["measure_id"] and "ix_task_measure_status_due" not in before
    finally:
        engine.dispose()

    make_engine(url).dispose()  # opening it upgrades it

    engine = make_engine(url, upgrade=False)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == schema.code_head() >= "0005"
            assert conn.execute(text("SELECT id, status FROM task ORDER BY id")).all() == [(1, "doing"), (2, "todo")]
        after = _task_indexes(engine)
        assert after["ix_task_measure_status_due"] == ["measure_id", "status", "due"]
        assert "ix_task_measure_id" not in after
        assert _schema_diff(engine) == []

        with engine.begin() as conn:
            migrate_downgrade(conn, "0004")
        back = _task_indexes(engine)
        assert back["ix_task_measure_id"] == ["measure_id"] and "ix_task_measure_status_due" not in back
    finally:
        engine.dispose()


def migrate_downgrade(conn, revision: str) -> None:
    from alembic import command

    command.downgrade(migrate.alembic_config(conn), revision)
