"""A question with more than two answers, each a button with its own key (escape cancels)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.events import Key
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Choice = tuple[str, str, str]  # (value, label, key)


class ChoiceScreen(ModalScreen[str]):
    """Dismisses with the value of the chosen button, or `cancel` on escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "choose('cancel')", "Cancel")]

    def __init__(self, message: str, choices: list[Choice], focus: str | None = None) -> None:
        super().__init__()
        self.message = message
        self.choices = choices
        self.focus_value = focus or choices[-1][0]

    def compose(self) -> ComposeResult:
        with Vertical(id="choice-dialog", classes="dialog"):
            yield Static(self.message, id="choice-message", markup=False)
            with Horizontal(classes="dialog-buttons"):
                for value, label, key in self.choices:
                    yield Button(f"{label} ({key})", id=f"choice-{value}", name=value)

    def on_mount(self) -> None:
        self.query_one(f"#choice-{self.focus_value}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.name or "cancel")

    def on_key(self, event: Key) -> None:
        for value, _label, key in self.choices:
            if event.key == key:
                event.stop()
                self.dismiss(value)
                return

    def action_choose(self, value: str) -> None:
        """Answer from the keyboard."""
        self.dismiss(value)
