"""The command line, in-process through ``main(argv)``: exit codes, JSON, dates, filters, config lookup."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import build_document
from tracker.cli import main

TODAY = "2022-11-15"


@pytest.fixture
def run_json(run):
    def _run(*argv: str, **kw):
        code, out, err = run(*argv, "--json", **kw)
        assert code == 0, err
        assert err == ""
        return json.loads(out)

    return _run


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# ---------------------------------------------------------------- list / JSON


def test_list_json_schema(run_json):
    data = run_json("list")
    assert set(data) == {"today", "filter", "counts", "tasks"}
    assert data["today"] == TODAY
    assert data["counts"] == {"total": 16, "todo": 16, "doing": 0, "blocked": 0, "review": 0, "done": 0, "dropped": 0,
                              "overdue": 1, "due_soon": 2}
    assert len(data["tasks"]) == 16
    first = data["tasks"][0]  # sorted by due date: the overdue one first
    assert first["id"] == 14 and first["unit"] == "区经委" and first["overdue"] is True and first["days_late"] == 15
    assert first["due"] == "2022-10-31" and first["status"] == "todo" and first["role"] == "lead"
    for key in ("document_id", "document", "measure_id", "measure", "measure_title", "chapter", "unit_kind",
                "due_phrase", "note", "updated_at", "updated_by", "version"):
        assert key in first
    assert data["filter"]["description"] == "全部任务"


def test_list_table_has_chinese_headers_and_count_line(run):
    code, out, err = run("list")
    assert code == 0 and err == ""
    header = out.splitlines()[0]
    for col in ("编号", "措施", "单位", "角色", "状态", "截止", "逾期/剩余", "更新"):
        assert col in header
    assert "逾期 15 天" in out and "剩 5 天" in out
    assert out.strip().splitlines()[-1] == "总数 16 · 已完成 0 · 推进中 0 · 未启动 16 · 受阻 0 · 逾期 1"


def test_list_respects_limit_and_sort(run_json):
    data = run_json("list", "--sort", "unit", "--limit", "3")
    assert [t["unit"] for t in data["tasks"]] == sorted(t["unit"] for t in data["tasks"])
    assert len(data["tasks"]) == 3 and data["counts"]["total"] == 16


@pytest.mark.parametrize(
    "argv, expected_ids",
    [
        (["--unit", "夏阳街道"], {3}),
        (["--unit", "区人社局"], {1}),  # alias from the config
        (["--unit", "夏阳"], {3}),  # a unique partial name
        (["--unit", "区经委", "--unit", "区科委"], {14, 16}),
        (["--unit", "各街镇"], set(range(3, 14))),  # a configured group expands
        (["--kind", "街镇"], set(range(3, 14))),
        (["--kind", "agency"], {1, 2, 14, 16}),
        (["--kind", "部门,集合"], {1, 2, 14, 15, 16}),
        (["--chapter", "四"], {15, 16}),
        (["--chapter", "第四部分"], {15, 16}),
        (["--measure", "三(二)"], {14}),  # half-width brackets
        (["--measure", "三（二）"], {14}),
        (["--overdue"], {14}),
        (["--due-within", "7"], {15, 16}),
        (["--due-within", "60", "--kind", "集合"], {15}),
        (["--text", "科委"], {16}),
        (["--role", "牵头"], {1, 14, 15}),
        (["--role", "lead", "--kind", "部门"], {1, 14}),
        (["--doc", "1", "--overdue"], {14}),
        (["--stale", "10000"], set()),
    ],
)
def test_filters_through_the_cli(run_json, argv, expected_ids):
    data = run_json("list", *argv)
    assert {t["id"] for t in data["tasks"]} == expected_ids
    assert data["counts"]["total"] == len(expected_ids)


def test_status_filter_accepts_codes_and_chinese_labels(run, run_json):
    assert run("set", "1", "2", "doing")[0] == 0
    assert run("set", "14", "受阻")[0] == 0
    assert run("set", "16", "已完成")[0] == 0  # 待销号 until verified (the shipped config verifies)
    assert {t["id"] for t in run_json("list", "--status", "待销号")["tasks"]} == {16}
    assert run("verify", "16")[0] == 0
    assert {t["id"] for t in run_json("list", "--status", "doing,blocked")["tasks"]} == {1, 2, 14}
    assert {t["id"] for t in run_json("list", "--status", "推进中、受阻")["tasks"]} == {1, 2, 14}
    assert {t["id"] for t in run_json("list", "--status", "已完成")["tasks"]} == {16}
    data = run_json("list", "--status", "open")
    assert data["counts"]["total"] == 15 and data["filter"]["statuses"] == ["todo", "doing", "blocked"]


def test_stale_filter_uses_last_update(run_json):
    # every task was updated "now" (real clock) and today is frozen in 2022: nothing is stale for 0 days
    assert run_json("list", "--stale", "0")["counts"]["total"] == 0
    data = run_json("list", "--stale", "3", today="2099-01-01")
    assert data["counts"]["total"] == 16


def test_unassigned_lists_measures_waiting_for_units(run, run_json):
    data = run_json("list", "--unassigned")
    assert [m["code"] for m in data["measures"]] == ["五（一）"]
    assert data["measures"][0]["tasks"] == 0
    code, out, _ = run("list", "--unassigned")
    assert code == 0 and "五（一）" in out and "待分配措施 1 项" in out


def test_unassigned_rejects_task_filters(run):
    code, _, err = run("list", "--unassigned", "--overdue")
    assert code == 2 and "--overdue" in one_line(err)


def test_list_rows_are_styled_by_traffic_light(loaded_db, config, today):
    from rich.cells import cell_len

    from tracker.cli.render import task_lines
    from tracker.store.engine import read_tx
    from tracker.store.filters import TaskFilter
    from tracker.store.queries import list_tasks
    from tracker.store.services import set_status

    set_status(loaded_db, 1, "done", by="t")
    set_status(loaded_db, 2, "blocked", by="t")
    with read_tx(loaded_db) as conn:
        rows = list_tasks(conn, TaskFilter(task_ids=(1, 2, 3, 14, 15)), today, sort="measure")
    lines = task_lines(rows, today, config, width=None, color=True)
    by_id = {r.id: line for r, line in zip(rows, lines[2:])}
    assert by_id[1].startswith("\x1b[2m")  # done: dim
    assert by_id[14].startswith("\x1b[31m") and "逾期 15 天" in by_id[14]  # overdue: red
    assert by_id[15].startswith("\x1b[33m")  # due soon: yellow
    assert not by_id[3].startswith("\x1b")  # on track: plain
    assert "\x1b[1;35m受阻 !" in by_id[2]  # blocked: marked
    plain = task_lines(rows, today, config, width=None, color=False)
    assert "\x1b" not in "".join(plain)
    assert plain[0].split(" ┃ ")[1].startswith("措施")
    assert len({cell_len(line) for line in plain}) == 1  # CJK columns aligned: every line equally wide
    narrow = task_lines(rows, today, config, width=80, color=False)
    assert max(cell_len(line) for line in narrow) <= 80 and "…" in "".join(narrow)


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["--status", "finished"], "未知状态"),
        (["--kind", "省"], "未知单位类别"),
        (["--unit", "不存在的局"], "未知单位"),
        (["--unit", "镇"], "多个匹配"),
        (["--doc", "x"], "不是文件编号"),
        (["--doc", "99"], "找不到文件 99"),
        (["--role", "boss"], "未知角色"),
        (["--due-within", "-1"], "--due-within"),
        (["--due-within", "soon"], "不是整数"),
    ],
)
def test_bad_filters_exit_2_with_one_line(run, argv, needle):
    code, out, err = run("list", *argv)
    assert code == 2
    assert needle in one_line(err)
    assert out == ""


# ---------------------------------------------------------------- show


def test_show_json(run, run_json):
    run("note", "3", "已召开专题会", "--by", "夏阳街道联络员")
    data = run_json("show", "#3")
    assert set(data) == {"today", "task", "measure", "units", "targets", "history", "extensions", "evidence"}
    assert data["task"]["id"] == 3 and data["task"]["unit"] == "夏阳街道" and data["task"]["note"] == "已召开专题会"
    assert data["measure"]["code"] == "三（一）" and data["measure"]["text"] == "三（一）的正文。"
    assert len(data["units"]) == 13
    assert {u["unit"] for u in data["units"] if u["role"] == "lead"} == {"区人力资源社会保障局"}
    assert [h["field"] for h in data["history"]] == ["assign", "note"]
    assert data["history"][1]["by"] == "夏阳街道联络员"


def test_show_text(run):
    run("set", "14", "blocked", "--note", "资金未到位")
    code, out, err = run("show", "14")
    assert code == 0 and err == ""
    assert "任务 #14 · 区经委" in out and "受阻" in out and "资金未到位" in out and "逾期 15 天" in out
    assert "同一措施的责任单位（1）" in out and "历史（2）" in out


def test_show_missing_task_is_exit_2(run):
    code, out, err = run("show", "999")
    assert code == 2 and "找不到任务 999" in one_line(err)
    code, _, err = run("show", "abc")
    assert code == 2 and "不是任务编号" in one_line(err)


# ---------------------------------------------------------------- set / due / note / assign


def test_set_many_records_who_and_note(run, run_json):
    code, out, err = run("set", "1", "#2", "推进中", "--note", "已部署", "--by", "张三")
    assert code == 0 and err == ""
    assert "已更新 2 项任务 → 推进中：#1、#2" in out
    for tid in (1, 2):
        task = run_json("show", str(tid))["task"]
        assert task["status"] == "doing" and task["updated_by"] == "张三" and task["note"] == "已部署"
        assert task["version"] == 2


def test_set_json_and_default_user_from_environment(run, run_json, monkeypatch):
    monkeypatch.setenv("TRACKER_USER", "李四")
    data = run_json("set", "16", "done")
    assert data["status"] == "review"  # 已完成 awaits 销号 with the shipped config
    assert data["changes"][0]["task_id"] == 16 and data["changes"][0]["version"] == 2
    assert len(data["changes"][0]["events"]) == 1
    assert run_json("show", "16")["history"][-1]["by"] == "李四"


def test_set_is_all_or_nothing(run, run_json):
    code, _, err = run("set", "1", "999", "done")
    assert code == 2 and "999" in one_line(err)
    assert run_json("show", "1")["task"]["status"] == "todo"


def test_set_unknown_status_is_exit_2(run):
    code, _, err = run("set", "1", "finished")
    assert code == 2 and "未知状态" in one_line(err)
    code, _, err = run("set", "1")
    assert code == 2 and "任务… 状态" in one_line(err)


def test_stale_version_is_refused_with_exit_1(run, run_json):
    assert run("note", "5", "first", "--by", "王五")[0] == 0  # version 1 -> 2
    code, _, err = run("set", "5", "done", "--version", "1")
    assert code == 1
    line = one_line(err)
    assert "任务 5 已被 王五" in line and "未保存" in line
    assert run_json("show", "5")["task"]["status"] == "todo"
    assert run("set", "5", "done", "--version", "2")[0] == 0


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("2022-12-31", "2022-12-31"),
        ("2022/12/31", "2022-12-31"),
        ("2022年12月31日", "2022-12-31"),
        ("eom", "2022-11-30"),
        ("eoy", "2022-12-31"),
        ("+2w", "2022-11-29"),
        ("+10d", "2022-11-25"),
        ("2023年3月", "2023-03-31"),
        ("none", None),
    ],
)
def test_dates_typed_by_people(run, run_json, typed, expected):
    code, out, err = run("due", "1", typed)
    assert code == 0, err
    assert run_json("show", "1")["task"]["due"] == expected


def test_set_with_due_date(run_json):
    run_json("set", "2", "doing", "--due", "+10d")
    task = run_json("show", "2")["task"]
    assert task["due"] == "2022-11-25" and task["status"] == "doing"


@pytest.mark.parametrize("typed", ["2022-02-30", "tomorrow-ish", "31/12/2022", "+2x"])
def test_bad_dates_exit_2(run, run_json, typed):
    code, _, err = run("due", "1", typed)
    assert code == 2
    assert typed in one_line(err)
    assert run_json("show", "1")["task"]["due"] == "2022-12-31"


def test_relative_dates_follow_the_frozen_today(run, run_json, monkeypatch):
    monkeypatch.setenv("TRACKER_TODAY", "2023-02-10")
    run("due", "1", "eom", today=None)
    assert run_json("show", "1", today=None)["task"]["due"] == "2023-02-28"


def test_note(run, run_json):
    code, out, _ = run("note", "15", "已完成摸底", "--by", "赵六")
    assert code == 0 and "任务 #15 已记录进展" in out
    task = run_json("show", "15")["task"]
    assert task["note"] == "已完成摸底" and task["updated_by"] == "赵六"
    assert run("note", "15", "  ")[0] == 2


def test_assign_group_and_lead(run, run_json):
    data = run_json("assign", "五(一)", "区民政局", "各街镇", "--lead", "--by", "协调员")
    assert data["measure"] == "五（一）"
    assert len(data["tasks"]) == 12
    assert {t["unit"] for t in data["tasks"] if t["role"] == "lead"} == {"区民政局"}
    assert run_json("list", "--unassigned")["measures"] == []
    assert run_json("list", "--measure", "五（一）", "--kind", "街镇")["counts"]["total"] == 11


def test_assign_ambiguous_code_needs_doc(run, run_json, tmp_db):
    from tracker.store.services import import_document

    other = build_document([("三（一）", [], date(2022, 12, 31))], path="other.txt", doc_number="测试〔2022〕2号")
    import_document(tmp_db, other, by="t")
    code, _, err = run("assign", "三（一）", "区民政局")
    assert code == 2
    line = one_line(err)
    assert "--doc" in line and "文件 1" in line and "文件 2" in line
    data = run_json("assign", "三（一）", "区民政局", "--doc", "2")
    assert [t["document_id"] for t in data["tasks"]] == [2]
    code, _, err = run("assign", "九（九）", "区民政局")
    assert code == 2 and "找不到" in one_line(err)


def test_assign_refuses_unknown_unit_names_unless_new(run, run_json):
    code, _, err = run("assign", "五（一）", "区民证局")  # typo of 区民政局 (known in the config)
    assert code == 2 and "区民证局" in one_line(err) and "--new" in err
    assert run_json("list", "--unassigned")["measures"][0]["code"] == "五（一）"
    data = run_json("assign", "五（一）", "某某工作专班", "--new")
    assert [t["unit"] for t in data["tasks"]] == ["某某工作专班"] and data["tasks"][0]["role"] == "lead"


def test_unassign(run, run_json):
    code, out, _ = run("unassign", "四（一）", "区科委")
    assert code == 0 and "区科委" in out
    assert {t["unit"] for t in run_json("list", "--measure", "四（一）")["tasks"]} == {"各区属公司"}


# ---------------------------------------------------------------- units / summary


def test_units_json(run, run_json):
    run("set", "3", "done")
    run("verify", "3")
    data = run_json("units")
    by_name = {u["name"]: u for u in data["units"]}
    assert len(by_name) == 16
    assert by_name["夏阳街道"] == {"id": by_name["夏阳街道"]["id"], "name": "夏阳街道", "kind": "town", "tasks": 1,
                                 "done": 1, "overdue": 0, "kind_label": "街镇"}
    assert by_name["区经委"]["overdue"] == 1
    assert {u["kind"] for u in run_json("units", "--kind", "集合")["units"]} == {"group"}


def test_summary_json(run_json):
    data = run_json("summary")
    assert set(data) == {"today", "documents", "kinds", "total", "unassigned_measures"}
    (doc,) = data["documents"]
    assert doc["doc_number"] == "测试〔2022〕1号" and doc["measures"] == 4 and doc["tasks"] == 16
    assert doc["counts"]["overdue"] == 1 and doc["unassigned_measures"] == 1
    kinds = {k["kind"]: k["counts"]["total"] for k in data["kinds"]}
    assert kinds == {"agency": 4, "town": 11, "group": 1}
    assert data["total"]["total"] == 16


def test_summary_text(run):
    code, out, _ = run("summary")
    assert code == 0
    assert "测试实施意见" in out and "街镇" in out and "合计" in out
    assert "总数 16 · 已完成 0" in out


# ---------------------------------------------------------------- config lookup and errors


def _cfg(path: Path, today: str, extra: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'today = "{today}"\n{extra}', encoding="utf-8")
    return path


def test_config_lookup_order(run_json, isolated_env, tmp_path, monkeypatch):
    explicit = _cfg(tmp_path / "explicit.toml", "2022-01-01")
    env = _cfg(tmp_path / "env.toml", "2022-02-02")
    _cfg(isolated_env / "config.toml", "2022-03-03")
    _cfg(tmp_path / "xdg-config" / "tracker" / "config.toml", "2022-04-04")

    monkeypatch.setenv("TRACKER_CONFIG", str(env))
    assert run_json("list", config=explicit, today=None)["today"] == "2022-01-01"
    assert run_json("list", config=None, today=None)["today"] == "2022-02-02"
    monkeypatch.delenv("TRACKER_CONFIG")
    assert run_json("list", config=None, today=None)["today"] == "2022-03-03"
    (isolated_env / "config.toml").unlink()
    assert run_json("list", config=None, today=None)["today"] == "2022-04-04"
    # --today beats the config, TRACKER_TODAY sits between
    monkeypatch.setenv("TRACKER_TODAY", "2022-05-05")
    assert run_json("list", config=explicit, today=None)["today"] == "2022-05-05"
    assert run_json("list", config=explicit, today="2022-06-06")["today"] == "2022-06-06"


@pytest.mark.parametrize(
    "text, line, key",
    [
        ('today = ""\ndue_soon_days = "soon"\n', 2, "due_soon_days"),
        ('user = "x"\n\n[deadline]\npolicy = "whenever"\n', 4, "deadline.policy"),
        ('today = "2022-13-40"\n', 1, "today"),
        ('colour = "red"\n', 1, "colour"),
    ],
)
def test_broken_config_is_exit_2_one_line_with_file_line_and_key(run, tmp_path, text, line, key):
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    code, out, err = run("list", config=bad)
    assert code == 2 and out == ""
    assert one_line(err).startswith(f"tracker: {bad}:{line}: {key}:")


def test_invalid_toml_names_the_line(run, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('today = ""\nuser = \n', encoding="utf-8")
    code, _, err = run("summary", config=bad)
    assert code == 2 and f"{bad}:2: TOML 格式错误" in one_line(err)


def test_missing_config_file_is_exit_2(run, tmp_path):
    code, _, err = run("list", config=tmp_path / "nope.toml")
    assert code == 2 and "nope.toml" in one_line(err)


def test_init_writes_a_default_config_and_refuses_to_overwrite(isolated_env, capsys):
    from tracker.config import load_config

    assert main(["init"]) == 0
    written = isolated_env / "config.toml"
    cfg = load_config(written)
    assert cfg.groups["各街镇"].members[0] == "夏阳街道" and len(cfg.groups["各街镇"].members) == 11
    assert cfg.canonical_unit("区文旅局") == "区文化旅游局"
    assert cfg.status_label("blocked") == "受阻"
    capsys.readouterr()
    assert main(["init"]) == 2
    assert "--force" in one_line(capsys.readouterr().err)
    assert main(["init", "--force"]) == 0
    other = isolated_env / "sub" / "my.toml"
    assert main(["init", str(other)]) == 0 and load_config(other).due_soon_days == 14


# ---------------------------------------------------------------- exit codes


def test_usage_errors_are_one_line_exit_2(run):
    code, out, err = run("lst")
    assert code == 2 and "无效的选项" in one_line(err) and out == ""
    code, _, err = run("list", "--bogus")
    assert code == 2 and "--bogus" in one_line(err)


def test_help_and_version_exit_0(capsys):
    assert main(["--help"]) == 0
    assert "tracker" in capsys.readouterr().out
    assert main(["list", "--help"]) == 0
    assert "--overdue" in capsys.readouterr().out
    assert main(["--version"]) == 0


def test_bad_today_is_exit_2(run):
    code, _, err = run("list", today="2022-13-01")
    assert code == 2 and "--today" in one_line(err)


def test_unreadable_database_is_exit_1(run, tmp_path):
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    code, out, err = run("list", db=garbage)
    assert code == 1 and out == ""
    assert "数据库" in one_line(err)
    code, _, err = run("list", db=tmp_path)  # a directory
    assert code == 1 and "是目录" in one_line(err)


def test_unexpected_error_is_one_line_exit_1(run, monkeypatch):
    from tracker.cli import listing

    def boom(ctx, args):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(listing, "cmd_units", boom)
    code, _, err = run("units")
    assert code == 1 and one_line(err) == "tracker: 内部错误：RuntimeError: kaboom"
