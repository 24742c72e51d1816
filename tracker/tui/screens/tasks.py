"""Home: the filtered task table, the count header and the filter panel."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Input, Static

from tracker.store.app_queries import FilterChoices, filter_choices, unit_names_in_order
from tracker.store.document_choices import DocumentChoice, document_choices
from tracker.store.filters import TaskFilter
from tracker.store.queries import TaskRow
from tracker.tui.context import AppContext
from tracker.tui.messages import DataChanged
from tracker.tui.widgets.cells import ago_phrase, task_ref, truncate
from tracker.tui.widgets.filter_panel import (
    FilterPanel,
    describe_filter,
    searched_number,
)
from tracker.tui.widgets.footer import TrackerFooter
from tracker.tui.widgets.task_columns import describe_counts
from tracker.tui.widgets.task_table import TaskTable

SORT_ORDER = ("late", "due", "measure", "unit", "updated")
SORT_LABELS = {"late": "逾期优先", "due": "截止日期", "measure": "措施顺序", "unit": "单位", "updated": "最近更新"}
NARROW = 120  # below this width the filter panel starts hidden


def match_unit(user: str, unit_names: list[str], aliases: dict[str, str]) -> str | None:
    """The unit a user name stands for: exact name, alias, or the longest unit name / alias inside it."""
    user = user.strip()
    if not user:
        return None
    names = set(unit_names)
    if user in names:
        return user
    if user in aliases and aliases[user] in names:
        return aliases[user]
    inside = [n for n in names if n in user]
    inside += [aliases[a] for a in aliases if a in user and aliases[a] in names]
    return max(inside, key=len) if inside else None


class TasksScreen(Screen[None]):
    BINDINGS = [
        Binding("slash", "search", "搜索"),
        Binding("o", "toggle_overdue", "逾期"),
        Binding("m", "my_unit", "本单位", show=False),
        Binding("u", "pick_unit", "单位"),
        Binding("c", "clear_filters", "清除"),
        Binding("s", "set_status", "状态"),
        Binding("n", "app.add_item", "新增督办"),  # leaves the footer on narrow terminals (TrackerFooter)
        Binding("d", "detail", "详情", show=False),  # Enter does the same
        Binding("t", "cycle_sort", "排序", show=False),  # named in the filter line
        Binding("f", "toggle_filters", "筛选面板", show=False),
        Binding("escape", "escape", "取消", show=False),
    ]

    class _Options(Message):
        def __init__(self, documents: list[DocumentChoice], measures: FilterChoices, units: list[str]) -> None:
            super().__init__()
            self.documents = documents
            self.measures = measures
            self.units = units

    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.filter = TaskFilter()
        self.unit_names: list[str] = []
        self.my_unit: str | None = None
        self.document_numbers: dict[int, str] = {}
        self._options_in = False
        self._shown = False  # rows, counts and filter choices have all been shown once

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="tasks-body"):
            yield FilterPanel(self.ctx.config.status_labels, db=self.ctx.db, id="filters")
            with Vertical(id="tasks-main"):
                yield Static("", id="counts")
                yield Static("", id="filter-sentence")
                yield TaskTable(self.ctx, id="tasks")
                yield Static("", id="row-preview")
        yield TrackerFooter()

    @property
    def table(self) -> TaskTable:
        return self.query_one("#tasks", TaskTable)

    @property
    def panel(self) -> FilterPanel:
        return self.query_one("#filters", FilterPanel)

    def on_mount(self) -> None:
        self.sub_title = "任务"
        self._show_sentence()
        self.table.load(self.filter)
        self.table.focus()
        self.load_options()
        if self.app.size.width < NARROW:
            self.panel.display = False

    @work(thread=True, exclusive=True, group="tasks-options")
    def load_options(self) -> None:
        with self.ctx.db.read_tx() as conn:
            documents = document_choices(conn)  # whether each has tasks, not how many (a count reads them all)
            measures = filter_choices(conn)  # chapters, and the measures when few enough to list
            units = unit_names_in_order(conn, self.ctx.config)
        self.post_message(self._Options(documents, measures, units))

    @on(_Options)
    def _options_loaded(self, message: _Options) -> None:
        self.unit_names = message.units
        self.document_numbers = {d.id: d.doc_number or d.title for d in message.documents}
        several = sum(1 for d in message.documents if d.tasks) > 1
        if several != self.table.several_documents:
            self.table.several_documents = several
            self.table.refresh()
        self._preview(self.table.current_row)
        self.panel.set_options(message.documents, message.measures)
        self._options_in = True
        self._whole()

    def _whole(self) -> None:
        """Tell the app once the first screen is whole (after it has been drawn)."""
        if self._shown or not (self._options_in and self.table.loaded_once):
            return
        self._shown = True
        self.call_after_refresh(self.app.first_screen_shown)

    # ------------------------------------------------------------------ filter
    def set_filter(self, flt: TaskFilter) -> None:
        """Show ``flt`` (from a quick key, the panel, another screen or the palette)."""
        self.filter = flt
        self.panel.show_filter(flt)
        self._show_sentence()
        self.table.load(flt)

    @on(FilterPanel.Changed)
    def _panel_changed(self, event: FilterPanel.Changed) -> None:
        self.filter = event.filter
        self._show_sentence()
        self.table.load(event.filter)

    @on(FilterPanel.Submitted)
    def _panel_submitted(self) -> None:
        self.table.focus()

    @on(FilterPanel.PickUnit)
    def _panel_pick_unit(self) -> None:
        self.action_pick_unit()

    def _show_sentence(self) -> None:
        text = Text()
        text.append("筛选：", style="bold")
        text.append(describe_filter(self.filter, self.ctx.config.status_labels))
        text.append(f"   排序：{SORT_LABELS.get(self.table.sort, self.table.sort)}（t 切换）", style="dim")
        if self.table.marked:
            text.append(f"   已标记 {len(self.table.marked)} 项（s 批量更新，Esc 取消标记）", style="bold")
        self.query_one("#filter-sentence", Static).update(text, layout=False)  # one fixed line: no layout pass

    # ------------------------------------------------------------------ table events
    @on(TaskTable.Reloaded)
    def _reloaded(self, event: TaskTable.Reloaded) -> None:
        counts = event.counts
        number = searched_number(self.panel.search_text)
        if not counts.total and number is not None and self.filter.task_ids == (number,):
            # no task has this id: a bare number (not "#247") is searched as text, e.g. "910" in 不少于910个
            self.set_filter(self.filter.replace(task_ids=(), text=str(number)))
            return
        text = Text()
        text.append(describe_counts(counts))
        if counts.total:
            text.append(f"   完成率 {counts.pct(counts.done):.0f}%", style="dim")
        self.query_one("#counts", Static).update(text, layout=False)
        self._whole()

    @on(TaskTable.Highlighted)
    def _highlighted(self, event: TaskTable.Highlighted) -> None:
        self._preview(event.row)
        self._whole()  # the first page may come after the counts and the choices

    def _preview(self, row: TaskRow | None) -> None:
        preview = self.query_one("#row-preview", Static)
        if row is None:
            preview.update("", layout=False)
            return
        text = Text()
        text.append(f"{task_ref(row.id)} {row.measure_code} {row.unit}", style="bold")
        if self.table.several_documents:
            text.append(f" · 文{row.document_id} {self.document_numbers.get(row.document_id, '')}", style="dim")
        text.append("：", style="bold")
        text.append(truncate(row.note, 80) if row.note else "（暂无进展说明）")
        text.append(f"  — {row.updated_by} · {ago_phrase(row.updated_at, self.ctx.today)}", style="dim")
        preview.update(text, layout=False)

    @on(TaskTable.Selected)
    def _selected(self, event: TaskTable.Selected) -> None:
        self.app.open_task(event.row.id)

    @on(TaskTable.MarksChanged)
    def _marks_changed(self, event: TaskTable.MarksChanged) -> None:
        self._show_sentence()

    def on_data_changed(self, message: DataChanged) -> None:
        self.reload()

    def reload(self) -> None:
        self.table.load(keep_cursor=True)

    def replace_rows(self, rows: list[TaskRow]) -> None:
        for row in rows:
            self.table.replace_row(row)
        self._preview(self.table.current_row)

    # ------------------------------------------------------------------ actions
    def action_search(self) -> None:
        panel = self.panel
        panel.display = True
        panel.query_one("#filter-text", Input).focus()

    def action_toggle_overdue(self) -> None:
        self.set_filter(self.filter.replace(overdue=not self.filter.overdue))

    def action_clear_filters(self) -> None:
        self.set_filter(TaskFilter())
        self.notify("已清除全部筛选", timeout=2)

    def action_pick_unit(self) -> None:
        from tracker.tui.screens.unit_picker import UnitPicker

        current = self.filter.units[0] if self.filter.units else None

        def chosen(name: str | None) -> None:
            if name is None:
                return
            self.set_filter(self.filter.replace(units=(name,) if name else ()))
            self.table.focus()

        self.app.push_screen(UnitPicker(self.ctx, current), chosen)

    def action_my_unit(self) -> None:
        if self.my_unit is None:
            self.my_unit = match_unit(self.ctx.user, self.unit_names, self.ctx.config.aliases)
        if self.my_unit is None:
            from tracker.tui.screens.unit_picker import UnitPicker

            def chosen(name: str | None) -> None:
                if name:
                    self.my_unit = name
                    self.set_filter(self.filter.replace(units=(name,)))
                    self.notify(f"本单位设为「{name}」（本次运行有效；可在设置中填写 user）", timeout=4)

            self.app.push_screen(UnitPicker(self.ctx, None, title="选择本单位"), chosen)
            return
        if self.filter.units == (self.my_unit,):
            self.set_filter(self.filter.replace(units=()))
        else:
            self.set_filter(self.filter.replace(units=(self.my_unit,)))

    def action_set_status(self) -> None:
        rows = list(self.table.marked.values()) or ([self.table.current_row] if self.table.current_row else [])
        if rows:
            self.app.open_status_modal(rows)

    def action_detail(self) -> None:
        row = self.table.current_row
        if row is not None:
            self.app.open_task(row.id)

    def action_cycle_sort(self) -> None:
        index = SORT_ORDER.index(self.table.sort) if self.table.sort in SORT_ORDER else 0
        sort = SORT_ORDER[(index + 1) % len(SORT_ORDER)]
        self.table.load(sort=sort)
        self._show_sentence()

    def action_toggle_filters(self) -> None:
        panel = self.panel
        panel.display = not panel.display
        if not panel.display:
            self.table.focus()

    def action_escape(self) -> None:
        focused = self.focused
        if focused is not None and focused is not self.table and self.panel in focused.ancestors:
            self.table.focus()
        elif self.table.marked:
            self.table.clear_marks()

    def clear_marks(self) -> None:
        self.table.clear_marks()
