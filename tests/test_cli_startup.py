"""What the commands people run most load when they start: each module named here cost every run a few
milliseconds of a ~60 ms command (docs/performance.md, "Command-line start-up"). Checked in a fresh
interpreter, so a later import that brings one back fails here rather than only in a benchmark."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.store_data import sample_document

REPO = Path(__file__).resolve().parent.parent
# dataclasses pulls in inspect, ast, dis and tokenize; shutil its compression modules; dateutil calendar
# and locale; then the ORM, and Rich's console (text tables need only its character widths, rich.cells);
# the utf-8-sig codec (the configuration's BOM is dropped by hand); threading (the command line starts no thread)
AVOIDED = ("dataclasses", "inspect", "shutil", "dateutil", "calendar", "sqlalchemy", "sqlmodel", "pydantic",
           "rich.console", "textual", "encodings.utf_8_sig", "threading")


@pytest.fixture(scope="module")
def db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tracker.store.engine import make_engine
    from tracker.store.services import import_document

    path = tmp_path_factory.mktemp("startup") / "tasks.db"
    engine = make_engine(f"sqlite:///{path}")
    import_document(engine, sample_document(), by="导入员")
    engine.dispose()
    return path


def _loaded_by(db: Path, *argv: str, avoided: tuple[str, ...] = AVOIDED) -> list[str]:
    code = (
        "import sys, io\nfrom tracker.cli import main\nout, sys.stdout = sys.stdout, io.StringIO()\n"
        f"rc = main(['--db', {str(db)!r}, '--config', {str(REPO / 'config.toml')!r}, '--today', '2022-12-01', "
        f"*{list(argv)!r}])\n"
        "sys.stdout = out\n"
        f"print(rc, sorted(m for m in sys.modules if m in {set(avoided)!r}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DB", "TRACKER_CONFIG", "COLUMNS")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, env=env, timeout=60)
    assert result.returncode == 0, result.stderr
    rc, _, loaded = result.stdout.strip().splitlines()[-1].partition(" ")
    assert rc == "0", result.stderr
    return eval(loaded)  # noqa: S307 - our own subprocess printed a list of names


@pytest.mark.parametrize("argv", [
    ("list", "--overdue"),
    ("list", "--unit", "夏阳街道", "--json"),
    ("summary",),
    ("note", "3", "已召开推进会"),
    ("set", "4", "doing", "--note", "开始"),
    ("due", "5", "2023-01-31"),
])
def test_the_everyday_commands_load_none_of_the_costly_modules(db_path, argv):
    assert _loaded_by(db_path, *argv) == []


@pytest.mark.parametrize("argv", [
    ("list", "--unit", "夏阳街道", "--json"),
    ("summary", "--json"),
    ("note", "3", "已召开推进会", "--json"),
])
def test_json_output_loads_no_rich(db_path, argv):
    """Rich's character widths are for text tables (tracker.cell_width); the wording (tracker.labels) needs none."""
    assert _loaded_by(db_path, *argv, avoided=("rich", "rich.cells", "tracker.cell_width")) == []


def test_the_cell_fitting_is_still_reachable_from_labels():
    from tracker import cell_width, labels

    assert (labels.fit, labels.truncate, labels.ELLIPSIS) == (cell_width.fit, cell_width.truncate, "…")
    assert labels.fit("区人力资源社会保障局", 9) == "区人力资…"  # CJK counts two cells: four fit, then the ellipsis
    with pytest.raises(AttributeError):
        labels.no_such_name  # noqa: B018


def test_list_loads_neither_the_writes_nor_the_summary_counts_nor_the_detail_rows(db_path):
    avoided = ("tracker.store.progress_sql", "tracker.store.services", "tracker.store.services.task_writes",
               "tracker.store.detail_rows")
    assert _loaded_by(db_path, "list", "--overdue", avoided=avoided) == []


@pytest.mark.parametrize("argv", [("note", "3", "已召开推进会"), ("set", "4", "doing"), ("due", "5", "+1m")])
def test_a_write_loads_neither_the_reads_nor_their_rows(db_path, argv):
    """A write runs its SQL through tracker.store.dbapi: the read queries and row types are not its cost;
    nor is the task filter (a write names its tasks)."""
    avoided = ("tracker.store.sql", "tracker.store.rows", "tracker.store.filters", "tracker.cli.filter_args")
    assert _loaded_by(db_path, *argv, avoided=avoided) == []


def test_help_is_laid_out_as_argparse_lays_it_out(monkeypatch):
    """The formatter measures the terminal itself (no shutil) and must wrap exactly as argparse's own."""
    import argparse

    from tracker.cli import parser as cli_parser

    def help_text(formatter: type) -> str:
        monkeypatch.setattr(cli_parser, "HelpFormatter", formatter)  # what every sub-command's parser uses
        parser = cli_parser.build_parser()
        sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return "\n".join(p.format_help() for p in (parser, sub.choices["list"], sub.choices["set"]))

    ours = cli_parser.HelpFormatter
    for columns in ("60", "100", "0"):
        monkeypatch.setenv("COLUMNS", columns)
        assert help_text(ours) == help_text(argparse.RawDescriptionHelpFormatter), columns
    monkeypatch.setenv("COLUMNS", "60")
    narrow = help_text(ours)
    monkeypatch.setenv("COLUMNS", "120")
    assert help_text(ours) != narrow


def _examples() -> list[list[str]]:
    """Every example command line the help shows (main help and each sub-command's)."""
    import argparse
    import shlex

    from tracker.cli.parser import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    found = []
    for p in (parser, *sub.choices.values()):
        for line in (p.epilog or "").splitlines():
            line = line.strip().split(" | ")[0]
            if line.startswith("tracker "):
                found.append(shlex.split(line, comments=True)[1:])
    return found


def test_the_one_command_parser_reads_every_example_as_the_whole_grammar_does():
    from tracker.cli.main import command_named
    from tracker.cli.parser import build_parser

    examples = _examples()
    assert len(examples) > 40
    extra = [["--db", "x.db", "--today", "2022-11-15", "note", "12", "进展"], ["--by", "list", "list", "--overdue"],
             ["set", "12", "done", "--db", "y.db", "--by", "甲"]]
    checked = 0
    for argv in examples + extra:
        if "--help" in argv:  # the main help's "tracker 命令 --help"
            continue
        whole = build_parser().parse_args(argv)
        assert command_named(argv) == whole.command, argv
        assert build_parser(whole.command).parse_args(argv) == whole, argv
        checked += 1
    assert checked == len(examples) + len(extra) - 1
    assert command_named(["--by", "list", "list"]) == "list" and command_named(["--help"]) is None
    assert command_named(["lst"]) is None and command_named(["--db", "note", "list"]) == "list"


def test_a_usage_error_reads_as_the_whole_grammar_words_it():
    from tracker.cli.errors import UsageError
    from tracker.cli.main import parse
    from tracker.cli.parser import build_parser

    for argv in (["note"], ["set", "12", "done", "--bogus"], ["list", "--sort", "size"], ["lst"]):
        with pytest.raises(UsageError) as whole:
            build_parser().parse_args(argv)
        with pytest.raises(UsageError) as mine:
            parse(argv)
        assert str(mine.value) == str(whole.value)


_COLLECTOR_PROBE = """
import gc, sys
from tracker.cli.context import Ctx
from tracker.cli import main
collections = []
gc.callbacks.append(lambda phase, info: phase == "start" and collections.append(info["generation"]))
seen = {}
read = Ctx.read
def first_read(self):
    seen.setdefault("command", (len(collections), gc.isenabled(), gc.get_freeze_count()))
    return read(self)
Ctx.read = first_read
sys.argv = ["tracker", *sys.argv[1:]]
rc = main(%s)
print(repr((rc, seen["command"], gc.isenabled(), gc.get_freeze_count())))
"""


def _collector_at_command(db: Path, argv_given: bool) -> tuple:
    argv = ["--db", str(db), "--config", str(REPO / "config.toml"), "--today", "2022-12-01", "list", "--overdue"]
    code = _COLLECTOR_PROBE % ("sys.argv[1:]" if argv_given else "")
    result = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, cwd=REPO,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    rc, *state = eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 - our own subprocess printed a tuple
    assert rc == 0, result.stderr
    return tuple(state)


def test_the_tracker_command_starts_up_without_collecting_and_freezes_what_start_up_made(db_path):
    """Everything start-up makes (modules, parser, settings) lives until the process ends: no collection walks it
    while it is made, and frozen, none walks it during the command or at exit."""
    (collections, enabled, frozen), enabled_after, _ = _collector_at_command(db_path, argv_given=False)
    assert collections == 0
    assert enabled and enabled_after  # the command itself runs with the collector on
    assert frozen > 5000


def test_main_called_with_arguments_leaves_the_collector_alone(db_path):
    """Tests (and any caller) run main() many times in one process: nothing is frozen for them."""
    (_collections, enabled, frozen), enabled_after, frozen_after = _collector_at_command(db_path, argv_given=True)
    assert enabled and enabled_after
    assert frozen == 0 and frozen_after == 0
