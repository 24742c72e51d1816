"""Deadlines counted from what the document states, and phrases that are not deadlines."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.config import Config
from tracker.ingest import parse_bytes
from tracker.ingest.deadlines import DeadlineContext, find_deadline

CFG = Config(deadline_policy="none")
ISSUED = date(2018, 11, 16)


def dues(body: str) -> list[tuple[date | None, str | None]]:
    doc = parse_bytes(("关于促进就业的实施意见\n" + body + "\n2018年11月16日\n").encode(), "t.txt", CFG)
    return [(m.due, m.due_phrase) for m in doc.measures if not m.is_context]


def test_years_counted_from_the_start_the_document_states():
    body = (
        "一、总体目标\n1.目标。2012年起5年内，引进高层次人才2000名左右。\n二、重点项目\n"
        "2.紧缺人才项目。5年内重点引进紧缺人才1万名。（牵头单位：市发展改革委）\n"
        "3.博士后项目。培养博士后研究人员不少于400名。（牵头单位：市人社局）\n"
    )
    assert dues(body) == [(date(2016, 12, 31), "5年内"), (None, None)]


def test_years_without_a_stated_start_give_nothing():
    assert find_deadline("5年内重点引进紧缺人才", ISSUED, DeadlineContext(ISSUED, None)) == (None, None)


def test_a_duration_inside_a_sentence_is_not_a_deadline():
    context = DeadlineContext(ISSUED, 2012)
    assert find_deadline("对离校2年内未就业的高校毕业生给予补贴", ISSUED, context) == (None, None)


def test_days_from_the_issue_date():
    body = "（一）落实主体责任。各省级人民政府要在本意见印发之日起30日内，制定具体实施办法。（各省级人民政府负责）"
    assert dues(body) == [(date(2018, 12, 16), "印发之日起30日内")]


def test_months_from_the_issue_date():
    assert find_deadline("自发布之日起3个月内完成清理", ISSUED)[0] == date(2019, 2, 16)


def test_end_of_month_in_the_documents_year():
    assert find_deadline("12月底前完成摸底", ISSUED) == (date(2018, 12, 31), "12月底前")


@pytest.mark.parametrize(
    "text",
    [
        "小微企业当年新招用符合条件的人员，可申请贷款",
        "将落实情况纳入在下一年度就业工作督查中",
        "2019年1月1日至12月31日，对不裁员的企业给予稳岗返还",
        "从2019年1月1日起，对参保企业实施返还",
        "2019年起，逐步提高补贴标准",
    ],
)
def test_phrases_that_are_not_deadlines(text):
    assert find_deadline(text, ISSUED, DeadlineContext(ISSUED, None)) == (None, None)


def test_a_year_naming_a_plan_is_not_a_deadline():
    assert find_deadline("出台2022年“智改数转”工作推进方案", ISSUED) == (None, None)


def test_a_span_of_years_ends_when_the_work_must_be_done():
    assert find_deadline("2023—2025年，每年培训1万人次", ISSUED)[0] == date(2025, 12, 31)


@pytest.mark.parametrize(
    "text,due",
    [
        ("2019年第三季度完成", date(2019, 9, 30)),
        ("二季度末前完成", date(2018, 6, 30)),
        ("2019年上半年", date(2019, 6, 30)),
        ("下半年启动", date(2018, 12, 31)),
        ("2019年3月", date(2019, 3, 31)),
    ],
)
def test_quarters_halves_and_bare_months(text, due):
    assert find_deadline(text, date(2018, 1, 5))[0] == due


@pytest.mark.parametrize("text", ["截至2018年6月，已建成站点30个", "自2018年7月起实施", "2017年12月印发的方案"])
def test_bare_months_that_are_history_or_starts(text):
    assert find_deadline(text, date(2018, 8, 1)) == (None, None)


def test_a_half_year_already_past_is_history():
    assert find_deadline("今年上半年，全区新增就业1万人", date(2018, 8, 1)) == (None, None)
    assert find_deadline("落实2018年中央经济工作会议精神", date(2018, 1, 5))[0] != date(2018, 6, 30)
