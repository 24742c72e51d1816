"""Rich output for the command line: tables with traffic-light rows, count lines, JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

from tracker.config import ROLE_LABELS, UNIT_KIND_LABELS, Config
from tracker.dates import local_day
from tracker.labels import late_text  # noqa: F401  (re-exported for the commands)
from tracker.printable import printable

if TYPE_CHECKING:  # rich loads when a command draws with it (~0.1 s of every start otherwise)
    from rich.console import Console
    from rich.text import Text

NON_TTY_WIDTH = 200


def console(file=None) -> Console:  # noqa: ANN001
    """A console on the *current* stdout. Not a terminal: wide, so scripted text is not cut short."""
    from rich.console import Console

    out = file or sys.stdout
    is_tty = bool(getattr(out, "isatty", lambda: False)())
    return Console(
        file=out,
        width=None if is_tty else NON_TTY_WIDTH,
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def print_json(data: Any) -> None:
    """Indented JSON, except that each element of a top-level list of objects (tasks, units,
    measures…) is one compact line: the same document for a JSON parser, easy to ``grep``, and
    written with the C encoder (an indented dump of 100k tasks is ~5× slower and holds it all twice).
    A value may be an iterator of objects: it is written as such a list, element by element as the
    iterator yields them (``list --json`` of a million tasks never holds them all)."""
    import json  # here: most commands print no JSON

    write = sys.stdout.write
    if not isinstance(data, dict):
        write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    write("{")
    for n, (key, value) in enumerate(data.items()):
        write(("," if n else "") + "\n  " + json.dumps(key, ensure_ascii=False) + ": ")
        if isinstance(value, Iterator):
            _write_objects(write, value)
        elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            _write_objects(write, iter(value))
        else:
            write(json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  "))
    write("\n}\n")


def _write_objects(write: Callable[[str], Any], items: Iterator[dict]) -> None:
    """A list of objects one compact line each (``[]`` when there are none)."""
    import json

    encode = json.JSONEncoder(ensure_ascii=False).encode  # what json.dumps(item, ensure_ascii=False) uses
    first = next(items, None)
    if first is None:
        write("[]")
        return
    write("[\n    " + encode(first))
    for item in items:
        write(",\n    " + encode(item))
    write("\n  ]")


def T(value: Any, style: str = "", *, multiline: bool = False) -> Text:  # noqa: N802 - short cell constructor
    """Plain text for the terminal: never Rich markup, never a control sequence (see tracker.printable)."""
    from rich.text import Text

    return Text(printable(value, multiline=multiline), style=style)


def fmt_date(value: date | None) -> str:
    return value.isoformat() if value else ""


def row_style(status: str, overdue: bool, due_soon: bool) -> str:
    if status in ("done", "dropped"):
        return "dim"
    if overdue:
        return "red"
    if due_soon:
        return "yellow"
    return ""


def status_cell(status: str, config: Config) -> Text:
    from rich.text import Text

    label = config.status_label(status)
    if status == "blocked":
        return Text(f"{label} !", style="bold magenta")
    if status == "done":
        return Text(label, style="green")
    return Text(label)


def kind_label(kind: str) -> str:
    return UNIT_KIND_LABELS.get(kind, kind)


def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, role)


def pct(part: int, total: int) -> str:
    return f"{100.0 * part / total:.1f}%" if total else "—"


# Tables with many rows are written as formatted lines with ANSI colours: laying out a Rich Table
# costs ~0.4 ms a row (13 s for 30k tasks), a formatted line a few microseconds.
_ANSI = {"red": "\x1b[31m", "yellow": "\x1b[33m", "dim": "\x1b[2m", "bold": "\x1b[1m", "magenta": "\x1b[1;35m", "": ""}
_RESET = "\x1b[0m"


class Col(NamedTuple):
    header: str
    cap: int = 40  # widest it grows to fit its content
    low: int = 4  # narrowest it shrinks to on a narrow terminal (only when shrink is set)
    right: bool = False
    shrink: bool = False
    drop: int = 0  # on a terminal too narrow even after shrinking, columns leave highest ``drop`` first (0: never)


def grid_lines(
    columns: Sequence[Col],
    rows: Sequence[Sequence[str]],
    styles: Sequence[str] = (),
    *,
    width: int | None,
    color: bool,
    marks: dict[tuple[int, int], str] | None = None,
) -> list[str]:
    """A table as lines: ``A ┃ B`` header, ``━╇━`` rule, ``a │ b`` rows. Widths in terminal cells
    (CJK counts two), long text cut with ``…``; ``styles[i]`` colours row ``i`` (red, yellow, dim,
    bold); ``marks[(row, col)]`` colours one cell (e.g. 受阻 in magenta)."""
    from rich.cells import cell_len

    from tracker.cell_width import fit

    rows = [[printable(v) for v in r] for r in rows]
    lengths: dict[str, int] = {}

    def length(text: str) -> int:  # ids, dates and counts are ASCII; names and titles repeat
        if text.isascii():
            return len(text)
        found = lengths.get(text)
        if found is None:
            found = lengths[text] = cell_len(text)
        return found

    widths = [
        max([cell_len(c.header)] + [min(length(r[i]), c.cap) for r in rows]) for i, c in enumerate(columns)
    ]
    if width is not None:  # a terminal: give up space from the shrinkable columns, widest first
        excess = sum(widths) + 3 * (len(widths) - 1) - width
        shrinkable = [i for i, c in enumerate(columns) if c.shrink]
        while excess > 0 and shrinkable:
            i = max(shrinkable, key=lambda k: widths[k] - columns[k].low)
            if widths[i] <= columns[i].low:
                break
            widths[i] -= 1
            excess -= 1
        # still too wide: leave out the least needed columns rather than let every line wrap
        droppable = sorted((i for i, c in enumerate(columns) if c.drop), key=lambda k: -columns[k].drop)
        dropped: set[int] = set()
        for i in droppable:
            if excess <= 0:
                break
            dropped.add(i)
            excess -= widths[i] + 3
        if dropped:
            keep = [i for i in range(len(columns)) if i not in dropped]
            columns = [columns[i] for i in keep]
            widths = [widths[i] for i in keep]
            rows = [[r[i] for i in keep] for r in rows]
            marks = {(n, keep.index(i)): m for (n, i), m in (marks or {}).items() if i in keep}
    align = ["right" if c.right else "left" for c in columns]
    fitted: dict[tuple[str, int, str], str] = {}

    def fit_cell(text: str, width: int, side: str) -> str:
        """``fit``, at once for short ASCII (no tab or line break: one cell per character)."""
        if len(text) <= width and text.isascii() and "\t" not in text and "\n" not in text and "\r" not in text:
            return text.rjust(width) if side == "right" else text.ljust(width)
        key = (text, width, side)
        found = fitted.get(key)
        if found is None:
            found = fitted[key] = fit(text, width, side)
        return found

    head = " ┃ ".join(fit(c.header, widths[i], align[i]) for i, c in enumerate(columns))
    lines = [f"{_ANSI['bold']}{head}{_RESET}" if color else head, "━╇━".join("━" * w for w in widths)]
    marks = marks or {}
    for n, values in enumerate(rows):
        style = styles[n] if n < len(styles) else ""
        parts = [fit_cell(v, widths[i], align[i]) for i, v in enumerate(values)]  # values made printable above
        marked = False
        if color:
            for i in range(len(parts)):
                mark = marks.get((n, i))
                if mark:
                    parts[i] = f"{_ANSI[mark]}{parts[i]}{_RESET}{_ANSI[style]}"
                    marked = True
        line = " │ ".join(parts)
        lines.append(f"{_ANSI[style]}{line}{_RESET}" if color and (style or marked) else line)
    return lines


def write_lines(lines: list[str]) -> None:
    sys.stdout.write("\n".join(lines) + "\n")


def terminal() -> tuple[int | None, bool]:
    """(width, colour) for tables: a terminal's width and colours (unless NO_COLOR); else unlimited, plain."""
    if not sys.stdout.isatty():
        return None, False
    import os
    import shutil

    return shutil.get_terminal_size().columns, not os.environ.get("NO_COLOR")


TASK_COLUMNS = (
    Col("编号", 8, 4, right=True),
    Col("措施", 40, 8, shrink=True),
    Col("单位", 24, 8, shrink=True),
    Col("角色", 4),
    Col("状态", 8, 6),
    Col("截止", 10, 10),
    Col("逾期/剩余", 12, 10),
    Col("更新", 24, 5, shrink=True),
)


def task_lines(rows, today: date, config: Config, *, width: int | None, color: bool) -> list[str]:  # noqa: ANN001
    """The task list: overdue red, due soon yellow, done dim, 受阻 marked ``!`` (magenta)."""
    cells, styles, marks = [], [], {}
    for n, r in enumerate(rows):
        status = config.status_label(r.status)
        if r.status == "blocked":
            status += " !"
            marks[(n, 4)] = "magenta"
        cells.append([
            str(r.id), f"{r.measure_code} {r.measure_title}".strip(), r.unit, role_label(r.role), status,
            fmt_date(r.due), late_text(r.due, r.status, today),
            f"{local_day(r.updated_at).isoformat()} {r.updated_by}".strip(),
        ])
        styles.append(row_style(r.status, r.is_overdue(today), r.is_due_soon(today, config.due_soon_days)))
    return grid_lines(TASK_COLUMNS, cells, styles, width=width, color=color, marks=marks)


def count_columns(config: Config) -> list[Col]:
    # on a narrow terminal 待销号, 受阻 then 未启动 give way first (the total, done, overdue and rate stay)
    drops = {"todo": 2, "doing": 0, "blocked": 3, "review": 4, "done": 0}
    return [Col("任务", 8, right=True)] + [
        Col(config.status_label(code), 8, right=True, drop=drops[code])
        for code in ("todo", "doing", "blocked", "review", "done")
    ] + [Col("逾期", 8, right=True), Col("完成率", 8, right=True)]


def count_values(counts) -> list[str]:  # noqa: ANN001
    values = (counts.total, counts.todo, counts.doing, counts.blocked, counts.review, counts.done, counts.overdue)
    return [str(v) for v in values] + [
        pct(counts.done, counts.total)
    ]


def counts_line(counts, config: Config, shown: int | None = None) -> str:  # noqa: ANN001
    parts = [
        f"总数 {counts.total}",
        f"{config.status_label('done')} {counts.done}",
        f"{config.status_label('doing')} {counts.doing}",
        f"{config.status_label('todo')} {counts.todo}",
        f"{config.status_label('blocked')} {counts.blocked}",
        f"逾期 {counts.overdue}",
    ]
    if counts.dropped:
        parts.insert(5, f"{config.status_label('dropped')} {counts.dropped}")
    line = " · ".join(parts)
    if shown is not None and shown < counts.total:
        line += f"（显示 {shown} 项）"
    return line


def rich_table():  # noqa: ANN201
    """A borderless Rich table for the show, targets and unassigned views."""
    from rich.table import Table

    return Table(show_edge=False, pad_edge=False, header_style="bold")


def changes_json(changes) -> list[dict]:  # noqa: ANN001
    """The ``changes`` list of a write command's JSON: task id, its new version, the events written."""
    return [{"task_id": c.task_id, "version": c.version, "events": list(c.event_ids)} for c in changes]
