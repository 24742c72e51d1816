"""The command line's grammar (argparse): every command, option and help text in one place."""

from __future__ import annotations

import argparse

from tracker.cli.errors import UsageError


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line (no usage block) and never call sys.exit from deep inside."""

    def error(self, message: str):  # type: ignore[override]
        raise UsageError(f"{message}（见 {self.prog} --help）")

def _common_options(suppress: bool) -> argparse.ArgumentParser:
    """Options accepted before or after the sub-command (``tracker --db x list`` or ``tracker list --db x``)."""
    default = argparse.SUPPRESS if suppress else None
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("global options")
    g.add_argument("--config", metavar="PATH", default=default, help="config file (else TRACKER_CONFIG, ./config.toml, user config dir)")
    g.add_argument("--db", metavar="PATH", default=default, help="SQLite file or database URL (else TRACKER_DB, config database_url)")
    g.add_argument("--today", metavar="YYYY-MM-DD", default=default, help="the date overdue is measured against (else TRACKER_TODAY, config today)")
    return p

def _who_option(suppress: bool) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--by", metavar="NAME", default=argparse.SUPPRESS if suppress else None,
                   help="who makes the change (else config user, TRACKER_USER, the OS user)")
    return p

def _filter_options() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("filters (combine freely)")
    g.add_argument("--unit", action="append", default=[], metavar="NAME", help="unit name (repeatable; aliases and groups such as 各街镇 expand)")
    g.add_argument("--kind", action="append", default=[], metavar="KIND", help="unit kind: 部门|街镇|集合|企业 or agency|town|group|company (comma list)")
    g.add_argument("--status", metavar="LIST", help="statuses, comma list of codes or labels: todo,doing,blocked,done,dropped / 未启动,推进中,受阻,已完成,不适用; 'open' = not closed")
    g.add_argument("--doc", metavar="ID", help="document id")
    g.add_argument("--chapter", metavar="CODE", help="chapter, e.g. 三 (第三部分 also accepted)")
    g.add_argument("--measure", metavar="CODE", help="measure code, e.g. 三（一） or 三(一)")
    g.add_argument("--role", metavar="ROLE", help="lead|support (牵头|配合)")
    g.add_argument("--overdue", action="store_true", help="open tasks past their deadline")
    g.add_argument("--due-within", type=int, metavar="N", help="open tasks due within N days")
    g.add_argument("--stale", type=int, metavar="N", help="open tasks with no update for N days")
    g.add_argument("--text", metavar="TEXT", help="text in the measure, unit name or note")
    return p

def build_parser() -> argparse.ArgumentParser:
    common, common_sub = _common_options(False), _common_options(True)
    who_sub = _who_option(True)
    filters = _filter_options()

    parser = _Parser(
        prog="tracker",
        description="督查督办 task tracker: policy measures × responsible units. Without a command, opens the app.",
        parents=[common, _who_option(False)],
    )
    parser.add_argument("--version", action="version", version=f"tracker {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def add(name: str, help_: str, *parents: argparse.ArgumentParser) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help_, description=help_, parents=[common_sub, *parents])

    p = add("init", "write a default config file (default ./config.toml)")
    p.add_argument("path", nargs="?", default="config.toml", metavar="PATH")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")

    p = add("import", "import policy documents (parse all first; any error stores nothing)", who_sub)
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--dry-run", action="store_true", help="parse and report, store nothing")
    p.add_argument("--json", action="store_true", help="print JSON (the parsed document with --dry-run, else the import result)")

    p = add("list", "list tasks (or, with --unassigned, measures waiting for units)", filters)
    p.add_argument("--unassigned", action="store_true", help="list measures that have no responsible unit yet")
    p.add_argument("--sort", choices=("due", "measure", "unit", "updated", "late"), default="due")
    p.add_argument("--limit", type=int, metavar="N", help="show at most N tasks")
    p.add_argument("--json", action="store_true")

    p = add("show", "show one task: measure text, the other units, targets, history")
    p.add_argument("task", metavar="TASK", help="task id (12 or #12)")
    p.add_argument("--json", action="store_true")

    p = add("set", "set the status of one or more tasks (all or nothing)", who_sub)
    p.add_argument("items", nargs="+", metavar="TASK… STATUS", help="task ids then a status code or label")
    p.add_argument("--note", default="", help="progress note recorded with the change")
    p.add_argument("--due", metavar="DATE", help="also move the deadline")
    p.add_argument("--version", type=int, metavar="N", help="the task version you read; refuse if it moved on")
    p.add_argument("--json", action="store_true")

    p = add("due", "move a task's deadline (DATE: 2022-12-31, 2022/12/31, 2022年12月31日, eom, eoy, +2w, +10d, none)", who_sub)
    p.add_argument("task", metavar="TASK")
    p.add_argument("date", metavar="DATE")
    p.add_argument("--note", default="")
    p.add_argument("--version", type=int, metavar="N")
    p.add_argument("--json", action="store_true")

    p = add("assign", "give a measure responsible units (group names such as 各街镇 expand)", who_sub)
    p.add_argument("measure", metavar="MEASURE", help="measure id (#12) or code (三（一）)")
    p.add_argument("units", nargs="+", metavar="UNIT")
    p.add_argument("--lead", action="store_true", help="the (first) unit given leads the measure (牵头)")
    p.add_argument("--doc", metavar="ID", help="document id, when the code exists in several documents")
    p.add_argument("--due", metavar="DATE", help="deadline of the new tasks (default: the measure's)")
    p.add_argument("--new", action="store_true", help="allow unit names not seen before (else a typo is an error)")
    p.add_argument("--json", action="store_true")

    p = add("unassign", "remove a unit's task from a measure (with its history)", who_sub)
    p.add_argument("measure", metavar="MEASURE")
    p.add_argument("unit", metavar="UNIT")
    p.add_argument("--doc", metavar="ID")

    p = add("note", "record a progress note on a task", who_sub)
    p.add_argument("task", metavar="TASK")
    p.add_argument("text", metavar="TEXT")
    p.add_argument("--version", type=int, metavar="N")
    p.add_argument("--json", action="store_true")

    p = add("targets", "numeric targets (指标) with their latest actual values")
    p.add_argument("--doc", metavar="ID", help="document id")
    p.add_argument("--json", action="store_true")

    p = add("actual", "record the latest actual value of a target (VALUE: 390000, 39万, 85%%, none)")
    p.add_argument("target", metavar="TARGET", help="target id (see: tracker targets)")
    p.add_argument("value", metavar="VALUE")
    p.add_argument("--as-of", metavar="DATE", help="date of the figure (default: today)")
    p.add_argument("--json", action="store_true")

    p = add("units", "all units with their kind, tasks, done and overdue")
    p.add_argument("--kind", action="append", default=[], metavar="KIND")
    p.add_argument("--json", action="store_true")

    p = add("summary", "per document and per unit kind: measures, tasks, statuses, overdue")
    p.add_argument("--json", action="store_true")

    p = add("export", "markdown status report (stdout, or -o FILE)", filters)
    p.add_argument("--by", dest="group_by", choices=("measure", "unit"), default="measure",
                   help="detail section grouped by measure (default) or by unit")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    return parser

def _version() -> str:
    from tracker import __version__

    return __version__
