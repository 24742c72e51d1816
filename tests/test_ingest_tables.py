"""Task tables (任务分工表) in the shapes real documents take: one short table per shape."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.config import Config
from tracker.ingest import parse_bytes

CFG = Config()
DATED = "2023年3月1日\n\n"


def parse(table: str, head: str = DATED):
    return parse_bytes((head + table).encode(), "t.md", CFG)


def tasks(doc):
    return [m for m in doc.measures if not m.is_context]


def roles(measure):
    return [(u.name, u.role) for u in measure.units]


MERGED = """| 序号 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 |
| --- | --- | --- | --- | --- |
| 1 | 加强知识产权保护 | 建立快速维权中心 | 市知识产权局 | 市公安局、市法院 |
|  |  | 开展专项执法行动 | 市市场监管局 | 市公安局 |
| 2 | 推进信用监管 | 建设信用平台 | 市发展改革委 | |
"""


def test_continuation_rows_are_measures_of_their_item():
    doc = parse(MERGED)
    one, two, three = tasks(doc)
    assert [m.code for m in (one, two, three)] == ["T1-1", "T1-2", "T2"]
    assert (one.title, two.title) == ("加强知识产权保护", "加强知识产权保护")
    assert two.text == "开展专项执法行动" and two.line == 6
    assert roles(two) == [("市市场监管局", "lead"), ("市公安局", "support")]
    assert roles(three) == [("市发展改革委", "lead")]


def test_cells_repeated_by_a_word_merge_continue_the_item():
    table = MERGED.replace("|  |  | 开展", "| 1 | 加强知识产权保护 | 开展")
    assert [m.code for m in tasks(parse(table))] == ["T1-1", "T1-2", "T2"]


def test_a_merged_unit_cell_is_inherited_by_the_rows_it_spans():
    table = (
        "| 序号 | 工作任务 | 责任单位 | 完成时限 |\n| --- | --- | --- | --- |\n"
        "| 1 | 摸清底数 | 区民政局 | 2023年6月底前 |\n|  | 建立台账 |  |  |\n"
    )
    first, second = tasks(parse(table))
    assert roles(second) == roles(first) == [("区民政局", "lead")]
    assert second.due == date(2023, 6, 30)


@pytest.mark.parametrize(
    "column,role",
    [("牵头单位", "lead"), ("主办单位", "lead"), ("责任单位", "lead"), ("负责部门", "lead"), ("责任部门", "lead"),
     ("指导部门", "lead")],
)
def test_unit_column_names(column, role):
    table = f"| 序号 | 事项 | {column} | 参与单位 |\n| --- | --- | --- | --- |\n| 1 | 开展培训 | 市人社局 | 市教委 |\n"
    (m,) = tasks(parse(table))
    assert roles(m) == [("市人社局", role), ("市教委", "support")]


@pytest.mark.parametrize("support", ["配合单位", "参与单位", "协办单位"])
def test_support_columns(support):
    table = f"| 序号 | 工作任务 | {support} | 责任单位 |\n|---|---|---|---|\n| 1 | 开展培训 | 市教委 | 市人社局 |\n"
    (m,) = tasks(parse(table))
    assert roles(m) == [("市人社局", "lead"), ("市教委", "support")]


def test_co_leads_in_one_cell():
    table = "| 序号 | 主要任务 | 牵头单位 |\n|---|---|---|\n| 1 | 建设社区医院 | 各区政府、市卫生健康委 |\n"
    (m,) = tasks(parse(table))
    assert roles(m) == [("各区政府", "lead"), ("市卫生健康委", "lead")]


@pytest.mark.parametrize("empty", ["/", "—", "无", ""])
def test_marks_for_no_unit(empty):
    table = f"| 序号 | 工作任务 | 牵头单位 | 配合单位 |\n|---|---|---|---|\n| 1 | 开展培训 | 市人社局 | {empty} |\n"
    (m,) = tasks(parse(table))
    assert roles(m) == [("市人社局", "lead")]


def test_columns_that_look_like_units_but_are_not():
    table = (
        "| 序号 | 改革举措 | 负责部门 | 市级内牵头处室 | 市级内配合处室 | 推广范围 | 适用范围 |\n"
        "|---|---|---|---|---|---|---|\n"
        "| 1 | 企业开办一网通办 | 市市场监管局、市税务局 | 登记注册处 | 信用监管处 | 全市 | 各类企业 |\n"
    )
    (m,) = tasks(parse(table))
    assert [u.name for u in m.units] == ["市市场监管局", "市税务局"]


def test_section_rows_give_the_chapter():
    table = (
        "| 序号 | 改革事项 | 负责部门 |\n|---|---|---|\n"
        "| 一、知识产权保护方面（共2项） | 一、知识产权保护方面（共2项） | 一、知识产权保护方面（共2项） |\n"
        "| 1 | 建立快速维权中心 | 市知识产权局 |\n"
        "| 二、投资管理方面（共1项） |  |  |\n"
        "| 2 | 推行告知承诺制 | 市发展改革委 |\n"
    )
    first, second = tasks(parse(table))
    assert (first.chapter_code, first.chapter) == ("一", "知识产权保护方面")
    assert (second.chapter_code, second.chapter) == ("二", "投资管理方面")
    assert [m.code for m in (first, second)] == ["T1", "T2"]


def test_deadline_column_and_deadlines_in_the_content_cell():
    table = (
        "| 序号 | 重点任务 | 责任单位 | 时间节点 |\n|---|---|---|---|\n"
        "| 1 | 建立工作机制 | 市人社局 | 2023年9月底前 |\n"
        "| 2 | 到2025年，建成就业服务站50个 | 市人社局 | 持续推进 |\n"
        "| 3 | 2024年，选取3个区开展试点 | 市人社局 |  |\n"
        "| 4 | 优化服务 | 市人社局 | 长期坚持 |\n"
    )
    dues = [(m.due, m.due_phrase) if m.due_phrase else None for m in tasks(parse(table))]
    assert dues == [
        (date(2023, 9, 30), "2023年9月底前"), (date(2025, 12, 31), "2025年"), (date(2024, 12, 31), "2024年"), None,
    ]


def test_html_rowspan_rows_lost_their_leading_cells():
    html = (
        "<table><tr><th>序号</th><th>任务</th><th>具体措施</th><th>牵头单位</th></tr>\n"
        "<tr><td rowspan=2>1</td><td rowspan=2>稳就业</td><td>开发岗位</td><td>市人社局</td></tr>\n"
        "<tr><td>落实补贴</td><td>市财政局</td></tr></table>\n"
    )
    doc = parse_bytes(html.encode(), "t.html", CFG)
    assert [(m.code, m.text, [u.name for u in m.units]) for m in tasks(doc)] == [
        ("T1-1", "开发岗位", ["市人社局"]), ("T1-2", "落实补贴", ["市财政局"]),
    ]


def test_measures_stay_in_document_order_around_a_table():
    text = (
        "一、总体要求\n（一）加强领导。（责任单位：市政府办公室）\n\n"
        "| 序号 | 工作任务 | 责任单位 |\n|---|---|---|\n| 1 | 开展培训 | 市人社局 |\n\n"
        "二、保障措施\n（一）强化督查。（责任单位：市督查室）\n"
    )
    doc = parse(text)
    assert [m.code for m in tasks(doc)] == ["一（一）", "T1", "二（一）"]
    assert [m.order for m in doc.measures] == list(range(1, len(doc.measures) + 1))


def test_a_table_whose_unit_column_cannot_be_identified_warns():
    table = "| 序号 | 工作任务 | 责任处室 |\n|---|---|---|\n| 1 | 开展培训 | 培训处 |\n"
    doc = parse(table)
    assert tasks(doc) == [] or all(not m.units for m in tasks(doc))
    assert [w.line for w in doc.warnings if "责任单位列无法识别" in w.message] == [3]


def test_a_unit_cell_that_cannot_be_split_warns():
    table = (
        "| 序号 | 工作任务 | 责任单位 |\n|---|---|---|\n"
        "| 1 | 开展培训 | 市人社局、由各相关单位按照职责分工具体组织开展并报送情况 |\n"
    )
    doc = parse(table)
    (m,) = tasks(doc)
    assert [u.name for u in m.units] == ["市人社局"]
    assert [w.line for w in doc.warnings if "无法分出责任单位" in w.message] == [5]


def test_a_district_plan_with_clauses_running_text_and_a_table(tmp_path):
    from pathlib import Path

    from tracker.ingest import parse_file

    path = Path(__file__).parent / "fixtures" / "ingest" / "district_task_division.md"
    doc = parse_file(path, Config(deadline_policy="none"))
    assert (doc.doc_number, doc.issued) == ("甲府办发〔2023〕7号", date(2023, 3, 10))
    got = {m.code: m for m in tasks(doc)}
    assert list(got) == ["二（一）", "二（二）-1", "二（二）-2", "二（三）", "T1-1", "T1-2", "T2", "T3"]
    assert roles(got["二（一）"]) == [("区政务服务中心", "lead"), ("区大数据局", "support")]
    assert roles(got["二（二）-1"]) == [("区市场监管局", "lead"), ("区税务局", "support"), ("区公安分局", "support")]
    assert got["二（二）-1"].due == date(2023, 5, 31)
    assert got["二（二）-2"].text.startswith("各街道要设立帮办代办窗口")
    assert roles(got["二（二）-2"]) == [
        ("各街道办事处", "lead"), ("镇人民政府", "lead"), ("区政务服务中心", "support"),
    ]
    assert roles(got["二（三）"]) == [("区规划资源局", "lead"), ("区发展改革委", "support")]
    assert (got["二（三）"].due, got["二（三）"].due_phrase) == (date(2025, 12, 31), "3年内")
    assert roles(got["T1-1"]) == [("区市场监管局（区知识产权局）", "lead"), ("区法院", "support"), ("区公安分局", "support")]
    assert [u.name for u in got["T1-2"].units] == ["区市场监管局", "各街道、镇"]
    assert (got["T1-1"].due, got["T1-2"].due) == (date(2023, 6, 30), date(2023, 6, 30))
    assert (got["T2"].due, got["T2"].chapter) == (date(2025, 12, 31), "知识产权保护方面")
    assert roles(got["T3"]) == [("各镇人民政府", "lead"), ("区住房城乡建设委", "lead")]
    assert (got["T3"].due, got["T3"].chapter_code) == (date(2024, 12, 31), "二")
    assert not [w for w in doc.warnings if "无法" in w.message]


def test_a_unit_header_over_two_rows():
    table = (
        "| 序号 | 工作任务 | 责任单位 | 责任单位 |\n|---|---|---|---|\n|  |  | 配合 | 牵头 |\n"
        "| 1 | 开展培训 | 市教委 | 市人社局 |\n"
    )
    (m,) = tasks(parse(table))
    assert roles(m) == [("市人社局", "lead"), ("市教委", "support")]
