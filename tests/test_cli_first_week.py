"""What a new coordinator and a tester tripped over on the command line: every bad input is one Chinese
line with exit 2, nothing reaches the terminal as a control sequence, ``assign`` tells the truth."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tracker.cli import main

CJK = re.compile(r"[\u4e00-\u9fff]")


# ---------------------------------------------------------------- item 7: bad input is exit 2, one line


@pytest.mark.parametrize(
    "argv",
    [
        ["show", "99999999999999999999"],
        ["set", "9223372036854775808", "done"],
        ["show", "²"],
        ["due", "1", "+99999999d"],
        ["due", "1", "+99999999y"],
        ["list", "--due-within", "99999999999"],
        ["list", "--stale", "99999999999"],
        ["list", "--limit", "100000000000000000000"],
        ["list", "--measure", "#99999999999999999999"],
        ["set", "1", "done", "--version", "99999999999999999999"],
        ["actual", "99999999999999999999", "5"],
        ["list", "--doc", "99999999999999999999"],
    ],
)
def test_out_of_range_input_is_a_one_line_input_error(run, argv):
    code, out, err = run(*argv)
    assert code == 2, err
    assert err.count("\n") == 1 and "内部错误" not in err and CJK.search(err)


def test_today_beyond_the_calendar_is_an_input_error(run):
    code, _, err = run("list", today="9999-12-31")
    assert code == 2 and "基准日" in err and err.count("\n") == 1


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_huge_due_soon_days_and_deep_toml_are_config_errors(run, tmp_path):
    code, _, err = run("summary", config=write(tmp_path, "due_soon_days = 999999999999\n"))
    assert code == 2 and "due_soon_days" in err and ":1:" in err
    code, _, err = run("summary", config=write(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n"))
    assert code == 2 and err.count("\n") == 1 and "TOML" in err


def test_unknown_nested_key_is_a_warning_naming_it(run, tmp_path):
    code, out, err = run("summary", config=write(tmp_path, "[units]\nalias = { '区人社局' = '区人力资源社会保障局' }\n"))
    assert code == 0 and out
    assert "警告" in err and "units.alias" in err and ":2:" in err


def test_clashing_status_labels_are_an_error(run, tmp_path):
    code, _, err = run("summary", config=write(tmp_path, "[status.labels]\ntodo = '已完成'\n"))
    assert code == 2 and "已完成" in err and "重复" in err


# ---------------------------------------------------------------- item 6: Chinese help with examples


@pytest.mark.parametrize("argv", [["--help"], ["list", "--help"], ["set", "--help"], ["assign", "--help"]])
def test_help_is_chinese_with_examples(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "示例" in out and "用法" in out
    english = {"usage:", "options:", "show this help", "positional arguments", "global options"}
    assert not [w for w in english if w in out]


@pytest.mark.parametrize(
    ("argv", "needle"),
    [(["list", "--due-within", "soon"], "不是整数"), (["lst"], "无效的选项"), (["set"], "缺少参数"),
     (["list", "--bogus"], "无法识别的参数")],
)
def test_argparse_errors_are_chinese(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and err.count("\n") == 1


# ---------------------------------------------------------------- item 8: no escape sequence reaches the terminal

ESC_NOTE = "\x1b[2J\x1b]0;PWNED\x07 进展\u202e反转"


def test_show_list_and_units_never_print_control_characters(run, loaded_db):
    from tracker.store import services

    assert run("note", "1", ESC_NOTE)[0] == 0
    assert run("assign", "三（二）", "区\x1b[31m红色局", "--new")[0] == 0
    for argv in (["show", "1"], ["list"], ["units"], ["list", "--unit", "红色局"], ["show", "1", "--json"]):
        code, out, err = run(*argv)
        assert code == 0, err
        if "--json" not in argv:
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]", out), argv
    code, out, _ = run("show", "1")
    assert "PWNED" in out and "\\x1b" in out  # shown escaped, not swallowed
    assert services  # the note went through the one write path


# ---------------------------------------------------------------- item 4: assign reports what happened


def test_assign_counts_only_real_additions(run):
    code, out, _ = run("assign", "三（二）", "区民政局", "--new")
    assert code == 0 and "新增任务 1 项" in out
    for extra in ([], ["--lead"]):
        code, out, _ = run("assign", "三（二）", "区民政局", *extra)
        assert code == 0 and "新增任务 1 项" not in out and "没有新增任务" in out, extra


def test_assign_keeps_one_argument_one_unit(run):
    code, out, err = run("assign", "三（二）", "区<!-- c -->局", "--new", "--json")
    assert code == 0, err
    units = [t["unit"] for t in json.loads(out)["tasks"]]
    assert "区<!-- c -->局" in units and "c" not in units and "-->局" not in units
    code, out, _ = run("assign", "三（二）", "区民政局、区财政局", "--json")
    assert code == 0
    assert {"区民政局", "区财政局"} <= {t["unit"] for t in json.loads(out)["tasks"]}


# ---------------------------------------------------------------- item 9: summary fits an 80-column terminal


@pytest.mark.parametrize("width", [80, 100])
def test_summary_tables_fit_narrow_terminals_without_wrapping(run, monkeypatch, capsys, width):
    from rich.cells import cell_len

    from tracker.cli import render

    monkeypatch.setattr(render, "terminal", lambda: (width, False))
    from tracker.cli import listing

    monkeypatch.setattr(listing, "terminal", lambda: (width, False))
    code, out, _ = run("summary")
    assert code == 0
    lines = out.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert any("完成率" in line for line in lines) and any("逾期" in line for line in lines)
