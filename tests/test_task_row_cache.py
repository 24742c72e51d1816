"""How the task table reads a page: by key from a neighbour, from the end, or by position only when it must."""

from __future__ import annotations

from tracker.tui.widgets.task_pages import PAGE_SIZE
from tracker.tui.widgets.task_row_cache import RowCache

TOTAL = 10 * PAGE_SIZE + 37  # eleven pages, the last one short


def test_end_reads_the_tail_and_page_up_reads_before_its_first_row():
    cache = RowCache()
    last = TOTAL // PAGE_SIZE
    end = cache.anchor(last, TOTAL)
    assert (end.how, end.size) == ("end", 37)  # exactly the rows of the short last page
    cache.put(last, [None] * 37, [(0, "k-first")] + [(0, "k")] * 36, cursor=TOTAL - 1)  # type: ignore[list-item]
    above = cache.anchor(last - 1, TOTAL)
    assert (above.how, above.key) == ("before", (0, "k-first"))


def test_page_down_reads_after_the_last_row_and_nothing_waits_on_offsets():
    cache = RowCache()
    assert cache.anchor(0, None).how == "after"  # the first page needs no count
    cache.put(0, [None] * PAGE_SIZE, [(0, i) for i in range(PAGE_SIZE)], cursor=0)  # type: ignore[list-item]
    below = cache.anchor(1, TOTAL)
    assert (below.how, below.key) == ("after", (0, PAGE_SIZE - 1))


def test_a_jump_waits_for_the_count_and_for_a_neighbour_on_its_way():
    cache = RowCache()
    assert cache.anchor(5, None) is None  # no count yet: asked again when it arrives
    cache.pending.add(4)
    assert cache.anchor(5, TOTAL) is None  # page 4 is being read: page 5 follows it by key
    cache.pending.clear()
    jump = cache.anchor(5, TOTAL)
    assert (jump.how, jump.total) == ("at", TOTAL)
