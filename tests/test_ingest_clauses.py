"""One paragraph per responsibility-clause shape, each written for the test."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.config import Config, UnitGroup
from tracker.ingest import parse_bytes
from tracker.ingest.clauses import find_clauses, parse_clause
from tracker.ingest.deadlines import find_deadline
from tracker.ingest.outline import cn_to_int
from tracker.ingest.targets import find_targets

TOWNS = ("甲街道", "乙镇", "丙镇")
CFG = Config(
    aliases={"市人社局": "市人力资源社会保障局"},
    groups={"各街镇": UnitGroup("各街镇", "town", TOWNS)},
)


def parse_one(paragraph: str, config: Config = CFG, head: str = "（一）做好稳岗工作\n"):
    doc = parse_bytes(("2022年5月6日\n" + head + paragraph + "\n").encode(), "t.txt", config)
    return [m for m in doc.measures if not m.is_context], doc


def roles(measure):
    return [(u.name, u.role) for u in measure.units]


def test_responsibility_units_full_width():
    (m,), _ = parse_one("落实稳岗返还政策。（责任单位：市人社局、市财政局、各街镇）")
    assert roles(m)[:2] == [("市人力资源社会保障局", "lead"), ("市财政局", "support")]
    assert [u.name for u in m.units[2:]] == list(TOWNS)
    assert all(u.kind == "town" and u.role == "support" for u in m.units[2:])


def test_responsibility_units_half_width_colon():
    (m,), _ = parse_one("开展专项治理。(责任单位:市市场监管局、市公安局)")
    assert roles(m) == [("市市场监管局", "lead"), ("市公安局", "support")]


def test_lead_and_support_labels_with_collective():
    (m,), _ = parse_one("完善就业服务。（牵头单位：市教委，配合单位：市人社局、市财政局，各区）")
    assert roles(m) == [
        ("市教委", "lead"), ("市人力资源社会保障局", "support"), ("市财政局", "support"), ("各区", "support"),
    ]
    assert m.units[-1].kind == "group"


def test_support_label_listed_first_does_not_lead():
    (m,), _ = parse_one("推进试点。（配合单位：市财政局；牵头单位：市发展改革委）")
    assert [u.name for u in m.units if u.role == "lead"] == ["市发展改革委"]


@pytest.mark.parametrize("verb", ["参与", "配合"])
def test_lead_verb_then_participants(verb):
    (m,), _ = parse_one(f"建设零工市场。（市人社局牵头，市民政局、市总工会{verb}）")
    assert roles(m) == [("市人力资源社会保障局", "lead"), ("市民政局", "support"), ("市总工会", "support")]


@pytest.mark.parametrize("verb", ["负责", "指导"])
def test_listed_then_verb(verb):
    (m,), _ = parse_one(f"加强职业指导。（市教委、市人社局{verb}）")
    assert roles(m) == [("市教委", "lead"), ("市人力资源社会保障局", "support")]


@pytest.mark.parametrize(
    "limit", ["2023年12月31日前完成", "2023年底前完成", "持续推进", "2023年6月底前", "完成时限：2023年9月"]
)
def test_a_time_limit_inside_the_clause_is_not_a_unit(limit):
    (m,), _ = parse_one(f"打造夜间消费集聚区5个以上。（市商务局、市城管局负责，{limit}）")
    assert roles(m) == [("市商务局", "lead"), ("市城管局", "support")]


def test_unbracketed_labels_closing_a_paragraph():
    (m,), _ = parse_one("网上可办率达到95%以上。牵头单位：区政务服务中心；配合单位：区大数据局、甲街道。")
    assert roles(m) == [("区政务服务中心", "lead"), ("区大数据局", "support"), ("甲街道", "support")]
    assert [(t.comparator, t.value, t.uom) for t in m.targets] == [(">=", 95.0, "%")]


def test_labels_inside_a_bracketed_clause_are_not_read_twice():
    measures, _ = parse_one("推进试点。（配合单位：市财政局；牵头单位：市发展改革委）")
    assert len(measures) == 1


def test_a_clause_in_the_title_sentence_stays_out_of_the_title():
    (m,), _ = parse_one("1.加强知识产权保护（市市场监管局牵头，市法院配合）。完善快速维权机制。")
    assert m.title == "加强知识产权保护"
    assert roles(m) == [("市市场监管局", "lead"), ("市法院", "support")]


def test_provincial_governments_by_division_of_duties():
    (m,), _ = parse_one("清理不合理限制。（国家发展改革委、商务部，各省级人民政府按职责分工负责）")
    assert roles(m) == [("国家发展改革委", "lead"), ("商务部", "support"), ("各省级人民政府", "support")]
    assert m.units[-1].kind == "group"


def test_and_other_departments():
    (m,), _ = parse_one("优化营商环境。（市场监管总局等有关部门和单位负责）")
    assert roles(m) == [("市场监管总局", "lead")]


def test_first_listed_note_is_not_a_unit():
    (m,), _ = parse_one("扩大见习规模。（市人社局、团市委负责，列第一位者为牵头单位，下同）")
    assert roles(m) == [("市人力资源社会保障局", "lead"), ("团市委", "support")]


def test_unit_name_with_brackets():
    (m,), _ = parse_one("保障物流畅通。（责任单位：市交通委(市道运局)、市公安局）")
    assert [u.name for u in m.units] == ["市交通委（市道运局）", "市公安局"]


def test_group_alone_leads_each_member():
    (m,), _ = parse_one("开发公益性岗位。（责任单位：各街镇）")
    assert [(u.name, u.role) for u in m.units] == [(t, "lead") for t in TOWNS]


def test_town_kind_from_name():
    (m,), _ = parse_one("开展社区服务。（责任单位：市民政局、东风街道、红旗镇）")
    assert [u.kind for u in m.units] == ["agency", "town", "town"]


def test_several_clauses_each_cover_text_before():
    measures, _ = parse_one(
        "降低企业成本，执行阶段性减税政策。（市税务局负责）扩大信贷投放。（市金融局、人民银行市中心支行负责）"
    )
    assert [m.code for m in measures] == ["（一）-1", "（一）-2"]
    assert roles(measures[0]) == [("市税务局", "lead")]
    assert measures[1].text.startswith("扩大信贷投放")
    assert [u.name for u in measures[1].units] == ["市金融局", "人民银行市中心支行"]


def test_clause_with_no_unit_warns():
    measures, doc = parse_one("做好统计工作。（责任单位：）")
    assert measures[0].units == []
    assert any("没有可识别的单位" in w.message for w in doc.warnings)
    assert doc.warnings[0].line == 2


def test_unknown_collective_stays_one_group():
    (m,), _ = parse_one("压实责任。（责任单位：市就业工作领导小组各成员单位、各区属公司、各有关单位）")
    assert [(u.name, u.kind) for u in m.units] == [
        ("市就业工作领导小组各成员单位", "group"), ("各区属公司", "group"), ("各有关单位", "group"),
    ]


def test_page_break_debris_inside_a_name():
    data = "（一）做好帮扶\n\n加强援助。（责任单位：市人\n\n— 3 —\n\n力资源社会保障局、市民政局）\n"
    doc = parse_bytes(data.encode(), "t.txt", CFG)
    assert [u.name for u in doc.measures[0].units] == ["市人力资源社会保障局", "市民政局"]


@pytest.mark.parametrize(
    "text",
    ["（以下简称“稳岗返还”）", "（沪府规〔2022〕6号）", "（含）", "（2022—2025年）", "（按规定落实）", "（长三角）"],
)
def test_ordinary_brackets_are_not_clauses(text):
    assert find_clauses("做好工作" + text + "，确保落实。") == []


def test_duplicate_codes_are_made_unique():
    data = "（一）甲。（市税务局负责）\n（一）乙。（市财政局负责）\n"
    doc = parse_bytes(data.encode(), "t.txt", CFG)
    assert [m.code for m in doc.measures] == ["（一）", "（一）#2"]
    assert any("重复" in w.message and w.line == 2 for w in doc.warnings)


def test_no_clause_document_numbered_items_are_unassigned():
    data = "一、工作目标\n全年新增就业10万人以上。\n二、主要任务\n1.扩大就业。加强服务。\n2.稳定岗位。落实政策。\n"
    doc = parse_bytes(data.encode(), "t.txt", CFG)
    assert not doc.has_clauses
    assert [m.code for m in doc.measures if not m.is_context] == ["二1", "二2"]
    assert all(not m.units for m in doc.measures)


def test_parse_clause_returns_none_for_prose():
    assert parse_clause("见附件") is None


# -- numerals, deadlines, targets -------------------------------------------------------


@pytest.mark.parametrize("text,value", [("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("三十七", 37), ("九十九", 99), ("一百", 100)])
def test_chinese_numerals(text, value):
    assert cn_to_int(text) == value


def test_chapter_numbers_beyond_ten():
    data = "".join(f"{n}、第{n}章\n（一）措施。（市税务局负责）\n" for n in ["十", "十一", "二十一", "九十九"])
    doc = parse_bytes(data.encode(), "t.txt", CFG)
    assert [m.code for m in doc.measures] == ["十（一）", "十一（一）", "二十一（一）", "九十九（一）"]


DOC_DATE = date(2022, 8, 29)


@pytest.mark.parametrize(
    "text,due",
    [
        ("2022年全区新增就业", date(2022, 12, 31)),
        ("确保 2022 年内完成", date(2022, 12, 31)),
        ("本年度完成招聘", date(2022, 12, 31)),
        ("年内完成", date(2022, 12, 31)),
        ("到年末，实现重新就业", date(2022, 12, 31)),
        ("年底前完成", date(2022, 12, 31)),
        ("10月底前完成", date(2022, 10, 31)),
        ("3月底前完成", date(2023, 3, 31)),
        ("11月15日前上报", date(2022, 11, 15)),
        ("2023年6月底前完成", date(2023, 6, 30)),
        ("2022年9月30日前完成", date(2022, 9, 30)),
    ],
)
def test_deadline_phrases(text, due):
    assert find_deadline(text, DOC_DATE)[0] == due


def test_deadline_ignores_history_and_durations():
    assert find_deadline("较2021年增长，离校2年内，2022年8月29日召开", DOC_DATE) == (None, None)


def test_relative_deadline_needs_a_document_date():
    assert find_deadline("年内完成", None) == (None, None)
    assert find_deadline("2023年底前完成", None)[0] == date(2023, 12, 31)


@pytest.mark.parametrize(
    "text,cmp,value,uom,year",
    [
        ("2022年全区正规就业不少于40万人", ">=", 400000, "人", 2022),
        ("募集见习岗位不少于910个", ">=", 910, "个", None),
        ("就业比例大于80%", ">", 80, "%", None),
        ("就业困难人员实现就业不少于 1100 人", ">=", 1100, "人", None),
        ("加快80亿元融资额度落地", "=", 8e9, "元", None),
        ("50%以上实现重新就业", ">=", 50, "%", None),
        ("失业率控制在5.5%以内", "<=", 5.5, "%", None),
        ("岗位数不少于岗位总数的60%", ">=", 60, "%", None),
        ("培训人数达到1.2万名", ">=", 12000, "名", None),
    ],
)
def test_targets(text, cmp, value, uom, year):
    (t,) = find_targets(text, DOC_DATE)
    assert (t.comparator, t.value, t.uom, t.year) == (cmp, pytest.approx(value), uom, year)


def test_durations_are_not_targets():
    assert find_targets("失业3个月及以上人员，离校2年内", DOC_DATE) == []


def test_unbracketed_label_lines_and_time_limit():
    data = (
        "二、主要任务\n"
        "１．落实减负稳岗政策。阶段性降低失业保险费率。\n"
        "牵头单位：市人社局\n"
        "配合单位：市财政局、市税务局\n"
        "完成时限：2022年10月底前\n"
        "２．加大金融支持。延期还本付息。（责任单位：市金融局；完成时限：2022年12月底）\n"
    )
    doc = parse_bytes(data.encode(), "t.txt", CFG)
    first, second = doc.measures
    assert first.code == "二1" and second.code == "二2"
    assert roles(first) == [("市人力资源社会保障局", "lead"), ("市财政局", "support"), ("市税务局", "support")]
    assert first.due == date(2022, 10, 31)
    assert roles(second) == [("市金融局", "lead")]
    assert second.due == date(2022, 12, 31)
    assert doc.title == "t"


def test_task_table_markdown():
    data = (
        "# 稳就业重点任务分解表\n\n"
        "| 序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限 |\n"
        "| --- | --- | --- | --- | --- |\n"
        "| 1 | 落实稳岗返还政策，返还资金不少于2亿元 | 市人社局 | 市财政局、各街镇 | 2022年9月底前 |\n"
        "| 2 | 开发公益性岗位 | 各街镇 | | |\n"
    )
    doc = parse_bytes(data.encode(), "t.md", CFG)
    one, two = doc.measures
    assert one.code == "T1" and one.line == 5
    assert roles(one)[:2] == [("市人力资源社会保障局", "lead"), ("市财政局", "support")]
    assert [u.role for u in one.units[2:]] == ["support"] * 3
    assert one.due == date(2022, 9, 30)
    assert (one.targets[0].value, one.targets[0].uom) == (2e8, "元")
    assert [(u.name, u.role) for u in two.units] == [(t, "lead") for t in TOWNS]


def test_task_table_html():
    data = (
        "<table><tr><td>序号</td><td>工作任务</td><td>责任单位</td></tr>\n"
        "<tr><td>1</td><td>开展专项招聘</td><td>市人社局、市教委</td></tr></table>\n"
    )
    doc = parse_bytes(data.encode(), "t.html", CFG)
    (m,) = doc.measures
    assert m.code == "T1" and roles(m) == [("市人力资源社会保障局", "lead"), ("市教委", "support")]
