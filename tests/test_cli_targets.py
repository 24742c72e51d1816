"""`tracker targets` and `tracker actual`: the figures the report shows as 最新实际."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO
from tracker.cli import main
from tracker.cli.targets import parse_amount
from tracker.cli import UsageError

SEED = REPO / "seeds" / "002_3d31144a4b974985.txt"


@pytest.fixture
def tracker(isolated_env, tmp_path, capsys):
    db = tmp_path / "targets.db"

    def _run(*argv: str):
        code = main(["--db", str(db), "--config", str(REPO / "config.toml"), "--today", "2022-11-15", *argv])
        out, err = capsys.readouterr()
        return code, out, err

    assert _run("import", str(SEED))[0] == 0
    return _run


@pytest.mark.parametrize(
    ("typed", "value"),
    [("390000", 390000.0), ("39万", 390000.0), ("0.8亿", 80000000.0), ("85%", 85.0), ("1,100", 1100.0),
     ("1100人", 1100.0), ("none", None)],
)
def test_parse_amount(typed, value):
    assert parse_amount(typed) == value


@pytest.mark.parametrize("typed", ["abc", "", "万"])
def test_parse_amount_rejects_non_numbers(typed):
    with pytest.raises(UsageError):
        parse_amount(typed)


def test_actual_is_recorded_and_reported(tracker):
    code, out, _ = tracker("targets", "--json")
    targets = json.loads(out)["targets"]
    jobs = next(t for t in targets if "正规就业" in t["phrase"])
    assert (jobs["comparator"], jobs["value"], jobs["uom"], jobs["actual"]) == (">=", 400000.0, "人", None)

    code, out, err = tracker("actual", str(jobs["id"]), "39万", "--as-of", "2022/11/10")
    assert code == 0, err
    _, out, _ = tracker("targets", "--json")
    again = next(t for t in json.loads(out)["targets"] if t["id"] == jobs["id"])
    assert (again["actual"], again["actual_at"]) == (390000.0, "2022-11-10")

    _, report, _ = tracker("export")
    row = next(line for line in report.splitlines() if "正规就业" in line and line.startswith("|"))
    assert "39万人" in row and "98%" in row  # 39万 of 40万


def test_actual_on_a_missing_target_is_exit_2(tracker):
    code, _, err = tracker("actual", "999", "5")
    assert code == 2 and err.count("\n") == 1 and "找不到" in err


def test_a_back_dated_figure_joins_the_history_without_replacing_a_newer_one(tracker):
    code, out, _ = tracker("targets", "--json")
    target = json.loads(out)["targets"][0]["id"]
    assert tracker("actual", str(target), "39.5万", "--as-of", "2022-11-15")[0] == 0
    code, out, _ = tracker("actual", str(target), "38万", "--as-of", "2022-09-30")
    assert code == 0 and "仍为" in out
    data = {t["id"]: t for t in json.loads(tracker("targets", "--json")[1])["targets"]}[target]
    assert data["actual"] == 395000 and data["actual_at"] == "2022-11-15"
    assert [(f["value"], f["as_of"]) for f in data["history"]] == [(380000, "2022-09-30"), (395000, "2022-11-15")]
    code, out, _ = tracker("targets")
    assert "38万（2022-09-30）" in out and "39.5万（2022-11-15）" in out
    # a newer figure becomes current
    tracker("actual", str(target), "41万", "--as-of", "2022-12-01")
    data = {t["id"]: t for t in json.loads(tracker("targets", "--json")[1])["targets"]}[target]
    assert data["actual"] == 410000 and len(data["history"]) == 3
