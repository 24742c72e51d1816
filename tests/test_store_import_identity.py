"""A document's identity on import: its content, or its 文号 and title — never its path alone."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import REPO, build_document
from tracker.store import queries as q
from tracker.store import services as s
from tracker.store.engine import read_tx

DUE = date(2022, 12, 31)


def doc(path: str, title: str, number: str | None, version: str = "v1", units=("区人力资源社会保障局",)):  # noqa: ANN001
    return build_document([("三（一）", [(u, "lead", "agency") for u in units], DUE)], path=path, title=title,
                          doc_number=number, version=version)


def titles(engine) -> list[tuple[int, str]]:  # noqa: ANN001
    with read_tx(engine) as conn:
        return [(d.id, d.title) for d in q.list_documents(conn)]


def test_a_different_document_at_a_known_path_is_new_and_the_first_keeps_its_text_and_statuses(tmp_db):
    first = s.import_document(tmp_db, doc("通知.txt", "关于稳就业的通知", None), by="甲")
    s.set_status(tmp_db, 1, "doing", by="甲", note="已召开推进会")
    second = s.import_document(tmp_db, doc("通知.txt", "关于安全生产检查的通知", None, "other"), by="乙")
    assert second.created and second.document_id != first.document_id
    assert len(second.warnings) == 1
    assert f"#{first.document_id}《关于稳就业的通知》" in second.warnings[0] and "路径" in second.warnings[0]
    assert titles(tmp_db) == [(1, "关于稳就业的通知"), (2, "关于安全生产检查的通知")]
    with read_tx(tmp_db) as conn:
        task = q.get_task(conn, 1)
    assert (task.document_title, task.status, task.note) == ("关于稳就业的通知", "doing", "已召开推进会")


def test_same_number_with_another_title_is_a_new_document(tmp_db):
    s.import_document(tmp_db, doc("a.txt", "关于稳就业的实施意见", "青府规发〔2022〕4号"), by="甲")
    other = s.import_document(tmp_db, doc("b.txt", "关于促进消费的若干措施", "青府规发〔2022〕4号", "x"), by="甲")
    assert other.created and "文号 青府规发〔2022〕4号 相同" in other.warnings[0]
    assert len(titles(tmp_db)) == 2


@pytest.mark.parametrize("number", ["青府规发〔2022〕4号", None])
def test_an_edited_version_is_matched_and_keeps_statuses(tmp_db, number):
    s.import_document(tmp_db, doc("v1/意见.txt", "关于稳就业的实施意见", number), by="甲")
    s.set_status(tmp_db, 1, "doing", by="甲")
    edited = s.import_document(tmp_db, doc("v2/意见.txt", "关于稳就业的实施意见", number, "v2",
                                           units=("区人力资源社会保障局", "区财政局")), by="甲")
    assert not edited.created and edited.warnings == [] and edited.tasks_added == 1
    assert titles(tmp_db) == [(1, "关于稳就业的实施意见")]
    with read_tx(tmp_db) as conn:
        assert q.get_task(conn, 1).status == "doing"


def test_replace_puts_a_file_in_place_of_a_chosen_document(tmp_db):
    s.import_document(tmp_db, doc("通知.txt", "关于稳就业的通知", None), by="甲")
    s.set_status(tmp_db, 1, "doing", by="甲")
    result = s.import_document(tmp_db, doc("新.txt", "关于稳就业的通知（修订）", None, "v2"), by="甲", replace=1)
    assert result.replaced and not result.created and result.document_id == 1
    assert titles(tmp_db) == [(1, "关于稳就业的通知（修订）")]
    with read_tx(tmp_db) as conn:
        assert q.get_task(conn, 1).status == "doing"
    with pytest.raises(s.NotFoundError, match="没有编号为 7 的文件"):
        s.import_document(tmp_db, doc("x.txt", "某文件", None, "v3"), by="甲", replace=7)


def test_cli_import_warns_and_replace_reports_the_change(tmp_path, isolated_env, capsys):
    from tracker.cli import main

    for folder, title, clause in (("a", "关于稳就业的通知", "区人社局"), ("b", "关于安全生产检查的通知", "区应急局")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "通知.txt").write_text(f"{title}\n\n一、加强工作。（责任单位：{clause}）\n", encoding="utf-8")
    base = ["--db", str(tmp_path / "t.db"), "--config", str(REPO / "config.toml"), "--today", "2022-11-15"]
    for folder in ("a", "b"):
        isolated_env.joinpath(folder).mkdir()
        (isolated_env / folder / "通知.txt").write_bytes((tmp_path / folder / "通知.txt").read_bytes())
    assert main([*base, "import", "a/通知.txt"]) == 0
    capsys.readouterr()
    (isolated_env / "a" / "通知.txt").write_bytes((tmp_path / "b" / "通知.txt").read_bytes())
    assert main([*base, "import", "a/通知.txt"]) == 0
    out = capsys.readouterr().out
    assert "新文件 #2" in out and "注意：与已导入的文件 #1《关于稳就业的通知》" in out
    assert main([*base, "import", "--replace", "1", "b/通知.txt"]) == 0
    assert "替换文件 #1" in capsys.readouterr().out
    assert main([*base, "import", "--replace", "1", "a/通知.txt", "b/通知.txt"]) == 2
    assert "一次只能替换一个文件" in capsys.readouterr().err
