"""The markdown status report, parsed back with markdown-it-py (CommonMark + GFM tables)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from tests.conftest import REPO, SEEDS, build_document, sample_measures
from tracker.config import QINGPU_TOWNS
from tracker.ingest.model import ParsedTarget
from tracker.report.markdown import md_escape, md_table, render_report
from tracker.store import services
from tracker.store.engine import read_tx
from tracker.store.filters import TaskFilter

MD = MarkdownIt("commonmark").enable("table")

NASTY_UNIT = "区A|B<b>局</b>"
NASTY_NOTE = "第一行 | 有竖线\n第二行 `代码` <b>粗</b> *星* _下划线_ [链接](http://x) \\反斜杠 &amp; ~~删~~ #"
NASTY_TITLE = "稳岗|扩岗 `专项` <i>行动</i>"


# ---------------------------------------------------------------- markdown helpers


def inline_text(token) -> str:
    """Plain text of an inline token; fails on any markup the renderer found (escaping broke)."""
    parts = []
    for child in token.children or []:
        assert child.type in ("text", "softbreak"), f"markup leaked: {child.type} in {token.content!r}"
        parts.append(child.content if child.type == "text" else "\n")
    return "".join(parts)


def tables(text: str) -> list[list[list[str]]]:
    """Every table as rows of cell texts (the header row first)."""
    out: list[list[list[str]]] = []
    rows: list[list[str]] | None = None
    row: list[str] | None = None
    tokens = MD.parse(text)
    for i, tok in enumerate(tokens):
        if tok.type == "table_open":
            rows = []
        elif tok.type == "table_close":
            out.append(rows)
            rows = None
        elif tok.type == "tr_open":
            row = []
        elif tok.type == "tr_close":
            rows.append(row)
        elif tok.type in ("th_open", "td_open"):
            nxt = tokens[i + 1]
            row.append(inline_text(nxt) if nxt.type == "inline" else "")
    return out


def headings(text: str) -> list[tuple[int, str]]:
    tokens = MD.parse(text)
    return [(int(t.tag[1]), inline_text(tokens[i + 1])) for i, t in enumerate(tokens) if t.type == "heading_open"]


def table_after(text: str, heading: str) -> list[list[str]]:
    """The first table after the heading whose text starts with ``heading``."""
    before, _, after = text.partition("\n" + next(
        line for line in text.splitlines() if line.lstrip("#").strip().startswith(md_escape(heading))
    ) + "\n")
    return tables(after)[0]


def check_tables(text: str) -> list[list[list[str]]]:
    """Every row of every table has as many cells as its header: no table was broken."""
    found = tables(text)
    raw_rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert sum(len(t) for t in found) + len(found) == len(raw_rows)  # + one delimiter row per table
    for table in found:
        width = len(table[0])
        assert all(len(r) == width for r in table), table
    return found


# ---------------------------------------------------------------- fixtures


@pytest.fixture
def report_db(tmp_db):
    doc = build_document(sample_measures(QINGPU_TOWNS))
    doc.measures[1].title = NASTY_TITLE
    doc.measures[2].units.append(type(doc.measures[2].units[0])(NASTY_UNIT, "agency", "support", NASTY_UNIT))
    doc.measures[0].targets = [
        ParsedTarget("2022年全区正规就业不少于40万人", ">=", 400000.0, "人", 2022, date(2022, 12, 31), "全区正规就业"),
        ParsedTarget("比例大于80%", ">", 80.0, "%", None, None, "比例"),
    ]
    services.import_document(tmp_db, doc, by="导入员")
    services.add_note(tmp_db, 14, NASTY_NOTE, by="协调员")  # 区经委, overdue
    services.set_status(tmp_db, 3, "done", by="夏阳街道")
    services.set_status(tmp_db, 4, "doing", by="盈浦街道", note="已部署")
    services.set_status(tmp_db, 2, "blocked", by="区财政局", note="等待资金")
    with read_tx(tmp_db) as conn:
        from tracker.store.queries import list_targets

        first = list_targets(conn)[0]
    services.set_target_actual(tmp_db, first.id, 310000.0, date(2022, 10, 31))
    return tmp_db


def render(engine, config, today, flt=TaskFilter(), by="measure") -> str:
    with read_tx(engine) as conn:
        return render_report(conn, flt, today, config, by=by)


# ---------------------------------------------------------------- tests


def test_sections_title_and_as_of(report_db, config, today):
    text = render(report_db, config, today)
    hs = headings(text)
    assert hs[0] == (1, "《测试实施意见》落实情况")
    assert "截至 2022年11月15日（2022-11-15）" in text
    names = [h for _, h in hs]
    for expected in ("总体情况", "逾期任务（1）", "14天内到期（3）", "各单位进展", "街镇", "部门", "集合", "各部分进展",
                     "各措施落实情况", "量化指标（2）"):
        assert expected in names, names
    assert f"三（二） {NASTY_TITLE}" in names  # the measure heading round-trips too


def test_totals_with_percentages(report_db, config, today):
    text = render(report_db, config, today)
    totals = {row[0]: row[1:] for row in table_after(text, "总体情况")[1:]}
    assert totals["任务总数"] == ["17", "100.0%"]
    assert totals["已完成"] == ["1", "5.9%"]
    assert totals["推进中"] == ["1", "5.9%"]
    assert totals["受阻"] == ["1", "5.9%"]
    assert totals["未启动"] == ["14", "82.4%"]
    assert totals["已逾期"] == ["1", "5.9%"]


def test_tables_never_break_and_nasty_text_round_trips(report_db, config, today):
    text = render(report_db, config, today)
    found = check_tables(text)
    assert len(found) >= 8
    cells = [cell for table in found for row in table for cell in row]
    flat_note = " ".join(line.strip() for line in NASTY_NOTE.splitlines())
    assert flat_note in cells
    assert NASTY_UNIT in cells
    assert f"三（二） {NASTY_TITLE}" in cells
    # the raw HTML never reaches the output unescaped
    assert "<b>" not in MD.render(text) and "&lt;b&gt;" in MD.render(text)


def test_overdue_list(report_db, config, today):
    text = render(report_db, config, today)
    table = table_after(text, "逾期任务")
    assert table[0] == ["编号", "措施", "单位", "角色", "状态", "截止", "逾期天数", "最新进展"]
    (row,) = table[1:]
    assert row[0] == "14" and row[2] == "区经委" and row[3] == "牵头" and row[5] == "2022-10-31" and row[6] == "15"
    assert row[7].startswith("第一行 | 有竖线 第二行 `代码`")


def test_progress_per_unit_lists_towns_in_config_order(report_db, config, today):
    text = render(report_db, config, today)
    towns = table_after(text, "街镇")
    assert towns[0][:2] == ["单位", "任务"]
    assert [r[0] for r in towns[1:]] == list(QINGPU_TOWNS)
    xiayang = towns[1]
    assert xiayang == ["夏阳街道", "1", "1", "0", "0", "0", "0", "100.0%"]
    agencies = {r[0]: r for r in table_after(text, "部门")[1:]}
    assert agencies["区财政局"][5] == "1"  # blocked
    assert agencies[NASTY_UNIT][1] == "1"


def test_per_measure_detail_shows_each_units_status(report_db, config, today):
    text = render(report_db, config, today)
    table = table_after(text, "三（一） 措施三（一）")
    assert len(table) == 1 + 13
    rows = {r[1]: r for r in table[1:]}
    assert rows["夏阳街道"][3] == "已完成" and rows["夏阳街道"][5] == "—"
    assert rows["盈浦街道"][3] == "推进中" and rows["盈浦街道"][6] == "已部署"
    assert rows["区人力资源社会保障局"][2] == "牵头" and rows["区人力资源社会保障局"][5] == "剩 46 天"


def test_targets_with_latest_actual(report_db, config, today):
    text = render(report_db, config, today)
    table = table_after(text, "量化指标")
    assert table[0] == ["措施", "指标", "目标", "截止", "最新实际", "完成度"]
    first, second = table[1:]
    assert first == ["三（一）", "2022年全区正规就业不少于40万人", "≥ 40万人", "2022-12-31", "31万人（2022-10-31）", "78%"]
    assert second[2] == "＞ 80%" and second[4] == "未报" and second[5] == "—"


def test_single_unit_report(report_db, config, today):
    text = render(report_db, config, today, TaskFilter(units=("区经委",)))
    check_tables(text)
    hs = [h for _, h in headings(text)]
    assert hs[0] == "区经委 任务落实情况"
    assert "各单位进展" not in hs and "任务清单" in hs
    listing = table_after(text, "任务清单")
    assert len(listing) == 2 and listing[1][1] == f"三（二） {NASTY_TITLE}" and listing[1][5] == "逾期 15 天"
    assert "夏阳街道" not in text


def test_grouped_by_unit(report_db, config, today):
    text = render(report_db, config, today, by="unit")
    check_tables(text)
    hs = [h for level, h in headings(text) if level == 3]
    assert "夏阳街道（街镇）" in hs and "区经委（部门）" in hs and f"{NASTY_UNIT}（部门）" in hs
    assert hs.index("夏阳街道（街镇）") < hs.index("区经委（部门）")  # 街镇 first
    assert len(table_after(text, "区人力资源社会保障局（部门）")) == 2


def test_filtered_report_and_empty_selection(report_db, config, today):
    text = render(report_db, config, today, TaskFilter(statuses=("done",)))
    assert "范围：状态：已完成。" in text
    assert "逾期任务（0）" in text and "无逾期任务。" in text
    empty = render(report_db, config, today, TaskFilter(text="不存在的内容"))
    check_tables(empty)
    assert "| 任务总数 | 0 | — |" in empty


def test_unknown_grouping_is_rejected(report_db, config, today):
    with pytest.raises(ValueError):
        render(report_db, config, today, by="chapter")


def test_md_escape_examples():
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("x\ny") == "x y"
    assert md_escape("<b>`c`</b>") == "\\<b\\>\\`c\\`\\</b\\>"
    assert md_escape(None) == ""


CELL_TEXT = st.lists(
    st.sampled_from(list("青浦区街镇局 abc123|`<>&*_[]()!#~\\-+.=:\"'\n{}/$^%") + ["&amp;", "&#123;", "<b>", "**", "``"]),
    max_size=30,
).map("".join)


@settings(max_examples=200, deadline=None)
@given(CELL_TEXT, CELL_TEXT)
def test_any_text_round_trips_through_a_table(first, second):
    text = md_table(["名称", "备注"], [[first, second], ["x", "y"]])
    (table,) = tables(text)
    assert len(table) == 3 and all(len(r) == 2 for r in table)

    def flat(s: str) -> str:
        return re.sub(r"\s*\n\s*", " ", s).strip()

    assert table[1] == [flat(first), flat(second)]


# ---------------------------------------------------------------- through the command line


def test_export_command_to_file_and_stdout(loaded_db, tmp_db_path, tmp_path, isolated_env, capsys):
    from tracker.cli import main

    base = ["--db", str(tmp_db_path), "--config", str(REPO / "config.toml"), "--today", "2022-11-15"]
    out_file = tmp_path / "report.md"
    assert main([*base, "export", "-o", str(out_file)]) == 0
    text = out_file.read_text(encoding="utf-8")
    check_tables(text)
    assert headings(text)[0][1] == "《测试实施意见》落实情况"
    capsys.readouterr()
    assert main([*base, "export", "--unit", "夏阳街道", "--by", "unit"]) == 0
    out = capsys.readouterr().out
    assert headings(out)[0][1] == "夏阳街道 任务落实情况"
    assert len(table_after(out, "任务清单")) == 2
    assert main([*base, "export", "--by", "chapter"]) == 2


def test_report_for_the_seed_document(tmp_db, config, today):
    """The 002 document through the real parser: 18 measures × 11 街镇 in the town table."""
    from tracker.ingest import parse_file

    (path,) = sorted(SEEDS.glob("002_*.txt"))
    result = services.import_document(tmp_db, parse_file(path, config), by="t")
    text = render(tmp_db, config, today, TaskFilter(document_id=result.document_id))
    check_tables(text)
    totals = {row[0]: row[1] for row in table_after(text, "总体情况")[1:]}
    assert totals["任务总数"] == "274"
    towns = table_after(text, "街镇")
    assert [r[0] for r in towns[1:]] == list(QINGPU_TOWNS)
    assert all(r[1] == "18" for r in towns[1:])
