"""Archiving a document: it leaves lists, counts and reports; its tasks and history stay; unarchive restores."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.conftest import REPO, build_document
from tracker.cli import main
from tracker.store.services import import_document, set_status


@pytest.fixture
def two_docs(isolated_env, loaded_db, tmp_db_path, capsys):
    second = build_document([("一（一）", [("区民政局", "lead", "agency")], date(2022, 10, 1))],
                            path="other.txt", title="另一份文件", doc_number="测试〔2022〕2号")
    import_document(loaded_db, second, by="t")
    set_status(loaded_db, 1, "doing", by="张三", note="已启动")

    def run(*argv: str):
        code = main(["--db", str(tmp_db_path), "--config", str(REPO / "config.toml"), "--today", "2022-11-15", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def task_ids(run, *argv) -> set[int]:
    code, out, err = run("list", *argv, "--json")
    assert code == 0, err
    return {t["id"] for t in json.loads(out)["tasks"]}


def test_archived_document_leaves_lists_and_reports_and_comes_back(two_docs):
    run = two_docs
    before = task_ids(run)
    code, out, _ = run("archive", "1")
    assert code == 0 and "已归档" in out
    after = task_ids(run)
    assert after and after < before and 1 not in after
    assert json.loads(run("summary", "--json")[1])["total"]["total"] == len(after)
    report = run("export")[1]
    assert "测试实施意见" not in report and "另一份文件" in report
    assert "另有已归档的文件 1 个" in run("summary")[1]
    assert "（已归档）测试实施意见" in run("summary", "--archived")[1]
    # the task and its history are kept, and an explicit --doc still reaches them
    code, out, _ = run("show", "1", "--json")
    assert code == 0 and json.loads(out)["task"]["status"] == "doing"
    assert 1 in task_ids(run, "--doc", "1")
    assert run("archive", "1")[1].strip().endswith("已是归档状态")
    assert run("unarchive", "1")[0] == 0
    assert task_ids(run) == before


def test_archiving_an_unknown_document_is_exit_2(two_docs):
    code, _, err = two_docs("archive", "99")
    assert code == 2 and "找不到文件 99" in err
