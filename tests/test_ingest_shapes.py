"""Clause shapes met in real documents beyond the seeds: one short text per shape."""

from __future__ import annotations

import pytest

from tracker.config import Config, UnitGroup
from tracker.ingest import parse_bytes

CFG = Config(groups={"各街镇": UnitGroup("各街镇", "town", ("甲街道", "乙镇"))})


def measures_of(text: str, config: Config = CFG):
    doc = parse_bytes(("2022年5月6日\n" + text + "\n").encode(), "t.txt", config)
    return [m for m in doc.measures if not m.is_context], doc


def one(paragraph: str):
    (m,), _ = measures_of("（一）做好工作\n" + paragraph)
    return m


def roles(measure):
    return [(u.name, u.role) for u in measure.units]


def test_scope_label_after_units_is_not_a_unit():
    m = one("推广证照分离改革。（负责部门：市市场监管局、市司法局；适用范围：全市）")
    assert roles(m) == [("市市场监管局", "lead"), ("市司法局", "support")]


@pytest.mark.parametrize("label", ["责任部门", "负责部门", "实施主体", "指导部门"])
def test_other_unit_labels(label):
    m = one(f"开展专项整治。（{label}：市公安局、市交通委）")
    assert roles(m) == [("市公安局", "lead"), ("市交通委", "support")]


def test_lead_department_label_names_co_leads():
    m = one("开展专项整治。（牵头部门：市公安局、市交通委；配合部门：市城管局）")
    assert roles(m) == [("市公安局", "lead"), ("市交通委", "lead"), ("市城管局", "support")]


def test_host_and_co_host_labels():
    m = one("办好招聘会。（主办：市人社局；协办：市总工会、团市委）")
    assert roles(m) == [("市人社局", "lead"), ("市总工会", "support"), ("团市委", "support")]


@pytest.mark.parametrize("clause", ["（市科技局负责，市财政局配合）", "（市科技局牵头负责，市财政局参与）"])
def test_verb_pairs(clause):
    m = one("建设创新平台。" + clause)
    assert roles(m) == [("市科技局", "lead"), ("市财政局", "support")]


@pytest.mark.parametrize(
    "note", ["排在第一位的部门为牵头部门，下同", "排在首位的为牵头单位", "列第一位者为牵头单位"]
)
def test_lead_notes_are_not_units(note):
    m = one(f"扩大见习规模。（市人社局、团市委负责。{note}）")
    assert roles(m) == [("市人社局", "lead"), ("团市委", "support")]


@pytest.mark.parametrize(
    "clause,names",
    [
        ("（市发展改革委会同有关部门负责）", ["市发展改革委"]),
        ("（市发展改革委等有关部门负责）", ["市发展改革委"]),
        ("（市发展改革委会同市财政局负责）", ["市发展改革委", "市财政局"]),
        ("（国家发展改革委、商务部等和各有关省级人民政府负责）", ["国家发展改革委", "商务部", "各有关省级人民政府"]),
        ("（市政府办公室牵头，市级各有关部门及各县市区政府按职责分工负责）",
         ["市政府办公室", "市级各有关部门", "各县市区政府"]),
    ],
)
def test_vague_tails_reduce_to_the_unit(clause, names):
    m = one("清理不合理规定。" + clause)
    assert [u.name for u in m.units] == names
    assert m.units[0].role == "lead"


@pytest.mark.parametrize(
    "tail,collective",
    [("各区、县级市", "各区、县级市"), ("各有关区、县级市", "各有关区、县级市"),
     ("各省、自治区、直辖市人民政府", "各省、自治区、直辖市人民政府")],
)
def test_each_distributes_over_a_list_of_levels(tail, collective):
    m = one(f"引进紧缺人才。（牵头单位：市发展改革委，配合单位：市委组织部，{tail}）")
    assert [u.name for u in m.units] == ["市发展改革委", "市委组织部", collective]
    assert m.units[-1].kind == "group"


def test_each_does_not_swallow_a_named_unit():
    m = one("压实责任。（责任单位：各区属公司、区财政局）")
    assert [u.name for u in m.units] == ["各区属公司", "区财政局"]


def test_unit_names_without_usual_suffixes():
    names = ["全国工商联", "共青团中央", "全国妇联", "中央军委政治工作部", "人民银行", "银保监会"]
    m = one(f"支持民营企业。（{'、'.join(names)}负责）")
    assert [u.name for u in m.units] == names


def test_unit_name_with_brackets_in_a_verbal_clause():
    m = one("保障物流畅通。（市交通委（市道运局）、市公安局负责）")
    assert [u.name for u in m.units] == ["市交通委（市道运局）", "市公安局"]


def test_scope_note_closes_its_measure_and_the_next_starts_after_it():
    measures, _ = measures_of(
        "（一）完善体制\n优化管理体制。（市生态环境局指导，试点区政府负责落实。以下均需试点区政府落实，不再列出）"
        "加强制度创新，增强方案系统性。（市发展改革委、市财政局指导）"
    )
    first, second = measures
    assert roles(first) == [("市生态环境局", "lead"), ("试点区政府", "support")]
    assert second.text.startswith("加强制度创新")
    assert [u.name for u in second.units] == ["市发展改革委", "市财政局"]


@pytest.mark.parametrize(
    "sentence,names",
    [("由区统计局负责。", ["区统计局"]), ("由区民政局牵头，区财政局配合。", ["区民政局", "区财政局"])],
)
def test_by_unit_responsible_in_running_text(sentence, names):
    m = one("建立困难群众数据库，每月更新一次，" + sentence)
    assert [u.name for u in m.units] == names
    assert m.units[0].role == "lead"


def test_funding_by_a_bureau_is_not_a_clause():
    measures, doc = measures_of("（一）做好工作\n所需资金由区财政局负责保障。")
    assert measures == [] and not doc.has_clauses


def test_square_brackets_and_district_collectives():
    m = one("抓好疫情防控。[牵头单位:区卫健局;责任单位:区疫情防控指挥部成员单位、各街办(新区)]")
    assert roles(m) == [
        ("区卫健局", "lead"), ("区疫情防控指挥部成员单位", "support"), ("各街办（新区）", "support"),
    ]


def test_label_lines_with_a_leader_who_is_not_a_unit():
    measures, _ = measures_of(
        "一、主要目标\n1. 地区生产总值增长8%以上。\n牵头负责领导：张三。\n牵头责任单位：市发展改革委。\n"
        "协同责任单位：市经信局、市商务局等，各县、市、区政府。\n"
    )
    (m,) = measures
    assert roles(m) == [
        ("市发展改革委", "lead"), ("市经信局", "support"), ("市商务局", "support"), ("各县、市、区政府", "support"),
    ]


def test_article_numbering():
    measures, _ = measures_of(
        "第一章 总则\n第一条 为了规范管理，制定本办法。\n第二章 职责\n"
        "第二条 加强日常巡查。（责任单位：区城管局）\n第三条 开展专项整治。（区市场监管局牵头，区公安分局配合）\n"
    )
    assert [m.code for m in measures] == ["第二章第二条", "第二章第三条"]
    assert [m.chapter for m in measures] == ["职责", "职责"]
    assert roles(measures[1]) == [("区市场监管局", "lead"), ("区公安分局", "support")]


def test_a_clause_with_many_units_is_read_not_dropped():
    chars = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
    names = [f"区{a}{b}局" for a in chars for b in chars][:120]
    clause = "（责任单位：" + "、".join(names) + "）"
    assert len(clause) > 600
    m = one("压实各方责任。" + clause)
    assert [u.name for u in m.units] == names


def test_labels_set_apart_by_spaces_only():
    m = one("理顺管理职能。(牵头单位:市商务局  责任单位:市编办、市发改委、各区县政府)")
    assert roles(m) == [("市商务局", "lead"), ("市编办", "support"), ("市发改委", "support"), ("各区县政府", "support")]


def test_a_note_that_units_implement_everything_below_is_not_a_unit():
    m = one("设立专项引导资金。(责任单位:市工信局、市财政局等有关部门,各县区人民政府、园区管委会。"
            "以下政策措施均需各县区人民政府、园区管委会落实,不再单独列出)")
    assert [u.name for u in m.units] == ["市工信局", "市财政局", "各县区人民政府", "园区管委会"]


def test_a_chapter_title_opening_with_a_year():
    measures, _ = measures_of("一、2023年全区主要预期目标\n(一)地区生产总值增长7%以上\n责任单位:区发展和改革局\n")
    (m,) = measures
    assert (m.code, m.chapter) == ("一（一）", "2023年全区主要预期目标")


def test_a_label_line_closing_the_document_is_not_a_signature():
    measures, _ = measures_of(
        "一、目标\n(一)地区生产总值增长7%以上\n责任单位:区发展和改革局\n(二)投资增长10%以上\n责任单位:区发展和改革局\n"
    )
    assert [m.code for m in measures] == ["一（一）", "一（二）"]


def test_tortoise_shell_brackets_and_a_note_sentence_after_the_list():
    m = one("加强市场体系建设。〔责任单位:省发展改革委、省市场监管局按职责分工负责。"
            "具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕")
    assert [u.name for u in m.units] == ["省发展改革委", "省市场监管局"]


def test_a_document_number_in_tortoise_shell_brackets_is_not_a_clause():
    measures, doc = measures_of("（一）做好工作\n根据《通知》（川发改〔2022〕12号）精神，抓好落实。")
    assert measures == [] and not doc.has_clauses


def test_a_salutation_is_not_a_label():
    doc = parse_bytes("关于做好安全工作的通知\n各有关单位：\n要加强安全检查，确保节日平安。要做好值班值守。\n".encode(), "t.txt", CFG)
    assert not doc.has_clauses and not doc.warnings
    assert [m.code for m in doc.measures] == ["S1", "S2"]


def test_a_role_written_in_brackets_after_the_name():
    m = one("完善人才政策。（责任单位：市人社局、市委组织部（牵头）、市财政局）")
    assert roles(m) == [("市委组织部", "lead"), ("市人社局", "support"), ("市财政局", "support")]


def test_a_clause_after_sub_items_closes_their_parent():
    measures, _ = measures_of(
        "（一）“一案三制”建设\n1.完善应急预案体系\n(1)加强应急预案管理。\n(2)推进应急预案精编化。\n"
        "(责任单位:市直各有关单位、各县(市、区)人民政府)\n2.健全应急管理体制\n(1)推进机构建设。\n(2)健全运行机制。\n"
        "(责任单位:市应急局)\n"
    )
    first, second = measures
    assert (first.code, first.line) == ("（一）1", 3)
    assert "加强应急预案管理" in first.text and "推进应急预案精编化" in first.text
    assert [u.name for u in first.units] == ["市直各有关单位", "各县（市、区）人民政府"]
    assert (second.code, [u.name for u in second.units]) == ("（一）2", ["市应急局"])


def test_sub_items_with_their_own_clauses_keep_them():
    measures, _ = measures_of(
        "1.完善应急预案体系\n(1)加强预案管理。（责任单位：市应急局）\n(2)推进预案精编化。\n(责任单位:市司法局)\n"
    )
    assert [(m.code, [u.name for u in m.units]) for m in measures] == [("1（1）", ["市应急局"]), ("1（2）", ["市司法局"])]


def test_a_key_value_table_row_gives_clean_unit_names():
    doc = parse_bytes("重点工作: | 统筹违法建设治理。 |\n牵头单位: | 市城市管理综合执法局 |\n".encode(), "t.txt", CFG)
    assert [u.name for m in doc.measures for u in m.units] == ["市城市管理综合执法局"]


def test_units_before_the_first_label():
    m = one("推进试点。（市发展改革委负责；配合单位：市财政局、市统计局）")
    assert roles(m) == [("市发展改革委", "lead"), ("市财政局", "support"), ("市统计局", "support")]
