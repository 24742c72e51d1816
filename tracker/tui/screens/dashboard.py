"""Dashboard: completion per chapter and per unit, the red list of overdue units, targets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from tracker.config import UNIT_KIND_LABELS
from tracker.store import queries as q
from tracker.store.dashboard_reads import unassigned_count, unit_progress
from tracker.store.detail_rows import ChapterKey
from tracker.store.filters import TaskFilter
from tracker.store.matrix_reads import document_labels
from tracker.store.ordering import KIND_RANK
from tracker.store.progress_sql import (
    chapter_keys,
    iter_report_targets,
    progress_of_chapters,
)
from tracker.tui.context import AppContext
from tracker.tui.screens.base import ViewScreen
from tracker.tui.widgets.bars import BarList, BarRow, PreparedBars, completion
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.matrix_style import STATE_STYLES


@dataclass(frozen=True)
class DashboardData:
    total: q.Counts
    chapters: list[q.GroupProgress]
    units: list[q.GroupProgress]
    targets: list[q.TargetRow]
    documents: dict[int, str]  # id -> short name (文号 or title)
    unassigned: int
    token: tuple | None
    complete: bool = True  # False: chapters or targets are still being read


@dataclass(frozen=True)
class Breakdown:
    """The slow half (chapters; every target): shown when read. ``counted`` False: only the chapters the list
    shows first are counted (``chapters`` holds those); the rest follow in :class:`ChaptersCounted`."""

    chapters: list[q.GroupProgress]
    targets: list[q.TargetRow]
    chapter_bars: PreparedBars
    target_bars: PreparedBars
    counted: bool = True


@dataclass(frozen=True)
class ChaptersCounted:
    """Every chapter's figures and rows, for the rows a partly counted :class:`Breakdown` put on screen."""

    chapters: list[q.GroupProgress]
    bars: PreparedBars


# chapters counted before the list is shown (a screen shows at most ~30; the rest are counted right after)
FIRST_CHAPTERS = 120


def chapter_rows(chapters: list[ChapterKey], counted: Mapping[tuple[int, str], q.Counts],
                 documents: dict[int, str]) -> list[BarRow]:
    """A line per chapter, under a heading per document when there are several; a chapter not in ``counted``
    yet shows that it is being counted."""
    many_docs = len({c.document_id for c in chapters}) > 1
    found = []
    heading = None
    for c in chapters:
        doc_id = c.document_id
        if many_docs and doc_id != heading:
            # one heading line per document: chapter rows do not repeat its 文号
            heading = doc_id
            found.append(BarRow(f"doc|{doc_id}", str(documents.get(doc_id, doc_id)), extra={"heading": True}))
        name = f"{c.code}、{c.title}" if c.code else "（未分章）"
        found.append(BarRow(f"{doc_id}|{c.code}", name, counted.get((doc_id, c.code)),
                            extra={"document_id": doc_id, "chapter": c.code}))
    return found


def by_chapter(chapters: list[q.GroupProgress]) -> dict[tuple[int, str], q.Counts]:
    return {(c.extra["document_id"], c.key): c.counts for c in chapters}


def target_rows(targets: list[q.TargetRow]) -> list[BarRow]:
    return [BarRow(str(t.id), f"{t.measure_code} {t.label or t.phrase}", target=t, extra={"measure_id": t.measure_id})
            for t in targets]


class DashboardScreen(ViewScreen):
    TITLE = "总览"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "下一栏", show=False),
        Binding("shift+tab", "app.focus_previous", "上一栏", show=False),
    ]

    DEFAULT_CSS = """
    DashboardScreen { layout: vertical; }
    DashboardScreen #dash-summary { text-wrap: nowrap; text-overflow: ellipsis;
        height: 1;
        padding: 0 1;
        background: $panel;
    }
    DashboardScreen #dash-body { height: 1fr; }
    DashboardScreen #dash-left, DashboardScreen #dash-right { width: 1fr; height: 1fr; }
    DashboardScreen #dash-chapters { max-height: 50%; }
    DashboardScreen #dash-targets { max-height: 1fr; }
    DashboardScreen #dash-red { max-height: 40%; }
    DashboardScreen #dash-units { height: 1fr; }
    """

    class Loaded(Message):
        def __init__(self, data: DashboardData, generation: int) -> None:
            super().__init__()
            self.data = data
            self.generation = generation

    class _BreakdownLoaded(Message):
        def __init__(self, generation: int, breakdown: Breakdown) -> None:
            super().__init__()
            self.generation = generation
            self.breakdown = breakdown

    class _ChaptersCounted(Message):
        def __init__(self, generation: int, counted: ChaptersCounted) -> None:
            super().__init__()
            self.generation = generation
            self.counted = counted

    def __init__(self, ctx: AppContext, *, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.ctx = ctx
        self.data: DashboardData | None = None
        self._generation = 0  # of the newest load asked for; each half says which load it belongs to
        self._fast_generation = -1  # of the figures on screen
        self._breakdown: Breakdown | None = None  # the chapters and targets on screen …
        self._breakdown_generation = -1  # … and their load
        self._counted: tuple[int, ChaptersCounted] | None = None  # every chapter, counted before the breakdown came

    def compose(self) -> ComposeResult:
        yield Static("总览 · 载入中…", id="dash-summary")
        with Horizontal(id="dash-body"):
            with Vertical(id="dash-left"):
                chapters = BarList("completion", id="dash-chapters")
                chapters.border_title = "按章节完成情况"
                yield chapters
                targets = BarList("target", id="dash-targets")
                targets.border_title = "指标进度"
                yield targets
            with Vertical(id="dash-right"):
                red = BarList("overdue", id="dash-red")
                red.border_title = "逾期清单（红榜）"
                yield red
                units = BarList("completion", id="dash-units")
                units.border_title = "按单位完成情况"
                yield units
        yield TrackerFooter()

    def on_mount(self) -> None:
        self.query_one("#dash-red", BarList).focus()
        self.load(force=True)

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.load()

    # ------------------------------------------------------------------ data

    def load(self, force: bool = False) -> None:
        # the app's change poll (O(1)) tells whether anything changed since the last load
        token = getattr(self.app, "change_token", None)
        if not force and self.data is not None and token is not None and token == self.data.token:
            return
        self._generation += 1
        # both halves at once (at 1M, 7 alternating runs, medians: screen filled 1.06 -> 0.75 s, first figures
        # unchanged): each is mostly SQL, which leaves the interpreter free. Every chapter is counted once the
        # first figures are out, while the breakdown lays out its rows (the interpreter busy, a core is free for
        # SQL): every chapter counted 1.47 -> 0.96 s. Counting from the start held the first figures back (+0.07 s)
        # and the screen (+0.1 s); the breakdown counts the chapters on screen first
        self._load(self._generation, token, self._chapter_list)
        self._load_breakdown(self._generation, self._chapter_list, self._target_list)

    @work(thread=True, exclusive=True, group="dashboard-load")
    def _load(self, generation: int, token: tuple | None, chapter_list: BarList) -> None:
        """The figures counted from indexes (a fraction of a second at any size): summary, red list, units. Then,
        from the same read, every chapter (~0.5 s at a million tasks: every task's index entry), laid out here:
        the rows replace those of the breakdown, which counts only the chapters on screen."""
        worker = get_current_worker()
        ctx = self.ctx
        with ctx.db.read_tx() as conn:
            units = unit_progress(conn, ctx.today, ctx.due_soon_days, ctx.config)
            data = DashboardData(
                total=sum((u.counts for u in units), q.Counts()),  # every task has one unit
                chapters=[],
                units=units,
                targets=[],
                documents={d.id: d.doc_number or d.title for d in document_labels(conn).values()},
                unassigned=unassigned_count(conn),
                token=token,
                complete=False,
            )
            if worker.is_cancelled:
                return
            self.post_message(self.Loaded(data, generation))
            chapters = q.progress_by_chapter(conn, TaskFilter(), ctx.today, ctx.due_soon_days)
        keys = [ChapterKey(c.extra["document_id"], c.key, c.label) for c in chapters]
        bars = chapter_list.prepare(chapter_rows(keys, by_chapter(chapters), data.documents))
        if not worker.is_cancelled:
            self.post_message(self._ChaptersCounted(generation, ChaptersCounted(chapters, bars)))

    @work(thread=True, exclusive=True, group="dashboard-breakdown")
    def _load_breakdown(self, generation: int, chapter_list: BarList, target_list: BarList) -> None:
        """Chapters and targets (their latest figures; the history is read when a target is opened), laid out
        here too: tens of thousands of lines are not built on the UI thread. Counting every chapter reads every
        task (~0.5 s at a million tasks): the chapters are listed first, those the list shows first are
        counted and everything is put on screen; the other chapters' figures follow (:meth:`_load`)."""
        worker = get_current_worker()
        ctx = self.ctx
        with ctx.db.read_tx() as conn:
            keys = chapter_keys(conn)
            first = progress_of_chapters(conn, keys[:FIRST_CHAPTERS], ctx.today, ctx.due_soon_days)
            targets = list(iter_report_targets(conn))
            documents = {d.id: d.doc_number or d.title for d in document_labels(conn).values()}
            counted = len(first) == len(keys)
            breakdown = Breakdown(
                first, targets,
                chapter_list.prepare(chapter_rows(keys, by_chapter(first), documents)),
                target_list.prepare(target_rows(targets)),
                counted,
            )
        if not worker.is_cancelled:
            self.post_message(self._BreakdownLoaded(generation, breakdown))

    @on(_BreakdownLoaded)
    def _breakdown_loaded(self, message: _BreakdownLoaded) -> None:
        if message.generation != self._generation:
            return
        breakdown = self._breakdown = message.breakdown
        self._breakdown_generation = message.generation
        self._show_breakdown(breakdown)
        self._take_breakdown(breakdown)
        counted, self._counted = self._counted, None
        if counted is not None and counted[0] == message.generation:
            self._fill_chapters(counted[1])

    @on(_ChaptersCounted)
    def _chapters_counted(self, message: _ChaptersCounted) -> None:
        if message.generation != self._generation:
            return  # a replaced load's
        if self._breakdown_generation != message.generation:  # came first: kept until the breakdown is shown
            self._counted = (message.generation, message.counted)
            return
        self._fill_chapters(message.counted)

    def _fill_chapters(self, counted: ChaptersCounted) -> None:
        """Every chapter's figures in place of the breakdown's rows being counted."""
        breakdown = self._breakdown
        if breakdown is None or breakdown.counted:
            return
        bars = counted.bars
        chapter_list = self._chapter_list
        if [r.key for r in bars.rows] == [r.key for r in chapter_list.rows]:
            # the cursor and the scroll stay; the rows not counted yet are dropped (~9,000 at 1M)
            chapter_list.refill(bars.rows, (bars.columns, bars.labels))
        else:  # a write between the two reads changed the chapters: the counted list (the change poll reloads)
            chapter_list.show(bars)
        breakdown = self._breakdown = replace(breakdown, chapters=counted.chapters, chapter_bars=bars, counted=True)
        self._take_breakdown(breakdown)

    def _take_breakdown(self, breakdown: Breakdown) -> None:
        if self.data is not None:  # else the figures, when they come, take the breakdown along
            self.data = replace(self.data, chapters=breakdown.chapters, targets=breakdown.targets,
                                complete=self._complete(self._fast_generation))

    def _complete(self, generation: int) -> bool:
        """Whether the figures of load ``generation`` and its whole breakdown are on screen."""
        return (self._breakdown_generation == generation and self._breakdown is not None
                and self._breakdown.counted)

    @property
    def filled(self) -> bool:
        """Whether everything the screen shows belongs to the newest load: the figures, the targets and the
        chapters on screen (the chapters further down may still be counted)."""
        return self._fast_generation == self._breakdown_generation == self._generation

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        if message.generation != self._generation:
            return
        self._fast_generation = message.generation
        data = message.data
        if self._breakdown is not None:  # this load's, or on a reload the last one's until the new one is read
            data = replace(data, chapters=self._breakdown.chapters, targets=self._breakdown.targets)
        data = replace(data, complete=self._complete(message.generation))
        self.data = data
        self._show_summary(data)

        # most overdue first; a tie keeps the one unit order the query returned (sorted() is stable)
        red = sorted((u for u in data.units if u.counts.overdue), key=lambda u: -u.counts.overdue)
        most = red[0].counts.overdue if red else 1
        red_list = self.query_one("#dash-red", BarList)
        red_list.set_rows([BarRow(u.key, u.key, u.counts, extra={"max": most}) for u in red])
        red_list.border_subtitle = f"{len(red)} 个单位有逾期任务" if red else "没有逾期任务"

        # units: lowest completion first within each kind, so the laggards are on top
        def unit_order(u: q.GroupProgress):
            done, base = completion(u.counts)
            return (KIND_RANK.get(u.label, 9), done / base if base else 1.0)  # ties: the one unit order (stable)

        units = self.query_one("#dash-units", BarList)
        units.set_rows([
            BarRow(u.key, u.key, u.counts, extra={"kind": UNIT_KIND_LABELS.get(u.label, u.label)})
            for u in sorted(data.units, key=unit_order)
        ])
        units.border_subtitle = f"{len(data.units)} 个单位 · 完成率低的在前"

    def _show_breakdown(self, breakdown: Breakdown) -> None:
        self._chapter_list.show(breakdown.chapter_bars)
        targets = self._target_list
        targets.show(breakdown.target_bars)
        filled = sum(1 for t in breakdown.targets if t.actual is not None)
        targets.border_subtitle = f"{len(breakdown.targets)} 项指标 · 已填报 {filled} 项"

    @property
    def _chapter_list(self) -> BarList:
        return self.query_one("#dash-chapters", BarList)

    @property
    def _target_list(self) -> BarList:
        return self.query_one("#dash-targets", BarList)

    def _show_summary(self, data: DashboardData) -> None:
        c = data.total
        done, base = completion(c)
        pct = 100.0 * done / base if base else 0.0
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f"截至 {self.ctx.today.isoformat()} · ", style="bold")
        line.append(f"任务 {c.total} 项 · 已完成 {done}/{base}（{pct:.0f}%） · 推进中 {c.doing} · 未启动 {c.todo} · ")
        line.append(f"逾期 {c.overdue}", STATE_STYLES["overdue"])
        line.append(" · ")
        line.append(f"将到期 {c.due_soon}", STATE_STYLES["due_soon"])
        line.append(" · ")
        line.append(f"受阻 {c.blocked}", STATE_STYLES["blocked"])
        if data.unassigned:
            line.append(f" · 待分配措施 {data.unassigned} 项", style="bold")
        self.query_one("#dash-summary", Static).update(line)

    # ------------------------------------------------------------------ drill down

    @on(BarList.OptionSelected, "#dash-chapters")
    def _chapter_selected(self, event: BarList.OptionSelected) -> None:
        doc_id, _, chapter = (event.option_id or "").partition("|")
        self._show_tasks(TaskFilter(document_id=int(doc_id), chapter=chapter or None))

    @on(BarList.OptionSelected, "#dash-red")
    def _red_selected(self, event: BarList.OptionSelected) -> None:
        self._show_tasks(TaskFilter(units=(event.option_id,), overdue=True))

    @on(BarList.OptionSelected, "#dash-units")
    def _unit_selected(self, event: BarList.OptionSelected) -> None:
        from tracker.tui.screens.unit import UnitScreen

        self.app.push_screen(UnitScreen(self.ctx, event.option_id))

    @on(BarList.OptionSelected, "#dash-targets")
    def _target_selected(self, event: BarList.OptionSelected) -> None:
        from tracker.tui.screens.measure import MeasureScreen

        targets = {str(t.id): t for t in (self.data.targets if self.data else [])}
        target = targets.get(event.option_id or "")
        if target is not None:
            self.app.push_screen(MeasureScreen(self.ctx, target.measure_id))

    def _show_tasks(self, flt: TaskFilter) -> None:
        set_filter = getattr(self.app, "set_filter", None)
        if set_filter is None:
            self.notify(flt.describe(self.ctx.config.status_labels), title="任务筛选")
            return
        set_filter(flt)

    def action_reload(self) -> None:
        self.load(force=True)
