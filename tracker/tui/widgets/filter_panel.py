"""The filter side panel: every control edits one field of the shared :class:`TaskFilter`.

The chapter and measure choices are read for the chosen document (a worker, on demand); with no document
chosen, measures are listed only when there are few (a million tasks have a hundred thousand measures:
no dropdown holds those; choose the document first, or search by text).
"""

from __future__ import annotations

import re
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Label, Select, SelectionList
from textual.widgets.selection_list import Selection

from tracker.config import STATUS_CODES, UNIT_KIND_LABELS
from tracker.store.app_queries import FilterChoices, filter_choices
from tracker.store.document_choices import DocumentChoice
from tracker.store.filters import TaskFilter
from tracker.tui.widgets.cells import truncate
from tracker.tui.widgets.choice_select import OPTION_WIDTH, ChoiceSelect

SEARCH_DELAY = 0.3
TASK_ID = re.compile(r"(#?)\s*(\d{1,18})")  # "247" or "#247": a task id as the CLI and the reports print it
ALL_MEASURES, PICK_DOCUMENT = "全部措施", "全部措施（先选文件）"


class FilterPanel(VerticalScroll, can_focus=False):
    """Combinable filters. Posts :class:`FilterPanel.Changed` with the whole new filter."""

    class Changed(Message):
        def __init__(self, panel: FilterPanel, flt: TaskFilter) -> None:
            super().__init__()
            self.panel = panel
            self.filter = flt

    class PickUnit(Message):
        """The unit button was pressed: the screen opens the unit picker."""

    class Submitted(Message):
        """Enter in a field of the panel: the filter is applied, the keys go back to the list."""

    class _ChoicesRead(Message):
        def __init__(self, document_id: int | None, choices: FilterChoices) -> None:
            super().__init__()
            self.document_id = document_id
            self.choices = choices

    def __init__(self, status_labels: dict[str, str], *, db: Any = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.status_labels = status_labels
        self.db = db  # reads a document's choices when it is chosen
        self.filter = TaskFilter()
        self._search_timer: Timer | None = None
        self._documents: list[DocumentChoice] = []
        self._choices: dict[int | None, FilterChoices] = {}  # by document (None: all documents)
        self._scoped_to: int | None = None
        self._options_in = False

    def compose(self) -> ComposeResult:
        yield Label("搜索", classes="filter-label")
        yield Input(placeholder="编号、措施、单位或备注", id="filter-text")
        yield Label("责任单位", classes="filter-label")
        yield Button("全部单位", id="filter-unit", compact=True)
        yield Label("单位类别", classes="filter-label")
        yield SelectionList[str](
            *(Selection(label, code) for code, label in UNIT_KIND_LABELS.items()), id="filter-kinds", compact=True
        )
        yield Label("状态", classes="filter-label")
        yield SelectionList[str](
            *(Selection(self.status_labels.get(c, c), c) for c in STATUS_CODES), id="filter-statuses", compact=True
        )
        yield Label("文件", classes="filter-label")
        yield ChoiceSelect[int]([], prompt="全部文件", id="filter-document", compact=True)
        yield Label("章节", classes="filter-label")
        yield ChoiceSelect[str]([], prompt="全部章节", id="filter-chapter", compact=True)
        yield Label("措施", classes="filter-label")
        yield ChoiceSelect[int]([], prompt="全部措施", id="filter-measure", compact=True)
        yield Checkbox("仅看逾期", id="filter-overdue", compact=True)
        yield Label("N 天内到期", classes="filter-label")
        yield Input(placeholder="天数", type="integer", id="filter-due-within", compact=True)
        yield Label("N 天未更新", classes="filter-label")
        yield Input(placeholder="天数", type="integer", id="filter-stale", compact=True)

    # ------------------------------------------------------------------ options
    def set_options(self, documents: list[DocumentChoice], choices: FilterChoices) -> None:
        """Fill the document choices, and the chapters and measures of all documents (read by the screen)."""
        self._documents = [d for d in documents if d.measures]
        self._choices = {None: choices}
        self._options_in = True
        docs = [(truncate(d.doc_number or d.title, OPTION_WIDTH), d.id) for d in self._documents]
        with self.prevent(Select.Changed):
            self.query_one("#filter-document", Select).set_options(docs)
        self._fill_scoped(self.filter.document_id)
        self.show_filter(self.filter)

    def _fill_scoped(self, document_id: int | None) -> None:
        """Chapters and measures of the chosen document (of all documents when none is chosen)."""
        self._scoped_to = document_id
        choices = self._choices.get(document_id)
        if choices is None:
            choices = self._from_all(document_id)
        if choices is None:
            self._read_choices(document_id)  # filled when read
            return
        measures = choices.measures or []
        several = len({m.document_id for m in measures}) > 1
        # measure codes repeat across documents: name the document ("文N", as the matrix does) when mixed
        measure_options = [
            (truncate(f"{'文%d ' % m.document_id if several else ''}{m.code} {m.title}", OPTION_WIDTH), m.id)
            for m in measures
        ]
        with self.prevent(Select.Changed):
            self.query_one("#filter-chapter", Select).set_options(
                [(truncate(f"{code} {title}".strip(), OPTION_WIDTH), code) for code, title in choices.chapters]
            )
            measure_select = self.query_one("#filter-measure", Select)
            measure_select.prompt = PICK_DOCUMENT if choices.measures is None else ALL_MEASURES
            measure_select.set_options(measure_options)

    def _from_all(self, document_id: int | None) -> FilterChoices | None:
        """A document's choices picked out of all documents' (when those were few enough to list)."""
        everything = self._choices.get(None)
        if everything is None or everything.measures is None:
            return None
        measures = [m for m in everything.measures if m.document_id == document_id]
        chapters: dict[str, str] = {}
        for m in measures:
            if m.chapter_code and m.chapter_code not in chapters:
                chapters[m.chapter_code] = m.chapter
        self._choices[document_id] = FilterChoices(list(chapters.items()), measures)
        return self._choices[document_id]

    @work(thread=True, exclusive=True, group="filter-choices")
    def _read_choices(self, document_id: int | None) -> None:
        if self.db is None:
            return
        with self.db.read_tx() as conn:
            choices = filter_choices(conn, document_id)
        self.post_message(self._ChoicesRead(document_id, choices))

    @on(_ChoicesRead)
    def _choices_read(self, message: _ChoicesRead) -> None:
        message.stop()
        self._choices[message.document_id] = message.choices
        if message.document_id != self.filter.document_id:
            return
        self._fill_scoped(message.document_id)
        flt = self._within(self.filter, message.choices)
        with self.prevent(Select.Changed):
            self._set_select("#filter-chapter", flt.chapter)
            self._set_select("#filter-measure", flt.measure_id)
        self._emit(flt)

    @staticmethod
    def _within(flt: TaskFilter, choices: FilterChoices) -> TaskFilter:
        """``flt`` without a chapter or measure the document does not have (they would match nothing)."""
        if flt.document_id is None:
            return flt
        if flt.measure_id is not None and choices.measures is not None and flt.measure_id not in {
                m.id for m in choices.measures}:
            flt = flt.replace(measure_id=None)
        if flt.chapter is not None and flt.chapter not in {code for code, _title in choices.chapters}:
            flt = flt.replace(chapter=None)
        return flt

    # ------------------------------------------------------------------ sync
    def show_filter(self, flt: TaskFilter) -> None:
        """Make the controls show ``flt`` (without posting Changed)."""
        self.filter = flt
        if flt.document_id != self._scoped_to and self._options_in:
            self._fill_scoped(flt.document_id)
        with self.prevent(Input.Changed, Select.Changed, SelectionList.SelectedChanged, Checkbox.Changed):
            text = self.query_one("#filter-text", Input)
            if search_filter(flt, text.value) != flt:
                text.value = search_text(flt)
            # touch only the controls whose value changed: each change repaints a widget
            button = self.query_one("#filter-unit", Button)
            label = self._unit_label(flt)
            if str(button.label) != label:
                button.label = label
            for selector, chosen in (("#filter-kinds", flt.unit_kinds), ("#filter-statuses", flt.statuses)):
                options = self.query_one(selector, SelectionList)
                if set(options.selected) != set(chosen):
                    options.deselect_all()
                    for value in chosen:
                        options.select(value)
            self._set_select("#filter-document", flt.document_id)
            self._set_select("#filter-chapter", flt.chapter)
            self._set_select("#filter-measure", flt.measure_id)
            overdue = self.query_one("#filter-overdue", Checkbox)
            if overdue.value != flt.overdue:
                overdue.value = flt.overdue
            for selector, number in (("#filter-due-within", flt.due_within), ("#filter-stale", flt.stale_days)):
                field = self.query_one(selector, Input)
                text = "" if number is None else str(number)
                if field.value != text:
                    field.value = text

    def _set_select(self, selector: str, value) -> None:
        select = self.query_one(selector, Select)
        if value is None:
            if select.value is not Select.NULL:
                select.clear()
            return
        if select.value == value:
            return
        try:
            select.value = value
        except Exception:
            pass

    @staticmethod
    def _unit_label(flt: TaskFilter) -> str:
        if not flt.units:
            return "全部单位"
        return truncate("、".join(flt.units), 24)

    def _emit(self, flt: TaskFilter) -> None:
        if flt != self.filter:
            self.filter = flt
            self.post_message(self.Changed(self, flt))

    # ------------------------------------------------------------------ handlers
    @on(Input.Changed, "#filter-text")
    def _text_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._search_timer = self.set_timer(SEARCH_DELAY, self._apply_text)

    @property
    def search_text(self) -> str:
        return self.query_one("#filter-text", Input).value

    def _apply_text(self) -> None:
        self._emit(search_filter(self.filter, self.search_text))

    @on(Input.Submitted, "#filter-text")
    def _text_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._search_timer is not None:
            self._search_timer.stop()
        self._apply_text()
        self.post_message(self.Submitted())

    @on(Input.Submitted, "#filter-due-within, #filter-stale")
    def _number_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted())

    @on(Button.Pressed, "#filter-unit")
    def _unit_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.PickUnit())

    @on(SelectionList.SelectedChanged, "#filter-kinds")
    def _kinds_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        self._emit(self.filter.replace(unit_kinds=tuple(event.selection_list.selected)))

    @on(SelectionList.SelectedChanged, "#filter-statuses")
    def _statuses_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        chosen = set(event.selection_list.selected)
        self._emit(self.filter.replace(statuses=tuple(c for c in STATUS_CODES if c in chosen)))

    @on(Select.Changed, "#filter-document")
    def _document_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = None if event.value is Select.NULL else event.value
        flt = self.filter.replace(document_id=value)
        choices = self._choices.get(value) or self._from_all(value)
        if choices is not None:  # else pruned when the document's choices are read
            flt = self._within(flt, choices)
        self._fill_scoped(value)
        with self.prevent(Select.Changed):
            self._set_select("#filter-chapter", flt.chapter)
            self._set_select("#filter-measure", flt.measure_id)
        self._emit(flt)

    @on(Select.Changed, "#filter-chapter")
    def _chapter_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = None if event.value is Select.NULL else event.value
        self._emit(self.filter.replace(chapter=value))

    @on(Select.Changed, "#filter-measure")
    def _measure_changed(self, event: Select.Changed) -> None:
        event.stop()
        value = None if event.value is Select.NULL else event.value
        self._emit(self.filter.replace(measure_id=value, measure=None))

    @on(Checkbox.Changed, "#filter-overdue")
    def _overdue_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._emit(self.filter.replace(overdue=event.value))

    @on(Input.Changed, "#filter-due-within")
    def _due_within_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._emit(self.filter.replace(due_within=_int_or_none(event.value)))

    @on(Input.Changed, "#filter-stale")
    def _stale_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._emit(self.filter.replace(stale_days=_int_or_none(event.value)))


def _int_or_none(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    try:
        value = int(text)
    except ValueError:
        return None
    return value if value >= 0 else None


def search_filter(flt: TaskFilter, typed: str) -> TaskFilter:
    """``flt`` searching for what was typed: a task id (``247``, ``#247``) or a piece of text."""
    value = typed.strip()
    match = TASK_ID.fullmatch(value)
    if match:
        return flt.replace(text=None, task_ids=(int(match[2]),))
    return flt.replace(text=value or None, task_ids=())


def search_text(flt: TaskFilter) -> str:
    """What the search field shows for ``flt``."""
    if len(flt.task_ids) == 1:
        return f"#{flt.task_ids[0]}"
    return flt.text or ""


def searched_number(typed: str) -> int | None:
    """The number typed without ``#``: a task id, or text when no task has that id."""
    match = TASK_ID.fullmatch(typed.strip())
    return int(match[2]) if match and not match[1] else None


def describe_filter(flt: TaskFilter, status_labels: dict[str, str]) -> str:
    """The filter as a sentence; a searched task id reads ``编号 #247``."""
    if len(flt.task_ids) != 1:
        return flt.describe(status_labels)
    rest = flt.replace(task_ids=())
    found = f"编号 #{flt.task_ids[0]}"
    return found if rest.is_empty else f"{found} · {rest.describe(status_labels)}"
