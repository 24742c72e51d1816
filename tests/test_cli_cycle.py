"""``tracker extend``, ``verify``, ``evidence``, ``add``, ``cadence`` and the cycle in ``show``, on the sample
database with the frozen today 2022-11-15 (task 14, 区经委, is due 2022-10-31: overdue)."""

from __future__ import annotations

import json

from tracker.config import QINGPU_TOWNS

OVERDUE_TASK = "14"


def _json(run, *argv, **options):
    code, out, err = run(*argv, "--json", **options)
    assert code == 0, err
    return json.loads(out)


def _overdue_ids(run) -> set[int]:
    return {t["id"] for t in _json(run, "list", "--overdue")["tasks"]}


def _one_line_error(code: int, out: str, err: str, *words: str) -> None:
    assert code == 2 and out == ""
    assert err.startswith("tracker: ") and err.count("\n") == 1 and "Traceback" not in err
    for word in words:
        assert word in err


# --------------------------------------------------------------------------- extend


def test_extend_request_then_approve_moves_the_deadline_in_force(run):
    assert 14 in _overdue_ids(run)
    code, out, err = run("extend", OVERDUE_TASK, "2022-12-31", "--reason", "资金下月到位", "--by", "区经委")
    assert code == 0, err
    assert "待审批" in out and "2022-10-31 → 2022-12-31" in out
    assert 14 in _overdue_ids(run)  # the request moves nothing

    pending = _json(run, "extend", "--list")["pending"]
    assert [(p["task_id"], p["requested_due"], p["due"], p["reason"], p["requested_by"]) for p in pending] == [
        (14, "2022-12-31", "2022-10-31", "资金下月到位", "区经委")]
    code, out, _ = run("extend", "--list")
    assert "待审批的延期申请（1）" in out and "资金下月到位" in out

    data = _json(run, "extend", OVERDUE_TASK, "--approve", "--note", "同意", "--by", "协调员")
    assert data["request"]["state"] == "approved" and data["request"]["due"] == "2022-12-31"
    assert 14 not in _overdue_ids(run)
    assert _json(run, "extend", "--list")["pending"] == []
    show = _json(run, "show", OVERDUE_TASK)
    assert show["task"]["due"] == "2022-12-31" and not show["task"]["overdue"]
    assert [e["field"] for e in show["history"]][-3:] == ["extend", "extend_decision", "due"]
    assert [(x["state"], x["decision_note"]) for x in show["extensions"]] == [("approved", "同意")]


def test_extend_reject_keeps_the_deadline_and_needs_a_note(run):
    run("extend", OVERDUE_TASK, "+1m", "--reason", "人手不足")
    _one_line_error(*run("extend", OVERDUE_TASK, "--reject"), "--note")
    code, out, err = run("extend", OVERDUE_TASK, "--reject", "--note", "请按期完成")
    assert code == 0, err
    assert "已驳回" in out and "2022-10-31" in out
    assert 14 in _overdue_ids(run)
    code, out, _ = run("show", OVERDUE_TASK)
    assert "延期申请（1）" in out and "已驳回：请按期完成" in out


def test_extend_refuses_bad_requests_with_one_line(run):
    _one_line_error(*run("extend", OVERDUE_TASK, "2022-11-15", "--reason", "x"), "晚于今天")
    _one_line_error(*run("extend", "1", "2022-12-01", "--reason", "x"), "晚于现行截止日期")
    _one_line_error(*run("extend", OVERDUE_TASK, "2022-12-31"), "--reason")
    _one_line_error(*run("extend", OVERDUE_TASK, "明年某天", "--reason", "x"))
    _one_line_error(*run("extend", OVERDUE_TASK, "--approve"), "没有待审批")
    _one_line_error(*run("extend", OVERDUE_TASK, "2023-01-31", "--approve"), "不带日期")
    _one_line_error(*run("extend"), "缺少任务编号")
    _one_line_error(*run("extend", "--approve", "--reject", OVERDUE_TASK))


def test_a_stale_approval_is_refused(run):
    request = _json(run, "extend", OVERDUE_TASK, "2022-12-31", "--reason", "理由")
    version = request["changes"][0]["version"]
    run("note", OVERDUE_TASK, "又有新进展")
    code, _out, err = run("extend", OVERDUE_TASK, "--approve", "--version", str(version))
    assert code == 1 and "已被" in err and "未保存" in err
    assert _json(run, "show", OVERDUE_TASK)["task"]["due"] == "2022-10-31"
    code, _, err = run("extend", OVERDUE_TASK, "--approve", "--version", str(version + 1))
    assert code == 0, err


# --------------------------------------------------------------------------- verify


def test_review_queue_verify_and_send_back(run, tmp_path):
    from tests.conftest import REPO

    run("set", "3", "doing")
    run("set", "3", "review", "--note", "已完成培训")  # what `set … done` stores with verification on
    run("set", "4", "review")
    queue = _json(run, "verify", "--list")["review"]
    assert [(r["id"], r["overdue"]) for r in queue] == [(3, False), (4, False)]
    code, out, _ = run("verify", "--list")
    assert "待销号（2）" in out and "已完成培训" in out

    data = _json(run, "verify", "3", "--note", "材料齐全", "--evidence", str(REPO / "config.toml"),
                 "--caption", "验收材料")
    assert data["verified"] and data["task"]["status"] == "done"
    code, out, err = run("verify", "4", "--reject", "--note", "缺少签到表")
    assert code == 0 and "已退回" in out and "未启动" in out, err
    assert [r["id"] for r in _json(run, "verify", "--list")["review"]] == []
    _one_line_error(*run("verify", "4", "--reject"), "--note")
    _one_line_error(*run("verify", "1"), "不在待销号")
    code, out, _ = run("verify", "--list")
    assert "没有待销号的任务" in out


def test_review_tasks_are_not_overdue(run):
    assert 14 in _overdue_ids(run)
    run("set", OVERDUE_TASK, "review")
    assert 14 not in _overdue_ids(run)


# --------------------------------------------------------------------------- evidence


def test_evidence_is_listed_in_show_and_json(run, capsys):
    code, out, err = run("evidence", "5", "//共享盘/签到表.pdf", "--caption", "签到表")
    assert code == 0 and "已附佐证材料" in out
    assert "找不到文件" in err  # recorded as given, with a warning
    code, out, err = run("evidence", "5", "https://example.gov.cn/a?b=c#d")
    assert code == 0 and err == ""
    code, out, _ = run("show", "5")
    assert "佐证材料（2）" in out and "//共享盘/签到表.pdf（签到表）" in out and "https://example.gov.cn/a?b=c#d" in out
    evidence = _json(run, "show", "5")["evidence"]
    assert [(e["ref"], e["caption"], e["event"], e["url"]) for e in evidence] == [
        ("//共享盘/签到表.pdf", "签到表", "evidence", False), ("https://example.gov.cn/a?b=c#d", "", "evidence", True)]


def test_evidence_with_a_request_and_caption_rules(run):
    code, _, err = run("extend", "6", "2023-02-28", "--reason", "场地改造", "--evidence", "http://a/1",
                       "--caption", "请示", "--evidence", "http://a/2")
    assert code == 0, err
    evidence = _json(run, "show", "6")["evidence"]
    assert [(e["ref"], e["caption"], e["event"]) for e in evidence] == [
        ("http://a/1", "请示", "extend"), ("http://a/2", "", "extend")]
    _one_line_error(*run("extend", "7", "2023-02-28", "--reason", "x", "--caption", "无材料"), "--caption")
    _one_line_error(*run("verify", "7", "--evidence", "a", "--caption", "一", "--caption", "二"), "--caption")


# --------------------------------------------------------------------------- add


def test_add_creates_an_item_in_the_standing_document_and_reuses_it(run):
    data = _json(run, "add", "加快零工市场建设", "--unit", "区人社局", "--unit", "各街镇", "--due", "2022-12-31",
                 "--source", "区长批示 2022-11-10", "--text", "年底前建成零工市场")
    assert data["measure"] == "督1" and data["source"] == "区长批示 2022-11-10"
    assert len(data["tasks"]) == 1 + len(QINGPU_TOWNS)
    assert {t["unit"] for t in data["tasks"]} == {"区人力资源社会保障局", *QINGPU_TOWNS}
    assert [t["unit"] for t in data["tasks"] if t["role"] == "lead"] == ["区人力资源社会保障局"]
    code, out, err = run("add", "研究稳岗补贴细则", "--lead", "区财政局", "--unit", "区人社局", "--due", "eom")
    assert code == 0, err
    assert "督2" in out and "牵头 区财政局" in out and "2022-11-30" in out
    summary = _json(run, "summary")
    adhoc = [d for d in summary["documents"] if d["title"] == "督办事项"]
    assert len(adhoc) == 1 and adhoc[0]["tasks"] == 1 + len(QINGPU_TOWNS) + 2
    listed = _json(run, "list", "--doc", str(data["document_id"]))["tasks"]
    assert len(listed) == 1 + len(QINGPU_TOWNS) + 2


def test_add_refuses_bad_units_and_dates_with_one_line(run):
    _one_line_error(*run("add", "事项", "--unit", "区不存在局", "--due", "2022-12-31"), "未知单位", "区不存在局")
    _one_line_error(*run("add", "事项", "--unit", "区财政局", "--due", "下个月中"))
    _one_line_error(*run("add", "事项", "--unit", "区财政局"), "--due")
    _one_line_error(*run("add", "事项", "--due", "eom"), "--unit")
    _one_line_error(*run("add", "事项", "--lead", "各街镇", "--due", "eom"), "单位集合")
    _one_line_error(*run("add", "  ", "--unit", "区财政局", "--due", "eom"), "标题")
    assert not [d for d in _json(run, "summary")["documents"] if d["title"] == "督办事项"]
    code, _, err = run("add", "新机构事项", "--unit", "区新设机构", "--due", "eom", "--new")
    assert code == 0, err


# --------------------------------------------------------------------------- cadence


def test_cadence_set_show_and_reset(run):
    data = _json(run, "cadence")
    assert data["default"] == "monthly:25"
    assert [(d["document_id"], d["cadence"], d["default"]) for d in data["documents"]] == [(1, "monthly:25", True)]
    code, out, err = run("cadence", "1", "周报:周五")
    assert code == 0 and "周报（每周五前报送）" in out, err
    assert _json(run, "cadence", "1") | {"title": None} == {
        "document_id": 1, "title": None, "doc_number": "测试〔2022〕1号", "kind": "document",
        "cadence": "weekly:5", "label": "周报（每周五前报送）", "default": False}
    code, out, _ = run("cadence")
    assert "周报（每周五前报送）" in out and "（默认）" not in out
    run("cadence", "1", "none")
    assert _json(run, "cadence", "1")["cadence"] == "none"
    run("cadence", "1", "default")
    assert _json(run, "cadence", "1")["default"] is True
    _one_line_error(*run("cadence", "1", "每天"), "无法识别")
    _one_line_error(*run("cadence", "9", "none"), "找不到文件")


# --------------------------------------------------------------------------- set / note / collect with 销号


def _no_verify_config(tmp_path):
    from tests.conftest import REPO

    text = (REPO / "config.toml").read_text(encoding="utf-8")
    assert "verify = true" in text
    path = tmp_path / "no-verify.toml"
    path.write_text(text.replace("verify = true", "verify = false"), encoding="utf-8")
    return path


def test_set_done_awaits_verification_and_never_reopens_a_verified_task(run):
    code, out, err = run("set", "5", "6", "done", "--note", "已完成", "--evidence", "http://a/验收.pdf",
                         "--caption", "验收报告")
    assert code == 0, err
    assert "→ 待销号：#5、#6" in out and "等待销号" in out and "tracker verify" in out
    assert {t["id"] for t in _json(run, "list", "--status", "review")["tasks"]} == {5, 6}
    for task in ("5", "6"):  # each task keeps its own copy, on its status event
        assert [(e["ref"], e["caption"], e["event"]) for e in _json(run, "show", task)["evidence"]] == [
            ("http://a/验收.pdf", "验收报告", "status")]
    run("verify", "5")
    code, out, _ = run("set", "5", "6", "已完成")
    assert "已销号" in out and "#5" in out
    data = _json(run, "set", "5", "done")
    assert data["unchanged"] == [5] and data["changes"] == []
    assert _json(run, "show", "5")["task"]["status"] == "done"


def test_set_done_is_done_when_verification_is_off(run, tmp_path):
    config = _no_verify_config(tmp_path)
    code, out, err = run("set", "5", "done", config=config)
    assert code == 0 and "→ 已完成" in out and "销号" not in out, err
    assert _json(run, "show", "5")["task"]["status"] == "done"


def test_note_with_evidence_and_unchanged_note_keeps_the_evidence(run):
    run("note", "8", "召开推进会", "--evidence", "http://news/1", "--caption", "新闻报道")
    code, _, err = run("note", "8", "召开推进会", "--evidence", "http://news/2")  # same text: no note event
    assert code == 0, err
    evidence = _json(run, "show", "8")["evidence"]
    assert [(e["ref"], e["caption"], e["event"]) for e in evidence] == [
        ("http://news/1", "新闻报道", "note"), ("http://news/2", "", "evidence")]


def test_collect_maps_completed_to_review_only_with_verification(run, isolated_env, tmp_path):
    from tests.test_ingest_formats_ledger import _fill

    mine = [t["id"] for t in _json(run, "list", "--unit", "夏阳街道")["tasks"]]
    run("export", "--unit", "夏阳街道", "-o", "夏阳街道.xlsx")
    filled = _fill(isolated_env / "夏阳街道.xlsx", {mine[0]: {"状态": "已完成"}}, isolated_env / "回.xlsx")
    plan = _json(run, "collect", str(filled), "--dry-run")[0]
    assert [c["status"] for c in plan["changes"]] == [["todo", "review"]]
    plan = _json(run, "collect", str(filled), "--dry-run", config=_no_verify_config(tmp_path))[0]
    assert [c["status"] for c in plan["changes"]] == [["todo", "done"]]


def test_cycle_commands_need_neither_sqlalchemy_nor_sqlmodel(loaded_db, tmp_db_path):
    """Like set/note/due, the cycle's write commands run on a bare sqlite3 connection."""
    import subprocess
    import sys

    from tests.conftest import REPO

    loaded_db.dispose()
    heavy = "{'sqlalchemy', 'sqlmodel', 'pydantic', 'textual'}"
    code = (
        "import sys, io\nfrom tracker.cli import main\nout = sys.stdout\n"
        "def run(*argv):\n"
        "    sys.stdout = io.StringIO()\n"
        f"    assert main(['--db', {str(tmp_db_path)!r}, '--config', {str(REPO / 'config.toml')!r}, "
        "'--today', '2022-11-15', *argv]) == 0, argv\n"
        "    sys.stdout = out\n"
        "run('set', '6', 'done', '--evidence', 'http://a/1'); run('verify', '6', '--note', '齐全')\n"
        "run('extend', '14', '2022-12-31', '--reason', '理由'); run('extend', '14', '--approve')\n"
        "run('evidence', '7', 'http://a/2'); run('add', '事项', '--unit', '各街镇', '--due', 'eom')\n"
        "run('cadence', '1', 'weekly:5')\n"
        f"print(sorted({{m.split('.')[0] for m in sys.modules}} & {heavy}))"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, cwd=REPO,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
    import sqlite3

    with sqlite3.connect(tmp_db_path) as conn:
        assert conn.execute("SELECT status FROM task WHERE id = 6").fetchone() == ("done",)
        assert conn.execute("SELECT due FROM task WHERE id = 14").fetchone() == ("2022-12-31",)
        assert conn.execute("SELECT COUNT(*) FROM evidence").fetchone() == (2,)
        assert conn.execute("SELECT cadence FROM document WHERE id = 1").fetchone() == ("weekly:5",)
