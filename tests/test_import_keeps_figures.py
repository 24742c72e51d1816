"""Re-importing an edited document keeps every figure reported against its targets (指标): a target the
new text still states keeps its row, its id and its history; only targets nobody reported on go away."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import REPO
from tests.store_data import document, measure, unit
from tracker.ingest.model import ParsedTarget
from tracker.store import writes
from tracker.store.services import import_document, set_target_actual
from tracker.store.targets_sql import list_targets

SEED = REPO / "seeds" / "002_3d31144a4b974985.txt"
JOBS = ParsedTarget("2022年正规就业不少于40万人", ">=", 400000, "人", 2022, date(2022, 12, 31), "正规就业")
POSTS = ParsedTarget("新增岗位不少于910个", ">=", 910, "个", 2022, date(2022, 12, 31), "新增岗位")
SHARE = ParsedTarget("比例大于80%", ">", 80, "%", None, None, "比例")


def _targets(db, **where) -> list:
    with writes.read_tx(db) as conn:
        return list_targets(conn, **where)


def _figures(target) -> list[tuple]:
    return [(f.value, f.as_of, f.recorded_by) for f in target.history]


def _doc(targets: list[ParsedTarget], *, version: str, text: str = "", others: tuple = ()):
    """The same document (文号 and title) in a version: 三（一） holds ``targets``; 三（二） holds ``others``."""
    return document([
        measure("三（一）", [unit("区人力资源社会保障局", "lead")], order=1, targets=targets,
                text=text or "三（一）的正文：" + "；".join(t.phrase for t in targets) + "。"),
        measure("三（二）", [unit("区经委", "lead")], order=2, targets=list(others)),
    ], version=version)


@pytest.fixture
def engine(db_url):
    from tracker.store.engine import make_engine

    engine = make_engine(db_url)
    yield engine
    engine.dispose()


# --------------------------------------------------------------------------- the reported case, with the parser


def test_reimporting_an_edited_seed_keeps_the_figures_reported(engine, config):
    """The seed imported, figures reported on two dates, then the edited file (same 文号 and title, one
    measure's wording changed, one target's value raised) imported again."""
    from tracker.ingest import parse_bytes

    text = SEED.read_text(encoding="utf-8")
    first = import_document(engine, parse_bytes(text.encode(), "稳就业.txt", config), by="导入员")
    by_phrase = {t.phrase: t for t in _targets(engine, document_id=first.document_id)}
    jobs, posts = by_phrase["2022年全区正规就业不少于40万人"], by_phrase["2022年募集就业见习岗位不少于910个"]
    for target, figures in ((jobs, (350000.0, 390000.0)), (posts, (600.0, 800.0))):
        set_target_actual(engine, target.id, figures[0], date(2022, 9, 30), by="甲")
        set_target_actual(engine, target.id, figures[1], date(2022, 10, 31), by="乙")

    edited = text.replace("不断提升经济发展创造联动性就业岗位的能力", "持续提升经济发展创造联动性就业岗位的能力")
    edited = edited.replace("见习岗位不少于910个", "见习岗位不少于950个")
    assert edited.count("持续提升") == 1 and "不少于950个" in edited
    result = import_document(engine, parse_bytes(edited.encode(), "稳就业（修订）.txt", config), by="导入员")

    assert (result.document_id, result.created, result.unchanged) == (first.document_id, False, False)
    assert result.measures_changed == ["四（一）", "四（四）"] and result.warnings == []
    after = {t.id: t for t in _targets(engine, document_id=first.document_id)}
    assert len(after) == len(by_phrase)  # nothing added, nothing lost
    kept_jobs, kept_posts = after[jobs.id], after[posts.id]
    assert kept_jobs.phrase == jobs.phrase
    assert _figures(kept_jobs) == [(350000.0, date(2022, 9, 30), "甲"), (390000.0, date(2022, 10, 31), "乙")]
    assert (kept_jobs.actual, kept_jobs.actual_at) == (390000.0, date(2022, 10, 31))
    # the edited target: the new value and wording, the figures reported against the old one
    assert (kept_posts.phrase, kept_posts.value) == ("2022年募集就业见习岗位不少于950个", 950.0)
    assert _figures(kept_posts) == [(600.0, date(2022, 9, 30), "甲"), (800.0, date(2022, 10, 31), "乙")]
    assert (kept_posts.actual, kept_posts.actual_at) == (800.0, date(2022, 10, 31))


# --------------------------------------------------------------------------- hand-built versions


def test_an_edited_value_and_comparator_keep_the_row_and_its_history(engine):
    import_document(engine, _doc([JOBS, POSTS], version="v1"), by="甲")
    jobs, posts = _targets(engine, measure_id=1)
    set_target_actual(engine, jobs.id, 310000.0, date(2022, 9, 30), by="甲")
    set_target_actual(engine, jobs.id, 380000.0, date(2022, 10, 31), by="乙")
    raised = ParsedTarget("2022年正规就业超过42万人", ">", 420000, "人", 2022, date(2022, 12, 31), "正规就业")
    result = import_document(engine, _doc([raised, POSTS], version="v2"), by="甲")
    assert result.warnings == [] and result.targets == 2 and result.measures_changed == ["三（一）"]
    after = _targets(engine, measure_id=1)
    assert [t.id for t in after] == [jobs.id, posts.id]
    assert (after[0].phrase, after[0].comparator, after[0].value) == ("2022年正规就业超过42万人", ">", 420000.0)
    assert _figures(after[0]) == [(310000.0, date(2022, 9, 30), "甲"), (380000.0, date(2022, 10, 31), "乙")]
    assert (after[0].actual, after[0].actual_at) == (380000.0, date(2022, 10, 31))
    assert after[1] == posts  # untouched


def test_a_reworded_label_with_the_same_figure_keeps_the_row(engine):
    import_document(engine, _doc([POSTS], version="v1"), by="甲")
    (posts,) = _targets(engine, measure_id=1)
    set_target_actual(engine, posts.id, 700.0, date(2022, 10, 31), by="甲")
    reworded = ParsedTarget("2022年开发就业岗位不少于910个", ">=", 910, "个", 2022, date(2022, 12, 31), "开发就业岗位")
    assert import_document(engine, _doc([reworded], version="v2"), by="甲").warnings == []
    (after,) = _targets(engine, measure_id=1)
    assert (after.id, after.label, after.phrase) == (posts.id, "开发就业岗位", reworded.phrase)
    assert _figures(after) == [(700.0, date(2022, 10, 31), "甲")]


def test_a_target_no_longer_stated_goes_only_when_nobody_reported_on_it(engine):
    import_document(engine, _doc([JOBS, POSTS, SHARE], version="v1"), by="甲")
    jobs, posts, share = _targets(engine, measure_id=1)
    set_target_actual(engine, jobs.id, 390000.0, date(2022, 10, 31), by="甲")
    set_target_actual(engine, share.id, 75.0, date(2022, 9, 30), by="乙")
    set_target_actual(engine, share.id, None, date(2022, 10, 31), by="乙")  # withdrawn: still reported
    result = import_document(engine, _doc([POSTS], version="v2"), by="甲")
    assert result.warnings == [
        "措施 三（一）：指标“2022年正规就业不少于40万人”已不在新文本中，已报送的数据保留",
        "措施 三（一）：指标“比例大于80%”已不在新文本中，已报送的数据保留",
    ]
    after = {t.id: t for t in _targets(engine, measure_id=1)}
    assert sorted(after) == [jobs.id, posts.id, share.id]
    assert _figures(after[jobs.id]) == [(390000.0, date(2022, 10, 31), "甲")]
    assert _figures(after[share.id]) == [(75.0, date(2022, 9, 30), "乙"), (None, date(2022, 10, 31), "乙")]

    # the next version drops 新增岗位 too: nobody reported on it, it goes without a word
    result = import_document(engine, _doc([], version="v3", text="三（一）的新正文。"), by="甲")
    assert sorted(t.id for t in _targets(engine, measure_id=1)) == [jobs.id, share.id]
    assert len(result.warnings) == 2 and all("已报送的数据保留" in w for w in result.warnings)


def test_a_target_for_another_year_is_another_target(engine):
    import_document(engine, _doc([JOBS], version="v1"), by="甲")
    (jobs,) = _targets(engine, measure_id=1)
    set_target_actual(engine, jobs.id, 390000.0, date(2022, 10, 31), by="甲")
    next_year = ParsedTarget("2023年正规就业不少于40万人", ">=", 400000, "人", 2023, date(2023, 12, 31), "正规就业")
    result = import_document(engine, _doc([next_year], version="v2"), by="甲")
    assert result.warnings == ["措施 三（一）：指标“2022年正规就业不少于40万人”已不在新文本中，已报送的数据保留"]
    old, new = _targets(engine, measure_id=1)
    assert (old.id, old.year, _figures(old)) == (jobs.id, 2022, [(390000.0, date(2022, 10, 31), "甲")])
    assert (new.year, new.due, new.actual, new.history) == (2023, date(2023, 12, 31), None, ())


def test_alike_targets_pair_in_text_order_and_extra_ones_are_added(engine):
    first = ParsedTarget("一期不少于100人", ">=", 100, "人", None, None, "")
    second = ParsedTarget("二期不少于200人", ">=", 200, "人", None, None, "")
    import_document(engine, _doc([first, second], version="v1"), by="甲")
    a, b = _targets(engine, measure_id=1)
    set_target_actual(engine, a.id, 90.0, date(2022, 10, 31))
    set_target_actual(engine, b.id, 150.0, date(2022, 10, 31))
    added = ParsedTarget("三期不少于300人", ">=", 300, "人", None, None, "")
    import_document(engine, _doc([first, second, added], version="v2"), by="甲")
    after = _targets(engine, measure_id=1)
    assert [(t.phrase, t.actual) for t in after] == [
        ("一期不少于100人", 90.0), ("二期不少于200人", 150.0), ("三期不少于300人", None)]
    assert [t.id for t in after[:2]] == [a.id, b.id] and [len(t.history) for t in after] == [1, 1, 0]


def test_reimports_write_nothing_the_text_did_not_change(engine):
    import_document(engine, _doc([JOBS], version="v1", others=(SHARE,)), by="甲")
    before = _targets(engine)
    set_target_actual(engine, before[1].id, 81.0, date(2022, 10, 31))
    reported = _targets(engine)
    assert import_document(engine, _doc([JOBS], version="v1", others=(SHARE,)), by="甲").unchanged
    # an edit elsewhere in the document leaves every target row as it was
    edited = import_document(engine, _doc([JOBS], version="v2", text="三（一）改写：2022年正规就业不少于40万人。",
                                          others=(SHARE,)), by="甲")
    assert edited.measures_changed == ["三（一）"] and edited.warnings == [] and edited.targets == 2
    assert _targets(engine) == reported


def test_replace_keeps_the_figures_of_the_document_it_replaces(engine):
    import_document(engine, _doc([JOBS], version="v1"), by="甲")
    (jobs,) = _targets(engine, measure_id=1)
    set_target_actual(engine, jobs.id, 390000.0, date(2022, 10, 31))
    renamed = _doc([JOBS], version="v2", text="修订稿：2022年正规就业不少于40万人。")
    renamed.title = "测试实施意见（修订稿）"
    result = import_document(engine, renamed, by="甲", replace=1)
    assert result.replaced and result.document_id == 1
    (after,) = _targets(engine, measure_id=1)
    assert (after.id, after.actual, len(after.history)) == (jobs.id, 390000.0, 1)


def test_match_targets_rounds():
    from tracker.store.services.importing_targets import StoredTarget, match_targets

    def stored(tid: int, t: ParsedTarget, reported: bool = False) -> StoredTarget:
        return StoredTarget(tid, t.phrase, t.label, t.comparator, float(t.value), t.uom, t.year, t.due, reported)

    unlabelled = ParsedTarget("，80%以上", ">=", 80, "%", None, None, "")
    other_share = ParsedTarget("，60%以上", ">=", 60, "%", None, None, "")
    pairs, gone = match_targets([other_share, POSTS, JOBS], [stored(1, JOBS), stored(2, unlabelled), stored(3, POSTS)])
    # an unlabelled target is the same only by its phrase or its figure: 60% does not continue 80%
    assert [(t.phrase, s and s.id) for t, s in pairs] == [("，60%以上", None), (POSTS.phrase, 3), (JOBS.phrase, 1)]
    assert [s.id for s in gone] == [2]
    # an exact phrase wins over an earlier target that only shares the label
    relabelled = ParsedTarget("2022年正规就业不少于45万人", ">=", 450000, "人", 2022, None, "正规就业")
    pairs, gone = match_targets([relabelled, JOBS], [stored(1, JOBS), stored(2, relabelled)])
    assert [s.id for _, s in pairs] == [2, 1] and gone == []


# --------------------------------------------------------------------------- the command line, bare connection


def test_cli_reimport_keeps_the_history_and_warns_about_a_target_it_keeps(tmp_path, isolated_env, capsys):
    from tracker.cli import main

    base = ["--db", str(tmp_path / "t.db"), "--config", str(REPO / "config.toml"), "--today", "2022-11-15"]
    head = "关于稳就业的实施意见\n\n测试〔2022〕9号\n\n"
    (isolated_env / "意见.txt").write_text(
        head + "一、扩大就业。2022年全区正规就业不少于40万人，募集见习岗位不少于910个。（责任单位：区人社局）\n",
        encoding="utf-8")
    assert main([*base, "import", "意见.txt"]) == 0
    capsys.readouterr()
    assert main([*base, "targets", "--json"]) == 0
    jobs = next(t for t in json.loads(capsys.readouterr().out)["targets"] if "40万人" in t["phrase"])
    for figure, as_of in (("35万", "2022-09-30"), ("39万", "2022-10-31")):
        assert main([*base, "actual", str(jobs["id"]), figure, "--as-of", as_of]) == 0
    capsys.readouterr()

    (isolated_env / "新版.txt").write_text(
        head + "一、扩大就业。2022年全区正规就业不少于42万人。（责任单位：区人社局）\n", encoding="utf-8")
    assert main([*base, "import", "新版.txt"]) == 0
    out = capsys.readouterr().out
    assert "更新文件 #1" in out and "注意：措施" not in out  # the 910 target had no figures: gone quietly
    assert main([*base, "targets", "--json"]) == 0
    (after,) = json.loads(capsys.readouterr().out)["targets"]
    assert (after["id"], after["value"], after["actual"]) == (jobs["id"], 420000.0, 390000.0)
    assert [(f["value"], f["as_of"]) for f in after["history"]] == [(350000.0, "2022-09-30"), (390000.0, "2022-10-31")]

    (isolated_env / "第三版.txt").write_text(head + "一、扩大就业。（责任单位：区人社局）\n", encoding="utf-8")
    assert main([*base, "import", "第三版.txt"]) == 0
    out = capsys.readouterr().out
    assert "注意：措施 一：指标“2022年全区正规就业不少于42万人”已不在新文本中，已报送的数据保留" in out
