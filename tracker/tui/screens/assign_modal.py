"""Modal: choose the responsible units of a measure. The first unit chosen leads (牵头)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from tracker.config import UNIT_KIND_LABELS
from tracker.store import queries as q
from tracker.tui.context import AppContext
from tracker.tui.widgets.matrix_style import fit, truncate


@dataclass(frozen=True)
class AssignRequest:
    """What the coordinator chose: unit names in order (groups such as 各街镇 unexpanded)."""

    measure_id: int
    units: tuple[str, ...]


@dataclass(frozen=True)
class UnitChoice:
    name: str
    kind: str
    members: tuple[str, ...] = ()  # for a config group

    @property
    def caption(self) -> str:
        if self.members:
            return f"{len(self.members)} 个{UNIT_KIND_LABELS.get(self.kind, '单位')}"
        return UNIT_KIND_LABELS.get(self.kind, self.kind)


class AssignModal(ModalScreen[AssignRequest | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "取消"),
        Binding("ctrl+s", "confirm", "确定"),
        Binding("ctrl+f", "make_lead", "设为牵头"),
    ]

    DEFAULT_CSS = """
    AssignModal { align: center middle; }
    AssignModal > #assign-dialog {
        width: 80%;
        max-width: 100;
        height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 0 1;
    }
    AssignModal #assign-heading { height: auto; max-height: 4; margin-bottom: 1; }
    AssignModal #assign-filter { margin-bottom: 0; }
    AssignModal #assign-units { height: 1fr; border: round $border-blurred; }
    AssignModal #assign-units:focus { border: round $border; }
    AssignModal #assign-chosen { height: 3; }
    AssignModal #assign-buttons { height: 3; align-horizontal: right; }
    AssignModal #assign-buttons Button { margin-left: 2; }
    """

    class ChoicesLoaded(Message):
        def __init__(self, choices: list[UnitChoice]) -> None:
            super().__init__()
            self.choices = choices

    def __init__(self, ctx: AppContext, measure: q.MeasureRow, existing: tuple[str, ...] = ()) -> None:
        super().__init__()
        self.ctx = ctx
        self.measure = measure
        self.existing = set(existing)
        self.choices: list[UnitChoice] = []
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        m = self.measure
        with Vertical(id="assign-dialog"):
            heading = Text(no_wrap=False)
            heading.append("分配责任单位  ", style="bold")
            heading.append(f"{m.code} {m.title}\n", style="bold")
            heading.append(truncate(m.text, 150), style="dim")
            yield Static(heading, id="assign-heading")
            yield Input(placeholder="筛选单位，或输入新单位名称后回车加入", id="assign-filter")
            units = OptionList(id="assign-units")
            units.border_title = "空格/回车 选择 · 先选的为牵头单位"
            yield units
            yield Static("", id="assign-chosen")
            with Horizontal(id="assign-buttons"):
                yield Button("确定 (Ctrl+S)", variant="primary", id="assign-ok")
                yield Button("取消 (Esc)", id="assign-cancel")

    def on_mount(self) -> None:
        self.query_one("#assign-filter", Input).focus()
        self.load_choices()
        self._show_chosen()

    @work(thread=True, exclusive=True, group="assign-choices")
    def load_choices(self) -> None:
        config = self.ctx.config
        choices = [UnitChoice(g.name, g.kind, g.members) for g in config.groups.values()]
        seen = {c.name for c in choices}
        with self.ctx.db.read_tx() as conn:
            stored = q.list_units(conn, self.ctx.today)
        # busiest units first: the bureaus a coordinator assigns most
        for u in sorted(stored, key=lambda u: (u.kind == "town", -u.tasks, u.name)):
            if u.name not in seen:
                choices.append(UnitChoice(u.name, u.kind))
                seen.add(u.name)
        for name, kind in config.known_units.items():
            if name not in seen:
                choices.append(UnitChoice(name, kind))
                seen.add(name)
        self.post_message(self.ChoicesLoaded(choices))

    @on(ChoicesLoaded)
    def _choices_loaded(self, message: ChoicesLoaded) -> None:
        self.choices = message.choices
        self._rebuild()

    # ------------------------------------------------------------------ list

    def _visible(self) -> list[UnitChoice]:
        text = self.query_one("#assign-filter", Input).value.strip()
        if not text:
            return self.choices
        aliases: dict[str, list[str]] = {}
        for alias, target in self.ctx.config.aliases.items():
            aliases.setdefault(self.ctx.config.canonical_unit(target), []).append(alias)
        return [
            c for c in self.choices
            if text in c.name or any(text in m for m in c.members) or any(text in a for a in aliases.get(c.name, ()))
        ]

    def _rebuild(self) -> None:
        units = self.query_one("#assign-units", OptionList)
        keep = units.highlighted_option.id if units.highlighted_option else None
        options = []
        for c in self._visible():
            line = Text(no_wrap=True, overflow="crop")
            if c.name in self.chosen:
                mark = "牵" if self.chosen[0] == c.name else "配"
                line.append(f"[{mark}] ", style="bold green")
            elif c.name in self.existing:
                line.append("[已] ", style="dim")
            else:
                line.append("[  ] ")
            line.append(fit(c.name, 24) + " ")
            line.append(c.caption, style="dim")
            options.append(Option(line, id=c.name))
        units.set_options(options)
        if options:
            ids = [o.id for o in options]
            units.highlighted = ids.index(keep) if keep in ids else 0

    def _show_chosen(self) -> None:
        line = Text(no_wrap=False)
        if not self.chosen:
            line.append("尚未选择单位", style="dim")
        else:
            line.append(f"已选 {len(self.chosen)} 项（第一个为牵头单位）：", style="bold")
            groups = self.ctx.config.groups
            for i, name in enumerate(self.chosen):
                if i:
                    line.append("、")
                if name in groups:
                    members = groups[name].members
                    note = f"{len(members)}个，{members[0]}牵头" if i == 0 else f"{len(members)}个"
                    line.append(f"{name}（{note}）", style="bold" if i == 0 else "")
                else:
                    line.append(name + ("（牵头）" if i == 0 else ""), style="bold" if i == 0 else "")
        self.query_one("#assign-chosen", Static).update(line)

    def toggle(self, name: str) -> None:
        if name in self.chosen:
            self.chosen.remove(name)
        else:
            self.chosen.append(name)
        self._rebuild()
        self._show_chosen()

    @on(Input.Changed, "#assign-filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self._rebuild()

    @on(Input.Submitted, "#assign-filter")
    def _filter_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        visible = self._visible()
        exact = next((c for c in self.choices if c.name == self.ctx.config.canonical_unit(text)), None)
        if exact is not None:
            self.toggle(exact.name)
        elif text and len(visible) == 1:
            self.toggle(visible[0].name)
        elif text and not visible:
            name = self.ctx.config.canonical_unit(text)
            self.choices.append(UnitChoice(name, self.ctx.config.unit_kind(name) or "agency"))  # new to the store
            self.toggle(name)
            self.notify(f"新单位：{name}", title="将新建单位")
        elif visible:
            self.query_one("#assign-units", OptionList).focus()
            return
        event.input.value = ""

    @on(OptionList.OptionSelected, "#assign-units")
    def _option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_id:
            self.toggle(event.option_id)

    def key_space(self) -> None:
        units = self.query_one("#assign-units", OptionList)
        if self.focused is units and units.highlighted_option is not None and units.highlighted_option.id:
            self.toggle(units.highlighted_option.id)

    def key_down(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#assign-units", OptionList).focus()

    # ------------------------------------------------------------------ actions

    def action_make_lead(self) -> None:
        units = self.query_one("#assign-units", OptionList)
        option = units.highlighted_option
        if option is None or not option.id:
            return
        if option.id in self.chosen:
            self.chosen.remove(option.id)
        self.chosen.insert(0, option.id)
        self._rebuild()
        self._show_chosen()

    def action_confirm(self) -> None:
        if not self.chosen:
            self.notify("请至少选择一个单位", severity="warning")
            return
        self.dismiss(AssignRequest(self.measure.id, tuple(self.chosen)))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#assign-ok")
    def _ok(self) -> None:
        self.action_confirm()

    @on(Button.Pressed, "#assign-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
