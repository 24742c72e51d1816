"""The importer on the seed documents and on documents written in other real shapes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tracker.config import Config, UnitGroup, load_config
from tracker.ingest import IngestError, parse_bytes, parse_file

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
TOWNS = ("夏阳街道", "盈浦街道", "香花桥街道", "朱家角镇", "练塘镇", "金泽镇", "赵巷镇", "徐泾镇", "华新镇", "重固镇", "白鹤镇")


@pytest.fixture(scope="module")
def shipped() -> Config:
    return load_config(REPO / "config.toml")


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture(scope="module")
def doc002(shipped):
    return parse_file(seed("002"), shipped)


def by_code(doc):
    return {m.code: m for m in doc.measures}


# -- seed 002: the district 实施意见 -------------------------------------------------


def test_002_metadata(doc002):
    assert doc002.title == "上海市青浦区人民政府关于做好我区当前和今后一个时期稳就业工作的实施意见"
    assert doc002.doc_number == "青府规发〔2022〕4号"
    assert doc002.issuer == "上海市青浦区人民政府"
    assert doc002.issued == date(2022, 8, 29)
    assert doc002.has_clauses


def test_002_measures_and_tasks(doc002):
    tasks = [m for m in doc002.measures if not m.is_context]
    expected = [f"{ch}（{sec}）" for ch, n in (("三", 3), ("四", 4), ("五", 4), ("六", 4), ("七", 3))
                for sec in "一二三四"[:n]]
    assert [m.code for m in tasks] == expected
    assert doc002.task_count == 274
    towns = sum(1 for m in tasks for u in m.units if u.kind == "town")
    assert towns == 198
    assert doc002.task_count - towns == 76
    context = [m.code for m in doc002.measures if m.is_context]
    assert context == ["一", "二（一）", "二（二）"]
    assert all(not m.units for m in doc002.measures if m.is_context)


def test_002_lead_is_first_listed(doc002):
    for m in doc002.measures:
        if m.is_context:
            continue
        leads = [u for u in m.units if u.role == "lead"]
        assert len(leads) == 1, m.code
        assert m.units[0].role == "lead"
        clause = m.text[m.text.rfind("责任单位") + 5 :]
        first = clause.split("、")[0].replace("\n", "")
        assert leads[0].raw == first, m.code


def test_002_page_break_inside_unit_name_and_clause(doc002, shipped):
    m = by_code(doc002)
    names = {u.name for u in m["三（三）"].units}
    assert "区人力资源社会保障局" in names
    assert m["三（三）"].units[0].name == "区人力资源社会保障局"
    first = m["三（一）"]
    assert first.text.endswith("各区属公司、各街镇)")
    assert {"区公积金中心", "各区属公司"} <= {u.name for u in first.units}
    assert set(TOWNS) <= {u.name for u in first.units}
    assert all(u.role == "support" for u in first.units if u.kind == "town")
    assert not [w for w in doc002.warnings if "已知单位" in w.message]


def test_002_aliases_make_one_unit(doc002):
    m = by_code(doc002)["三（二）"]
    names = [u.name for u in m.units]
    assert "区文化旅游局" in names and "区文旅局" not in names
    assert len(names) == len(set(names))
    all_names = {u.name for mm in doc002.measures for u in mm.units}
    assert "区文旅局" not in all_names and "区人社局" not in all_names


def test_002_chapters_titles(doc002):
    m = by_code(doc002)
    assert m["三（一）"].chapter_code == "三"
    assert m["三（一）"].chapter == "推动市场主体稳定发展"
    assert m["三（一）"].title == "加大纾困减负力度"
    assert m["五（二）"].title == "加大失业人员和困难人员就业支持"
    assert m["一"].title == "充分认识当前我区就业工作的严峻性、复杂性、艰巨性"
    # heading markup (## vs ####) must not matter
    assert m["三（二）"].chapter_code == "三" and m["五（二）"].chapter_code == "五"
    assert "\n" not in m["三（三）"].text


def test_002_targets(doc002):
    found = {(t.comparator, t.value, t.uom) for m in doc002.measures for t in m.targets}
    for expected in [
        (">=", 400000.0, "人"),
        (">=", 910.0, "个"),
        (">", 80.0, "%"),
        (">=", 5000.0, "人"),
        (">=", 1100.0, "人"),
        (">=", 50.0, "%"),
        (">=", 60.0, "%"),
        (">=", 70.0, "%"),
        ("=", 8e9, "元"),
    ]:
        assert expected in found
    t = next(t for t in by_code(doc002)["四（一）"].targets if t.value == 400000)
    assert t.year == 2022 and t.due == date(2022, 12, 31)
    assert "正规就业" in t.label and "40万人" in t.phrase
    assert 10 <= sum(len(m.targets) for m in doc002.measures) <= 16


def test_002_deadlines(doc002):
    m = by_code(doc002)
    assert m["四（一）"].due == date(2022, 12, 31) and m["四（一）"].due_phrase == "2022年"
    assert m["五（二）"].due == date(2022, 12, 31) and m["五（二）"].due_phrase
    # "离校2年内" is not "年内": no phrase, so the config policy (end of year) applies
    assert m["五（一）"].due_phrase is None and m["五（一）"].due == date(2022, 12, 31)


def test_002_policy_none_and_fixed(shipped):

    none = parse_file(seed("002"), shipped.replace(deadline_policy="none"))
    assert by_code(none)["三（一）"].due is None
    assert by_code(none)["四（一）"].due == date(2022, 12, 31)
    fixed = parse_file(
        seed("002"), shipped.replace(deadline_policy="fixed", deadline_fixed=date(2023, 3, 31))
    )
    assert by_code(fixed)["三（一）"].due == date(2023, 3, 31)


def test_002_json_is_complete_and_stable(doc002, shipped):
    data = doc002.to_json()
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    again = json.dumps(parse_file(seed("002"), shipped).to_json(), ensure_ascii=False, sort_keys=True)
    assert text == again
    assert data["task_count"] == 274
    assert data["issued"] == "2022-08-29"
    first = data["measures"][3]
    assert set(first) >= {"code", "chapter", "title", "text", "units", "targets", "due", "due_phrase", "is_context", "line"}
    assert first["units"][0]["role"] == "lead"


def test_unknown_unit_warns_with_line(shipped):

    cfg = shipped.replace(known_units={k: v for k, v in shipped.known_units.items() if k != "区征兵办"})
    doc = parse_file(seed("002"), cfg)
    warnings = [w for w in doc.warnings if "区征兵办" in w.message]
    assert len(warnings) == 1
    assert warnings[0].line == by_code(doc)["五（一）"].line


# -- news seeds ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "prefix,count,issued,first_title",
    [
        ("001", 6, date(2022, 3, 14), "保障企业用工"),
        ("003", 4, date(2022, 4, 27), "加力渠道拓展"),
        ("004", 5, date(2022, 5, 23), "保持经济合理增长稳住就业"),
    ],
)
def test_news_enumerations_unassigned(shipped, prefix, count, issued, first_title):
    doc = parse_file(seed(prefix), shipped)
    assert not doc.has_clauses
    assert doc.issued == issued
    measures = [m for m in doc.measures if not m.is_context]
    assert len(measures) == count
    assert measures[0].title == first_title
    assert all(not m.units for m in measures)
    assert doc.task_count == 0
    assert len({m.code for m in measures}) == count
    for m in measures:
        assert "<" not in m.text and "&#" not in m.text


def test_news_front_matter_and_boilerplate(shipped):
    doc = parse_file(seed("001"), shipped)
    assert doc.title == "保就业保民生保市场主体 上海将开展促就业专项行动"
    blob = json.dumps(doc.to_json(), ensure_ascii=False)
    assert "appendQr" not in blob and "责任编辑" not in blob and "二维码" not in blob
    e2 = by_code(doc)["E2"]
    assert e2.text.startswith("二是保障务工人员返岗")


def test_news_000_does_not_crash(shipped):
    doc = parse_file(seed("000"), shipped)
    assert doc.title.startswith("上海市召开稳就业工作视频会议")
    assert doc.issued == date(2022, 7, 1)
    assert doc.task_count == 0
    assert all(m.text.strip() for m in doc.measures)


# -- documents in other real shapes --------------------------------------------------


@pytest.fixture(scope="module")
def provincial():
    cfg = Config(groups={"各区": UnitGroup("各区", "town", ("甲区", "乙区"))})
    return parse_file(FIXTURES / "provincial_plan.txt", cfg)


def test_provincial_plan_outline(provincial):
    assert provincial.doc_number == "X政办发〔2022〕37号"
    assert provincial.title.endswith("实施方案的通知")
    assert provincial.issued == date(2022, 6, 8)
    codes = [m.code for m in provincial.measures if not m.is_context]
    assert codes == ["二（一）1", "二（一）2", "二（一）3", "二（二）1", "二（二）2", "二（三）（1）", "二（三）（2）", "三"]
    assert by_code(provincial)["一"].is_context


def test_provincial_plan_roles(provincial):
    m = by_code(provincial)
    first = m["二（一）1"]
    assert [(u.name, u.role) for u in first.units] == [
        ("省人力资源社会保障厅", "lead"), ("省财政厅", "support"), ("省税务局", "support"), ("各市人民政府", "support"),
    ]
    assert first.units[-1].kind == "group"
    assert first.due == date(2022, 12, 31) and first.due_phrase == "2022年12月31日前"
    bracket = m["二（一）3"]
    assert bracket.units[0].name == "市交通委（市道运局）" and bracket.units[0].role == "lead"
    assert bracket.due == date(2022, 9, 30)
    farm = m["二（三）（2）"]
    assert farm.units[0].name == "省农业农村厅"
    assert [u.role for u in farm.units] == ["lead", "support", "support"]
    t = farm.targets[0]
    assert (t.comparator, t.value, t.uom) == (">=", 1_500_000.0, "人")


def test_state_notice_several_clauses_in_a_paragraph():
    doc = parse_file(FIXTURES / "state_notice.md", Config())
    m = by_code(doc)
    assert doc.doc_number == "国办发〔2022〕13号"
    assert doc.issuer == "国务院办公厅"
    one, two = m["一（一）-1"], m["一（一）-2"]
    assert [u.name for u in one.units] == ["人力资源社会保障部", "财政部", "税务总局", "各省级人民政府"]
    assert [u.name for u in two.units] == ["人民银行", "银保监会"]
    assert two.text.startswith("扩大普惠金融覆盖面")
    assert "扩大普惠金融" not in one.text
    joined = m["一（二）"]
    assert "持续降低制度性交易成本" in joined.text
    assert [u.name for u in joined.units] == ["国务院办公厅", "市场监管总局"]
    assert [u.role for u in m["二（一）1"].units] == ["lead", "support", "support"]


def test_bom_crlf_and_half_width(shipped):
    body = "（一）做好帮扶。加强服务(责任单位:区人社局、区民政局)\r\n".encode()
    doc = parse_bytes(b"\xef\xbb\xbf" + body, "x.txt", shipped)
    assert [u.name for u in doc.measures[0].units] == ["区人力资源社会保障局", "区民政局"]


# -- errors ---------------------------------------------------------------------------


def test_not_utf8_names_the_file(shipped):
    with pytest.raises(IngestError) as info:
        parse_bytes("一、总体要求".encode("gb18030") + b"\x80\xff\x80", "doc.txt", shipped)
    assert "doc.txt" in str(info.value) and "UTF-8" in str(info.value)


@pytest.mark.parametrize("data", [b"", b"   \n\n", "\ufeff".encode()])
def test_empty_file(shipped, data):
    with pytest.raises(IngestError) as info:
        parse_bytes(data, "empty.txt", shipped)
    assert "empty.txt" in str(info.value)


def test_missing_file(shipped, tmp_path):
    with pytest.raises(IngestError):
        parse_file(tmp_path / "nope.txt", shipped)
