"""The headless core never imports the UI: checked in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize(
    "module",
    ["tracker.ingest", "tracker.store.services", "tracker.store.queries", "tracker.report.markdown", "tracker.config",
     "tracker.dates"],
)
def test_core_does_not_import_textual(module):
    code = f"import sys, {module}; bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]; print(bad)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_cli_help_does_not_import_textual_or_sqlmodel():
    code = (
        "import sys\nfrom tracker import cli\n"
        "try:\n    cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'sqlmodel'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_commands_on_sqlite_need_neither_sqlalchemy_nor_sqlmodel(tmp_path):
    """Every command on an existing SQLite file reads and writes through bare sqlite3 (fast start-up)."""
    from pathlib import Path

    from tests.store_data import sample_document
    from tracker.store.engine import make_engine
    from tracker.store.services import import_document

    db = tmp_path / "read.db"
    import_document(make_engine(f"sqlite:///{db}"), sample_document(), by="t")
    config = Path(__file__).resolve().parent.parent / "config.toml"
    code = (
        "import sys, io\nfrom tracker.cli import main\nout = sys.stdout\n"
        "for argv in (['list', '--overdue'], ['list', '--unit', '夏阳街道', '--json'], ['summary'], ['units'],\n"
        "             ['show', '1'], ['show', '1', '--json'], ['targets'], ['verify', '--list'], ['extend', '--list'],\n"
        "             ['export'], ['remind'], ['assign', '三（一）', '区财政局'], ['unassign', '三（一）', '区财政局']):\n"
        "    sys.stdout = io.StringIO()\n"
        f"    rc = main(['--db', {str(db)!r}, '--config', {str(config)!r}, '--today', '2022-12-01', *argv])\n"
        "    sys.stdout = out\n"
        "    assert rc == 0, argv\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic', 'textual'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_the_app_on_an_existing_database_runs_without_the_orm(tmp_path):
    """`tracker` on an existing database: the app opens, shows every view and saves a status through bare
    connections; SQLAlchemy, SQLModel and pydantic (~0.4 s of start-up) are never imported."""
    from pathlib import Path

    from tests.store_data import sample_document
    from tracker.store.engine import make_engine
    from tracker.store.services import import_document

    db = tmp_path / "app.db"
    engine = make_engine(f"sqlite:///{db}")
    import_document(engine, sample_document(), by="t")
    engine.dispose()
    config = Path(__file__).resolve().parent.parent / "config.toml"
    code = f"""
import asyncio, sys
import tracker.tui.app as tui_app
from tracker.cli import main

async def drive(ctx):
    app = tui_app.create_app(ctx)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for key in "23456781":
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("s")  # the status dialog on the first task: choose 受阻, save
        await pilot.pause()
        from textual.widgets import RadioButton
        next(b for b in app.screen.query(RadioButton) if b.name == "blocked").value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()

tui_app.run_app = lambda ctx: asyncio.run(drive(ctx))
assert main(["--db", {str(db)!r}, "--config", {str(config)!r}, "--today", "2022-12-01"]) == 0
print(sorted({{m.split('.')[0] for m in sys.modules}} & {{'sqlalchemy', 'sqlmodel', 'pydantic'}}))
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    import sqlite3

    conn = sqlite3.connect(db)
    blocked = conn.execute("SELECT COUNT(*) FROM task WHERE status = 'blocked'").fetchone()[0]
    conn.close()
    assert blocked == 1  # the dialog's save went through
