"""Expected outputs of ``list --json`` and ``export`` on the seed documents, kept as files.

The outputs were captured from the code that built every row in memory before the output was
written; the streaming code must write the same bytes. Regenerate (only when the output is
meant to change) with::

    python -m tests.export_goldens

The database: every seed imported, a measure of the news articles assigned, statuses, notes
(with markdown and spreadsheet specials), deadlines moved into the past and the next days, a
target's actual value, one task 已完成 and one 待销号, and ``updated_at`` rewritten to fixed times
(the write commands record the real clock).
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
import sys
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "fixtures" / "export"
TODAY = "2022-11-15"

# (file name, command line); a name ending in .xlsx or .docx is written with -o
CASES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("list.json", ("list", "--json")),
    ("list-late.json", ("list", "--json", "--sort", "late")),
    ("list-unit-sort.json", ("list", "--json", "--sort", "unit", "--status", "open")),
    ("list-overdue-town.json", ("list", "--json", "--overdue", "--kind", "街镇")),
    ("list-updated-limit.json", ("list", "--json", "--sort", "updated", "--limit", "7")),
    ("report.md", ("export",)),
    ("report-by-unit.md", ("export", "--by", "unit")),
    ("report-one-unit.md", ("export", "--unit", "区财政局")),
    ("report-doing.md", ("export", "--status", "doing")),
    ("report-doc1.md", ("export", "--doc", "1")),
    ("report-empty.md", ("export", "--text", "没有这样的文字")),
    ("ledger.xlsx", ("export",)),
    ("ledger-town.xlsx", ("export", "--unit", "夏阳街道")),
    ("report.docx", ("export",)),
)

# (command line) applied after the import, in order
WRITES: tuple[tuple[str, ...], ...] = (
    ("assign", "--doc", "1", "S1", "区人力资源社会保障局", "区财政局", "各街镇"),
    ("assign", "--doc", "1", "S2", "区财政局"),
    ("set", "1", "2", "3", "doing", "--note", "已召开推进会 | 第一次 *重点* <b>"),
    ("set", "4", "done", "--note", "=SUM(A1:A2) 已完成"),
    ("set", "5", "blocked", "--note", "等待资金\n下月再议"),
    ("set", "6", "7", "dropped"),
    ("due", "2", "2022-10-01"),
    ("due", "3", "2022-11-20"),
    ("due", "8", "2022-11-01"),
    ("due", "9", "none"),
    ("due", "12", "2022-11-15"),
    ("set", "20", "21", "22", "23", "doing"),
    ("due", "20", "2022-09-30"),
    ("due", "21", "2022-09-30"),
    ("due", "276", "2022-11-10"),
    ("note", "276", "已对接 [区财政局] `资金` 到位 & 完成 50%"),
    ("set", "277", "done"),
    ("actual", "2", "39万", "--as-of", "2022-10-31"),
    ("actual", "6", "600", "--as-of", "2022-11-01"),
)


def _cli(db: Path, *argv: str) -> tuple[int, bytes]:
    import tracker
    from tracker.cli import main

    config = Path(tracker.__file__).resolve().parent.parent / "config.toml"  # the code's own settings
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["--db", str(db), "--today", TODAY, "--config", str(config), "--by", "督查科",
                     *argv])
    return code, out.getvalue().encode("utf-8")


def build_seed_db(db: Path) -> Path:
    seeds = sorted(str(p) for p in (REPO / "seeds").glob("*.txt"))
    code, _ = _cli(db, "import", *seeds)
    assert code == 0, "seed import failed"
    for argv in WRITES:
        code, _ = _cli(db, *argv)
        assert code == 0, f"{argv} failed"
    con = sqlite3.connect(db)
    with con:  # fixed times: some with microseconds, some on the second
        con.execute(
            "UPDATE task SET updated_at = printf('2022-%02d-%02d %02d:%02d:%02d.%06d', 1 + id % 11, 1 + id % 27, "
            "id % 24, id % 60, (id * 7) % 60, CASE WHEN id % 3 = 0 THEN 0 ELSE id * 1013 % 1000000 END)"
        )
        # closed off (销号) without depending on the verify setting or command: one 已完成, one 待销号 stay
        con.execute("UPDATE task SET status = 'done' WHERE id = 4")
    con.close()
    return db


def run_case(db: Path, name: str, argv: tuple[str, ...], out_dir: Path) -> bytes:
    """The output of one case: stdout, or the file written with -o."""
    if name.endswith((".xlsx", ".docx")):
        target = out_dir / name
        code, _ = _cli(db, *argv, "-o", str(target))
        assert code == 0, f"{argv} failed"
        return target.read_bytes()
    code, out = _cli(db, *argv)
    assert code == 0, f"{argv} failed"
    return out


def office_parts(data: bytes) -> dict[str, bytes]:
    """An .xlsx/.docx as its parts, without the creation and modification times (docProps/core.xml)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def main() -> int:
    import tempfile

    GOLDEN.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = build_seed_db(Path(tmp) / "seeds.db")
        for name, argv in CASES:
            (GOLDEN / name).write_bytes(run_case(db, name, argv, Path(tmp)))
            print(name, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
