"""One order everywhere: measures in document order, units in the one unit order (街镇 as configured, then
bureaus, collectives and companies as first seen)."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from tests.conftest import REPO, build_document
from tracker.cli import main
from tracker.config import QINGPU_TOWNS
from tracker.report.markdown import render_report
from tracker.store import queries as q
from tracker.store.engine import read_tx
from tracker.store.filters import TaskFilter
from tracker.store.services import import_document

TODAY = date(2022, 11, 15)
# Code-point order of these codes is 三（一） 三（三） 三（二） 七（一） 四（一）: not the document's.
CODES = ["三（一）", "三（二）", "三（三）", "四（一）", "七（一）"]
# Bureaus first seen in this order; by code point 区人… sorts after 区发…, 区财… after 区科….
BUREAUS = ["区人力资源社会保障局", "区财政局", "区发展改革委", "区科委"]
TOWNS = list(reversed(QINGPU_TOWNS[:4]))  # the document names them against the config's order


@pytest.fixture
def ordered_db(tmp_db):
    measures = []
    for i, code in enumerate(CODES):
        units = [(BUREAUS[i % len(BUREAUS)], "lead", "agency"), (BUREAUS[(i + 1) % len(BUREAUS)], "support", "agency")]
        units += [(t, "support", "town") for t in TOWNS]
        measures.append((code, units, date(2022, 10, 31)))
    import_document(tmp_db, build_document(measures), by="t")
    return tmp_db


def codes_in(text: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r"[三四七]（[一二三]）", text)))


def test_report_overdue_list_and_measure_sections_follow_document_order(ordered_db, config):
    with read_tx(ordered_db) as conn:
        text = render_report(conn, TaskFilter(), TODAY, config)
    overdue = text.split("## 逾期任务")[1].split("\n## ")[0]
    assert codes_in(overdue) == CODES
    sections = re.findall(r"^### ([三四七]（[一二三]）)", text, re.M)
    assert sections == CODES


def expected_units() -> list[str]:
    towns = [t for t in QINGPU_TOWNS if t in TOWNS]  # config order
    return towns + BUREAUS


def test_units_follow_one_order_in_queries_report_and_matrix(ordered_db, config):
    with read_tx(ordered_db) as conn:
        assert [u.name for u in q.list_units(conn, TODAY, config)] == expected_units()
        assert [g.key for g in q.progress_by_unit(conn, TaskFilter(), TODAY, 14, config)] == expected_units()
        assert [u[1] for u in q.responsibility_matrix(conn, TaskFilter(), TODAY, config).units] == expected_units()
        by_unit = render_report(conn, TaskFilter(), TODAY, config, by="unit")
    heads = re.findall(r"^### (\S+)（", by_unit.split("## 各单位任务清单")[1], re.M)
    assert heads == expected_units()
    progress = by_unit.split("## 各单位进展")[1].split("\n## ")[0]
    listed = [n for n in re.findall(r"^\| (\S+) \|", progress, re.M) if n != "单位" and not n.startswith("-")]
    assert listed == expected_units()


def test_cli_units_and_list_by_unit_follow_the_same_order(ordered_db, tmp_db_path, isolated_env, capsys):
    base = ["--db", str(tmp_db_path), "--config", str(REPO / "config.toml"), "--today", TODAY.isoformat()]
    assert main([*base, "units", "--json"]) == 0
    assert [u["name"] for u in json.loads(capsys.readouterr().out)["units"]] == expected_units()
    assert main([*base, "list", "--sort", "unit", "--json"]) == 0
    units = [t["unit"] for t in json.loads(capsys.readouterr().out)["tasks"]]
    assert list(dict.fromkeys(units)) == expected_units()
