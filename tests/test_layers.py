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


def test_read_commands_on_sqlite_need_neither_sqlalchemy_nor_sqlmodel(tmp_path):
    """`list`, `summary` and `units` read an existing SQLite file through bare sqlite3 (fast start-up)."""
    from pathlib import Path

    from tests.store_data import sample_document
    from tracker.store.engine import make_engine
    from tracker.store.services import import_document

    db = tmp_path / "read.db"
    import_document(make_engine(f"sqlite:///{db}"), sample_document(), by="t")
    config = Path(__file__).resolve().parent.parent / "config.toml"
    code = (
        "import sys, io\nfrom tracker.cli import main\nout = sys.stdout\n"
        "for argv in (['list', '--overdue'], ['list', '--unit', '夏阳街道', '--json'], ['summary'], ['units']):\n"
        "    sys.stdout = io.StringIO()\n"
        f"    assert main(['--db', {str(db)!r}, '--config', {str(config)!r}, '--today', '2022-12-01', *argv]) == 0\n"
        "sys.stdout = out\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic', 'textual'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
