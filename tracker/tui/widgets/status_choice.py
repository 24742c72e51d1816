"""The status choice of the status dialog: the highlighted status is the chosen one.

Textual's RadioSet keeps two states, a keyboard highlight moved by ↑↓ and a pressed button
changed only by Enter/Space; a user who moves the highlight and tabs away saves the pressed
one without noticing. Here the two never differ: moving the highlight presses the button, and
Enter confirms the choice so the dialog can move on to the next field.
"""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import RadioButton, RadioSet


class StatusChoice(RadioSet):
    """One radio button per status code (the button's ``name``); ``chosen`` is the highlighted code."""

    BINDINGS = [
        Binding("enter", "confirm", "确定", show=False),
    ]

    class Confirmed(Message):
        """Enter on a status: the choice is made, go on to the next field."""

        def __init__(self, choice: StatusChoice) -> None:
            super().__init__()
            self.choice = choice

        @property
        def control(self) -> StatusChoice:
            return self.choice

    def __init__(self, labels: dict[str, str], codes: tuple[str, ...], initial: str, **kwargs) -> None:
        buttons = [RadioButton(labels.get(code, code), value=(code == initial), name=code) for code in codes]
        super().__init__(*buttons, **kwargs)
        self._started = False

    def on_mount(self) -> None:
        # runs before RadioSet's own mount handler, which moves the highlight onto the first button
        # and registers the pressed one: take over once it has run
        self.call_later(self._start)

    def _start(self) -> None:
        pressed = self.pressed_index
        if pressed >= 0:
            self._selected = pressed
        self._started = True

    @property
    def chosen(self) -> str | None:
        button = self.pressed_button
        return button.name if button is not None else None

    def _press_highlighted(self) -> None:
        if not self._started or self._selected is None:
            return
        button = self._nodes[self._selected]
        if isinstance(button, RadioButton) and not button.value:
            button.value = True  # posts RadioSet.Changed, which the dialog shows in words

    def action_next_button(self) -> None:
        super().action_next_button()
        self._press_highlighted()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self._press_highlighted()

    def action_confirm(self) -> None:
        self._press_highlighted()
        self.post_message(self.Confirmed(self))
