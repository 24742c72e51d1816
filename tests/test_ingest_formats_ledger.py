"""The Excel 台账 and the Word report out, and the 台账 back in (``tracker collect``)."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest


NASTY = "第一批|已招聘 `120` 人\n第二行\x07结束"  # a pipe, backticks, a newline, a control character
TYPED = "第一批|已招聘 `120` 人\n第二行"  # what a unit can type in an Excel cell (Alt+Enter for the newline)
FORMULA = "=HYPERLINK(\"http://example.invalid\")"  # stored text that must not become a formula


@pytest.fixture
def run(run):
    """The shared command-line runner, on a sample where 夏阳街道 has three tasks."""
    for measure in ("四（一）", "五（一）"):
        code, _out, err = run("assign", measure, "夏阳街道")
        assert code == 0, err
    return run


def _tasks(run, *filters: str) -> list[dict]:
    code, out, err = run("list", "--json", *filters)
    assert code == 0, err
    return json.loads(out)["tasks"]


def _sheet_rows(path: Path, sheet: str):
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    ws = workbook[sheet]
    header = [c.value for c in ws[1]]
    return workbook, ws, header


def test_export_xlsx_is_a_real_workbook(run, isolated_env):
    code, _out, err = run("note", "1", NASTY)
    assert code == 0, err
    code, _out, err = run("note", "2", FORMULA)
    assert code == 0, err
    code, _out, err = run("export", "-o", "台账.xlsx")
    assert code == 0, err
    workbook, ws, header = _sheet_rows(isolated_env / "台账.xlsx", "街镇")
    assert workbook.sheetnames[0] == "汇总" and "_台账信息" in workbook.sheetnames
    assert workbook["_台账信息"].sheet_state == "veryHidden"
    assert header[:11] == ["编号", "文件", "措施编号", "措施", "单位", "角色", "状态", "截止日期", "逾期天数", "进展情况", "更新时间"]
    assert ws.freeze_panes == "B2" and ws.auto_filter.ref.startswith("A1:K")
    assert ws.column_dimensions["L"].hidden and ws.column_dimensions["M"].hidden  # what the row was when exported
    total = sum(workbook[name].max_row - 1 for name in workbook.sheetnames if name not in ("汇总", "_台账信息"))
    assert total == len(_tasks(run))
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)} | {
        r[0]: r for name in workbook.sheetnames if name not in ("汇总", "_台账信息", "街镇")
        for r in workbook[name].iter_rows(min_row=2, values_only=True)
    }
    listed = {t["id"]: t for t in _tasks(run)}
    for task_id, row in rows.items():
        task = listed[task_id]
        assert row[4] == task["unit"]
        due = row[7]
        assert (due.date().isoformat() if isinstance(due, datetime) else due) == task["due"]
        assert isinstance(row[10], datetime)
    assert rows[1][9] == NASTY.replace("\x07", "")  # kept whole, only the character XML cannot hold is gone
    formula_cells = [r[9] for r in ws.iter_rows(min_row=2) if r[0].value == 2] + [
        r[9] for name in workbook.sheetnames if name not in ("汇总", "_台账信息", "街镇")
        for r in workbook[name].iter_rows(min_row=2) if r[0].value == 2]
    assert [(c.value, c.data_type) for c in formula_cells] == [(FORMULA, "s")]
    overdue = [t for t in listed.values() if t["overdue"]]
    assert overdue and all(rows[t["id"]][8] == t["days_late"] for t in overdue)
    summary = list(workbook["汇总"].iter_rows(values_only=True))
    assert summary[-1][0] == "合计" and summary[-1][1] == len(listed)


def test_export_docx_is_a_real_word_report(run, isolated_env):
    import docx

    run("note", "1", NASTY)
    code, _out, err = run("export", "-o", "报告.docx")
    assert code == 0, err
    code, markdown, err = run("export")
    document = docx.Document(str(isolated_env / "报告.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "总体情况" in text and "逾期任务" in text
    assert document.tables, "tables are real Word tables"
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header == ["指标", "数量", "占比"]
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("第一批|已招聘 `120` 人 第二行" in c for c in cells)  # the note reads as stored, not escaped
    assert document.paragraphs[0].text.replace(" ", "") in markdown.replace(" ", "")


@pytest.mark.parametrize("name", ["报告.pdf", "台账.xls", "x.html"])
def test_export_unknown_extension_is_one_line_exit_2(run, name):
    code, _out, err = run("export", "-o", name)
    assert code == 2 and len(err.strip().splitlines()) == 1 and "扩展名" in err


def test_export_format_option_overrides_extension(run, isolated_env):
    import io

    import openpyxl

    code, _out, err = run("export", "--format", "xlsx", "-o", "台账.dat")
    assert code == 0, err
    workbook = openpyxl.load_workbook(io.BytesIO((isolated_env / "台账.dat").read_bytes()))
    assert workbook.sheetnames[0] == "汇总"


def _fill(path: Path, edits: dict[int, dict[str, object]], out: Path, *, delete: int | None = None, add: bool = False):
    """Fill a unit's sheet as the unit would: by task id, the visible columns only."""
    import openpyxl

    workbook = openpyxl.load_workbook(path)
    ws = workbook["街镇"]
    header = [c.value for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        edit = edits.get(row[0].value)
        for title, value in (edit or {}).items():
            row[header.index(title)].value = value
    if delete is not None:
        ws.delete_rows(delete)
    if add:
        ws.append([None, None, None, "新增的一项工作", "夏阳街道", "配合", "推进中"])
    workbook.save(out)
    return out


def test_round_trip_unit_fills_in_its_sheet(run, isolated_env):
    code, _out, err = run("export", "--unit", "夏阳街道", "-o", "夏阳街道.xlsx")
    assert code == 0, err
    mine = _tasks(run, "--unit", "夏阳街道")
    first, second = mine[0]["id"], mine[1]["id"]
    filled = _fill(isolated_env / "夏阳街道.xlsx",
                   {first: {"状态": "推进中", "进展情况": TYPED}, second: {"状态": "已完成"}}, isolated_env / "回.xlsx")

    code, out, err = run("collect", str(filled), "--dry-run", "--json")
    assert code == 0, err
    plan = json.loads(out)[0]
    assert plan["applied"] is False and not plan["problems"] and not plan["conflicts"]
    # 已完成 awaits 销号: with verification on (the shipped config) it is stored as 待销号
    assert {c["task"]: c.get("status") for c in plan["changes"]} == {first: ["todo", "doing"], second: ["todo", "review"]}
    assert {t["id"]: t["status"] for t in _tasks(run, "--unit", "夏阳街道")}[first] == "todo"  # dry run stored nothing

    code, out, err = run("collect", str(filled))
    assert code == 0, err
    assert "更新 2 项" in out
    after = {t["id"]: t for t in _tasks(run, "--unit", "夏阳街道")}
    assert after[first]["status"] == "doing" and after[second]["status"] == "review"
    assert after[first]["note"] == TYPED
    assert after[first]["updated_by"] == "夏阳街道"
    code, out, err = run("show", str(first), "--json")
    history = json.loads(out)["history"]
    assert any(e["by"] == "夏阳街道" and e["field"] == "status" and e["new"] == "doing" for e in history)

    # the same file again: nothing left to change, and no conflict for rows it already applied
    code, out, err = run("collect", str(filled), "--json")
    again = json.loads(out)[0]
    assert code == 0 and not again["conflicts"] and not again["changes"] and not again["problems"]


def test_conflict_is_listed_never_overwritten(run, isolated_env):
    run("export", "--unit", "夏阳街道", "-o", "夏阳街道.xlsx")
    mine = _tasks(run, "--unit", "夏阳街道")
    first, second = mine[0]["id"], mine[1]["id"]
    code, _out, err = run("set", str(first), "受阻", "--note", "协调人已改")
    assert code == 0, err
    filled = _fill(isolated_env / "夏阳街道.xlsx",
                   {first: {"状态": "已完成"}, second: {"状态": "推进中"}}, isolated_env / "回.xlsx")
    code, out, err = run("collect", str(filled), "--json")
    plan = json.loads(out)[0]
    assert code == 2 and plan["applied"] is False
    assert [c["task"] for c in plan["conflicts"]] == [first]
    now = {t["id"]: t["status"] for t in _tasks(run, "--unit", "夏阳街道")}
    assert now[first] == "blocked" and now[second] == "todo"  # all or nothing per file
    code, out, err = run("collect", str(filled), "--partial", "--json")
    now = {t["id"]: t["status"] for t in _tasks(run, "--unit", "夏阳街道")}
    assert now[first] == "blocked" and now[second] == "doing"


def test_bad_rows_are_reported_with_sheet_and_row(run, isolated_env):
    run("export", "--unit", "夏阳街道", "-o", "夏阳街道.xlsx")
    mine = _tasks(run, "--unit", "夏阳街道")
    other = _tasks(run, "--unit", "盈浦街道")[0]["id"]
    filled = _fill(isolated_env / "夏阳街道.xlsx", {mine[0]["id"]: {"状态": "差不多了"}, mine[1]["id"]: {"编号": other}},
                   isolated_env / "回.xlsx", delete=4, add=True)
    _wb, ws, _header = _sheet_rows(isolated_env / "夏阳街道.xlsx", "街镇")
    row_of = {r[0].value: r[0].row for r in ws.iter_rows(min_row=2)}
    code, out, _err = run("collect", str(filled))
    assert code == 2
    assert f"街镇 第 {row_of[mine[0]['id']]} 行：未知状态“差不多了”" in out
    assert f"街镇 第 {row_of[mine[1]['id']]} 行：任务 {other} 不是本表导出的任务" in out
    assert "新增的行" in out and "的行已被删除" in out
    assert all(t["status"] == "todo" for t in _tasks(run, "--unit", "夏阳街道"))


def test_changed_deadline_needs_allow_due(run, isolated_env):
    run("export", "--unit", "夏阳街道", "-o", "夏阳街道.xlsx")
    first = _tasks(run, "--unit", "夏阳街道")[0]["id"]
    filled = _fill(isolated_env / "夏阳街道.xlsx", {first: {"截止日期": datetime(2023, 3, 31)}}, isolated_env / "回.xlsx")
    code, out, _err = run("collect", str(filled))
    assert code == 2 and "--allow-due" in out
    code, out, err = run("collect", str(filled), "--allow-due")
    assert code == 0, out + err
    assert {t["id"]: t["due"] for t in _tasks(run)}[first] == date(2023, 3, 31).isoformat()


def test_collect_refuses_a_file_that_is_not_a_ledger(run, isolated_env):
    (isolated_env / "别的.xlsx").write_bytes(b"not a workbook")
    code, _out, err = run("collect", str(isolated_env / "别的.xlsx"))
    assert code == 2 and "别的.xlsx" in err and len(err.strip().splitlines()) == 1
