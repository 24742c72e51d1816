"""tracker remind (催报), its notices, export --period (本期进展) and the summary's 待销号 column."""

from __future__ import annotations

import json

import pytest

from tests import cycle_scenario as sc
from tests.test_report import MD, check_tables, headings, inline_text, tables

NASTY_UNIT = "区`数据`|局\n第二行"


@pytest.fixture
def cycle_run(run, loaded_db):
    """``run`` on the sample database after three simulated months."""
    sc.prepare(loaded_db)
    for month in (sc.september, sc.october, sc.november):
        month(loaded_db)
    return run


def _rename(engine, old: str, new: str) -> None:  # noqa: ANN001
    from sqlalchemy import text

    with engine.begin() as conn:
        conn.execute(text("UPDATE unit SET name = :new WHERE name = :old"), {"new": new, "old": old})


def test_remind_json_shape_and_lists(cycle_run):
    code, out, err = cycle_run("remind", "--json", today="2022-11-19")
    assert code == 0, err
    data = json.loads(out)
    assert {"period", "report_due", "units"} <= set(data)
    assert (data["period"], data["report_due"]) == ("2022-11", "2022-11-25")
    for unit in data["units"]:
        assert {"unit", "unreported", "overdue"} <= set(unit)
        assert all(isinstance(i, int) for i in unit["unreported"] + unit["overdue"])
        assert set(unit["overdue"]) <= set(unit["unreported"])
    by_unit = {u["unit"]: u for u in data["units"]}
    assert data["units"][0]["unit"] == "区科委"
    assert (by_unit["区科委"]["unreported"], by_unit["区科委"]["overdue"]) == ([16, 17], [17])
    assert "盈浦街道" not in by_unit  # it reported on 14 November


def test_remind_document_and_unit_options(cycle_run):
    code, out, _ = cycle_run("remind", "--document", "2", "--json", today="2022-11-19")
    assert code == 0
    data = json.loads(out)
    assert (data["period"], data["report_due"]) == ("2022-W46", "2022-11-18")
    assert {u["unit"] for u in data["units"]} == {"区科委", "区经委"}
    code, out, _ = cycle_run("remind", "--unit", "夏阳街道", "--json", today="2022-11-26")
    assert [(u["unit"], u["unreported"], u["overdue"]) for u in json.loads(out)["units"]] == [("夏阳街道", [3], [3])]
    code, _, err = cycle_run("remind", "--document", "9")
    assert code == 2 and "找不到文件 9" in err and "Traceback" not in err


def test_remind_text_marks_overdue_only_after_the_report_day(cycle_run):
    code, out, _ = cycle_run("remind", "--unit", "夏阳街道", today="2022-11-25")
    assert code == 0
    assert "2022年11月" in out and "报送截止 2022-11-25" in out
    assert "#3 [未报送]" in out and "逾期未报" not in out.split("\n", 2)[2]
    code, out, _ = cycle_run("remind", "--unit", "夏阳街道", today="2022-11-26")
    assert "#3 [逾期未报]" in out and "最近报送 2022-10-21" in out
    assert "第二列 换行" in out  # the stored note's line break stays on one line


def test_remind_nothing_to_chase(cycle_run):
    code, out, _ = cycle_run("remind", "--unit", "盈浦街道", today="2022-11-26")
    assert code == 0 and "本期各单位均已报送" in out


def test_notices_markdown_and_xlsx(cycle_run, loaded_db, tmp_path):
    from openpyxl import load_workbook

    _rename(loaded_db, "夏阳街道", NASTY_UNIT)
    target = tmp_path / "通知" / "十一月"
    code, _, err = cycle_run("remind", "-o", str(target), today="2022-11-26")
    assert code == 0, err
    md_files = sorted(target.glob("*.md"))
    xlsx_files = sorted(target.glob("*.xlsx"))
    # 13 units: all but 区人力资源社会保障局, 盈浦街道 and 各区属公司, which reported in November
    assert len(md_files) == len(xlsx_files) == 13 and "13 份" in err
    nasty = [p for p in md_files if "数据" in p.name]
    assert len(nasty) == 1 and "|" not in nasty[0].name and "\n" not in nasty[0].name
    text = nasty[0].read_text(encoding="utf-8")
    tokens = MD.parse(text)
    paragraphs = [inline_text(tokens[i + 1]) for i, t in enumerate(tokens) if t.type == "paragraph_open"]
    assert paragraphs[0].startswith("区`数据`|局 第二行（街镇）")  # the name reads back exactly (line break → space)
    assert any("报送截止：2022年11月25日" in p and "2022年11月" in p for p in paragraphs)
    [table] = check_tables(text)
    assert table[1][0] == "3" and table[1][6] == "逾期未报" and table[1][7] == "2022-10-21"
    assert table[1][8] == sc.NASTY_NOTE.replace("\n", " ")

    sheet = load_workbook(nasty[0].with_suffix(".xlsx")).active
    cells = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    flat = [str(c) for row in cells for c in row if c is not None]
    assert flat[0] == "催报通知" and any(NASTY_UNIT in c for c in flat)
    assert any("2022年11月25日" in c for c in flat)
    header = next(i for i, row in enumerate(cells) if row[0] == "编号")
    assert cells[header + 1][0] == "3" and cells[header + 1][4] == "2022-12-31"
    assert cells[header + 1][8] == sc.NASTY_NOTE


def test_notices_keep_a_leading_equals_as_text(cycle_run, loaded_db, tmp_path):
    from openpyxl import load_workbook

    _rename(loaded_db, "区科委", "=HYPERLINK(\"http://x\")")
    code, _, _ = cycle_run("remind", "--unit", "=HYPERLINK(\"http://x\")", "-o", str(tmp_path), today="2022-11-26")
    assert code == 0
    [path] = list(tmp_path.glob("*.xlsx"))
    sheet = load_workbook(path).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("=HYPERLINK")


def test_notices_unwritable_directory_is_one_chinese_line(cycle_run, tmp_path):
    blocker = tmp_path / "文件"
    blocker.write_text("x", encoding="utf-8")
    for target in (blocker, blocker / "子目录"):
        code, out, err = cycle_run("remind", "-o", str(target), today="2022-11-26")
        assert code == 1 and out == ""
        assert err.startswith("tracker: 无法写入催报通知到") and err.count("\n") == 1 and "Traceback" not in err
        assert "Errno" not in err and "directory" not in err


def test_safe_file_name():
    from tracker.report.notices import MAX_NAME_CHARS, safe_file_name

    assert safe_file_name("a/b\\c:d*e?f\"g<h>i|j\nk\tl") == "a_b_c_d_e_f_g_h_i_j_k_l"
    assert safe_file_name("..") == "单位" and safe_file_name("") == "单位" and safe_file_name(" . ") == "单位"
    assert safe_file_name("CON") == "_CON" and safe_file_name("nul.txt") == "_nul.txt"
    assert len(safe_file_name("局" * 300)) == MAX_NAME_CHARS
    assert safe_file_name(".hidden") == "hidden"


# ---------------------------------------------------------------- export --period


def _section(text: str) -> str:
    return text[text.index("## 本期进展"):]


def test_export_period_section_parses_back(cycle_run, loaded_db, tmp_path):
    sc.late_november(loaded_db)
    _rename(loaded_db, "夏阳街道", NASTY_UNIT)
    code, out, err = cycle_run("export", "--period", "2022-11", today="2022-12-05")
    assert code == 0, err
    found = headings(out)
    assert (2, "本期进展（2022年11月）") in found
    level3 = [h for level, h in found if level == 3]
    for part in ("本期完成（2）", "本期开始推进（1）", "本期新增逾期（1）", "受阻任务（1）", "截止日期调整（1）",
                 "待审批的延期申请（1）", "各单位完成率变化", "各部分完成率变化"):
        assert part in level3
    check_tables(out)
    totals = tables(out)[0]
    assert ["待销号", "1", "5.6%"] in totals and ["已完成", "1", "5.6%"] in totals  # 已销号 and 待销号 apart
    section = tables(_section(out))
    completed, started = section[0], section[1]
    assert [r[0] for r in completed[1:]] == ["1", "2"] and completed[1][3] == "2022-11-03"
    assert started[1][:3] == ["4", "三（一） 措施三（一）", "盈浦街道"] and started[1][5] == "11-14 已部署"
    moved = next(t for t in section if t[0][:2] == ["编号", "措施"] and "方式" in t[0])
    assert moved[1][6] == "延期申请批准" and "资金未到位" in moved[1][7]
    rates = next(t for t in section if "本期末完成率" in t[0] and t[0][0] == "单位")
    row = next(r for r in rates if r[0] == "区人力资源社会保障局")
    assert row[-3:] == ["100.0%", "0.0%", "+100.0"]
    assert any(r[0] == NASTY_UNIT.replace("\n", " ") for r in rates)


def test_export_period_notes_survive_markdown(cycle_run):
    code, out, _ = cycle_run("export", "--period", "2022-10", today="2022-11-15")
    assert code == 0
    notes = next(t for t in tables(_section(out)) if t[0][-1] == "进展" and t[0][0] == "日期")
    assert ["2022-10-21", "3", "夏阳街道"] == notes[-1][:3] and notes[-1][-1] == sc.NASTY_NOTE.replace("\n", " ")
    silent = next(t for t in tables(_section(out)) if t[0][:2] == ["单位", "类别"] and "未报" in t[0])
    assert "区财政局" not in [r[0] for r in silent] and "盈浦街道" in [r[0] for r in silent]


def test_export_since_until_and_errors(cycle_run, tmp_path):
    code, out, _ = cycle_run("export", "--since", "2022-10-15", "--until", "2022-10-31", today="2022-11-15")
    assert code == 0 and "## 本期进展（2022年10月15日至2022年10月31日）" in out
    level3 = [h for level, h in headings(out) if level == 3]
    assert "本期开始推进（0）" in level3  # 2 started on 8 October, before the span
    assert "受阻任务（1）" in level3 and "本期新增逾期（1）" in level3
    for argv, words in (
        (("--period", "2022-13"), "报告期“2022-13”无法识别"),
        (("--period", "2022-11", "--since", "2022-11-01"), "只能选用一种"),
        (("--until", "2022-11-01"), "--until 需要与 --since"),
        (("--since", "2022-11-30", "--until", "2022-11-01"), "早于开始日期"),
        (("--since", "明天之后"), "报告期"),
        (("--period", "2022-11", "-o", str(tmp_path / "台账.xlsx")), "台账"),
    ):
        code, _, err = cycle_run("export", *argv, today="2022-11-15")
        assert code == 2 and words in err and err.count("\n") == 1, (argv, err)


def test_export_without_period_is_unchanged(cycle_run):
    _, out, _ = cycle_run("export", today="2022-11-15")
    assert "本期进展" not in out


def test_word_report_has_the_period_section(cycle_run, tmp_path):
    from docx import Document

    path = tmp_path / "报告.docx"
    code, _, err = cycle_run("export", "--period", "2022-11", "-o", str(path), today="2022-12-05")
    assert code == 0, err
    texts = [p.text for p in Document(str(path)).paragraphs]
    assert "本期进展（2022年11月）" in texts and "截止日期调整（1）" in texts


def test_summary_shows_the_review_column(cycle_run, loaded_db):
    sc.late_november(loaded_db)  # 区财政局 → 待销号
    code, out, _ = cycle_run("summary", today="2022-12-05")
    assert code == 0
    header = next(line for line in out.splitlines() if line.startswith("编号"))
    columns = [c.strip() for c in header.split("┃")]
    row = next(line for line in out.splitlines() if line.strip().startswith("1 │"))
    cells = [c.strip() for c in row.split("│")]
    assert cells[columns.index("待销号")] == "1" and cells[columns.index("已完成")] == "1"
