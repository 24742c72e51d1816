"""The floor: a bare Python loop over sqlite3 doing what a tracker command does, nothing more.

    python bench/floor.py list-json DB          # every task as a JSON line (list --json)
    python bench/floor.py list-filtered DB UNIT  # one unit's overdue tasks as text lines
    python bench/floor.py summary DB            # counts per document and unit kind
    python bench/floor.py export-md DB          # every task as a markdown table row (export)
    python bench/floor.py export-xlsx DB OUT    # every task as a row of a write-only workbook

Each reads the same rows with the same joins and order as tracker and writes them as they
come (to stdout, or OUT). It imports only sqlite3 and json (openpyxl for the workbook), so its
time and memory are what the work itself costs: tracker's figures are read against it.
"""

from __future__ import annotations

import json
import sqlite3
import sys

TODAY = "2022-11-15"
SOON_END = "2022-11-29"
COLUMNS = (
    "task.id, task.measure_id, measure.code, measure.title, measure.chapter_code, measure.chapter, "
    "measure.document_id, document.title, task.unit_id, unit.name, unit.kind, task.role, task.status, "
    "task.due, measure.due_phrase, task.note, task.updated_at, task.updated_by, task.version"
)
FROM = (
    "task JOIN measure ON measure.id = task.measure_id JOIN unit ON unit.id = task.unit_id "
    "JOIN document ON document.id = measure.document_id"
)
WITHIN = "task.role, unit.kind, unit.id, task.id"
BY_DUE = f"task.due IS NULL, task.due, measure.document_id, measure.\"order\", {WITHIN}"
BY_MEASURE = f"measure.document_id, measure.\"order\", {WITHIN}"
OPEN = "task.status IN ('todo', 'doing', 'blocked')"
KEYS = ("id", "measure_id", "measure", "measure_title", "chapter", "chapter_title", "document_id", "document",
        "unit_id", "unit", "unit_kind", "role", "status", "due", "due_phrase", "note", "updated_at", "updated_by",
        "version")


def connect(path: str) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def list_json(db: str) -> None:
    out = sys.stdout.write
    out('{"tasks": [')
    for n, row in enumerate(connect(db).execute(f"SELECT {COLUMNS} FROM {FROM} ORDER BY {BY_DUE}")):
        out(("," if n else "") + "\n" + json.dumps(dict(zip(KEYS, row)), ensure_ascii=False))
    out("\n]}\n")


def list_filtered(db: str, unit: str) -> None:
    sql = (f"SELECT {COLUMNS} FROM {FROM} WHERE unit.name = ? AND {OPEN} AND task.due < ? "
           f"ORDER BY {BY_DUE}")
    for row in connect(db).execute(sql, (unit, TODAY)):
        print(f"{row[0]:>6} │ {row[2]} {row[3]} │ {row[9]} │ {row[12]} │ {row[13]}")


def summary(db: str) -> None:
    con = connect(db)
    sql = (
        "SELECT measure.document_id, unit.kind, COUNT(task.id), "
        + ", ".join(f"SUM(CASE WHEN task.status = '{s}' THEN 1 ELSE 0 END)"
                    for s in ("todo", "doing", "blocked", "done", "dropped"))
        + f", SUM(CASE WHEN {OPEN} AND task.due < ? THEN 1 ELSE 0 END) "
        "FROM task JOIN measure ON measure.id = task.measure_id JOIN unit ON unit.id = task.unit_id "
        "GROUP BY measure.document_id, unit.kind"
    )
    titles = dict(con.execute("SELECT id, title FROM document"))
    for row in con.execute(sql, (TODAY,)):
        print(titles.get(row[0], ""), *row[1:])


def export_md(db: str) -> None:
    out = sys.stdout.write
    out("| 编号 | 措施 | 单位 | 角色 | 状态 | 截止 | 最新进展 |\n| ---: | --- | --- | --- | --- | --- | --- |\n")
    for row in connect(db).execute(f"SELECT {COLUMNS} FROM {FROM} ORDER BY {BY_MEASURE}"):
        out(f"| {row[0]} | {row[2]} {row[3]} | {row[9]} | {row[11]} | {row[12]} | {row[13] or '未定'} | {row[15] or '—'} |\n")


def export_xlsx(db: str, path: str) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("任务")
    sheet.append(["编号", "文件", "措施", "内容", "单位", "角色", "状态", "截止", "进展", "更新"])
    for row in connect(db).execute(f"SELECT {COLUMNS} FROM {FROM} ORDER BY {BY_MEASURE}"):
        sheet.append([row[0], row[7], row[2], row[3], row[9], row[11], row[12], row[13], row[15], row[16]])
    book.save(path)


MODES = {"list-json": list_json, "list-filtered": list_filtered, "summary": summary, "export-md": export_md,
         "export-xlsx": export_xlsx}

if __name__ == "__main__":
    MODES[sys.argv[1]](*sys.argv[2:])
