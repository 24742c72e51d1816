"""Cell text helpers of the app: CJK-aware truncation and "how long ago"."""

from __future__ import annotations

from datetime import date, datetime, timezone

from rich.cells import cell_len

from tracker.tui.widgets.cells import ago_phrase

TODAY = date(2022, 11, 15)


def at(y, m, d):
    return datetime(y, m, d, 9, 30, tzinfo=timezone.utc)


def test_ago_phrase_relative_to_the_apps_today():
    assert ago_phrase(at(2022, 11, 15), TODAY) == "今天"
    assert ago_phrase(at(2022, 11, 14), TODAY) == "昨天"
    assert ago_phrase(at(2022, 11, 5), TODAY) == "10天前"
    assert ago_phrase(at(2022, 1, 5), TODAY) == "2022-01-05"
    assert ago_phrase(None, TODAY) == ""


def test_a_change_after_a_frozen_today_shows_its_date():
    assert ago_phrase(at(2026, 11, 22), TODAY) == "2026-11-22"


def test_late_phrase():
    from tracker.tui.widgets.cells import late_phrase

    assert late_phrase(date(2022, 11, 10), "doing", TODAY) == "逾期 5 天"
    assert late_phrase(date(2022, 11, 15), "todo", TODAY) == "今天到期"
    assert late_phrase(date(2022, 11, 20), "blocked", TODAY) == "剩 5 天"
    assert late_phrase(date(2022, 11, 10), "done", TODAY) == "—"
    assert late_phrase(None, "todo", TODAY) == "无期限"


def test_fit_and_truncate_count_wide_characters():
    from tracker.tui.widgets.cells import fit, truncate

    assert cell_len(fit("区人力资源社会保障局", 12)) == 12
    assert fit("区人力资源社会保障局", 12).rstrip().endswith("…")
    assert fit("夏阳街道", 12) == "夏阳街道    "
    assert truncate("第一行\n第二行", 40) == "第一行 第二行"
