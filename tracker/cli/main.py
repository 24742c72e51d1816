"""``tracker``'s entry point: parse, dispatch to the command's module, turn any failure into one line.

Kept light: this module and the parser import only the standard library. A command's module (and with it
the store, Rich or the Textual app) is imported only when that command runs, so ``tracker --help`` loads
neither sqlmodel nor textual.

Exit codes: 0 ok · 2 bad input or usage · 1 runtime failure.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence

from tracker.cli.errors import EXIT_RUNTIME, UsageError, classify
from tracker.cli.parser import build_parser

# command → (module under tracker.cli, function); the module is imported when the command runs.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("init", "cmd_init"),
    "import": ("importing", "cmd_import"),
    "list": ("listing", "cmd_list"),
    "units": ("listing", "cmd_units"),
    "summary": ("listing", "cmd_summary"),
    "show": ("show", "cmd_show"),
    "export": ("export", "cmd_export"),
    "collect": ("collect", "cmd_collect"),
    "set": ("tasks", "cmd_set"),
    "due": ("tasks", "cmd_due"),
    "note": ("tasks", "cmd_note"),
    "assign": ("assignment", "cmd_assign"),
    "unassign": ("assignment", "cmd_unassign"),
    "targets": ("targets", "cmd_targets"),
    "actual": ("targets", "cmd_actual"),
    "db": ("db", "cmd_db"),
    "archive": ("documents", "cmd_archive"),
    "unarchive": ("documents", "cmd_unarchive"),
    "extend": ("cycle", "cmd_extend"),
    "verify": ("cycle", "cmd_verify"),
    "evidence": ("cycle", "cmd_evidence"),
    "add": ("items", "cmd_add"),
    "cadence": ("items", "cmd_cadence"),
    "remind": ("remind", "cmd_remind"),
}
# Commands that need no database (and so no context).
NO_CONTEXT = {"init"}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (the console script passes it to sys.exit).

    Without ``argv`` this is the process's own command line (the ``tracker`` command): the process ends with
    the command, which lets its start-up skip the garbage collector (see :func:`_started`)."""
    own_process = argv is None
    args_list = list(sys.argv[1:] if own_process else argv)
    if own_process:
        gc.disable()
    try:
        try:
            args = parse(args_list)
        except SystemExit as exc:  # --help / --version
            return int(exc.code or 0) if not isinstance(exc.code, str) else 2
        return dispatch(args, own_process=own_process)
    except KeyboardInterrupt:
        _fail("已中断")
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_RUNTIME
    except SystemExit as exc:  # Rich exits 1 on a closed pipe; stay quiet like other tools
        _silence_stdout()
        return exc.code if isinstance(exc.code, int) else EXIT_RUNTIME
    except BaseException as exc:  # noqa: BLE001 - no traceback ever escapes
        code, message = classify(exc)
        _fail(message)
        return code
    finally:
        if own_process:
            gc.enable()


def parse(argv: list[str]) -> argparse.Namespace:
    """The arguments, read by a parser holding only the sub-command named in ``argv`` when one is (help,
    and anything that parser does not accept, are read by the whole grammar)."""
    command = command_named(argv)
    if command is None:
        return build_parser().parse_args(argv)
    try:
        return build_parser(command).parse_args(argv)
    except UsageError:  # a usage error, or the guess was wrong: the whole grammar says which
        return build_parser().parse_args(argv)


# options before the sub-command that take a value (``tracker --db x list``)
_VALUED_OPTIONS = frozenset({"--config", "--db", "--today", "--by"})


def command_named(argv: list[str]) -> str | None:
    """The sub-command ``argv`` runs (its first word that is not an option or an option's value), or None
    when there is none, it is unknown or help or the version is asked for."""
    if any(a in ("-h", "--help", "--version") for a in argv):
        return None
    value_next = False
    for arg in argv:
        if value_next:
            value_next = False
        elif arg in _VALUED_OPTIONS:
            value_next = True
        elif not arg.startswith("-"):
            return arg if arg in COMMANDS else None
    return None


def dispatch(args: argparse.Namespace, *, own_process: bool = False) -> int:
    if args.command is None:
        _started(own_process)
        from tracker.cli.app import open_app

        return open_app(args)
    module_name, function = COMMANDS[args.command]
    handler = getattr(importlib.import_module(f"tracker.cli.{module_name}"), function)
    if args.command in NO_CONTEXT:
        _started(own_process)
        return handler(args)
    from tracker.cli.context import make_ctx

    ctx = make_ctx(args)
    _started(own_process)
    try:
        return handler(ctx, args)
    finally:
        ctx.close()


def _started(own_process: bool) -> None:
    """Start-up is over. What it made (modules, the parser, the settings) lives until the process ends:
    frozen, the collector's passes during the command and at exit skip it (~4 ms of a ~50 ms command);
    paused until now, the collector did not walk it a dozen times while it was being made. Only for the
    process's own command line (tests run main() many times in one process); the app freezes its own."""
    if own_process:
        gc.freeze()
        gc.enable()


def _silence_stdout() -> None:
    """After the reader went away (``tracker list | head``), avoid a second error at interpreter exit."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def _fail(message: str) -> None:
    from tracker.printable import printable

    line = " ".join(printable(message).split()) or "错误"
    try:
        print(f"tracker: {line}", file=sys.stderr)
    except Exception:  # noqa: BLE001
        pass
