"""Asked after a missed point is marked covered: remember the answer's words for it?"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class RememberScreen(ModalScreen[str | None]):
    """Dismisses with the (edited) phrase to remember, or None for "not now"."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "not_now", "Not now")]
    DEFAULT_CSS = """
    RememberScreen #remember-dialog { width: 76; }
    RememberScreen #remember-phrase { margin: 1 0 0 0; }
    RememberScreen #remember-note { color: $text-muted; margin: 1 0 0 0; }
    """

    def __init__(self, title: str, phrase: str) -> None:
        super().__init__()
        self.point_title = title
        self.phrase = phrase

    def compose(self) -> ComposeResult:
        with Vertical(id="remember-dialog", classes="dialog"):
            yield Static(
                f"Remember your words for “{self.point_title}”? Next time they earn it.",
                id="remember-message",
                markup=False,
            )
            yield Input(self.phrase, id="remember-phrase", select_on_focus=False)
            yield Static(
                "Edit the words if you like. Kept in your own rubric overlay; the bundled "
                "rubric is not changed.",
                id="remember-note",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Remember (enter)", id="remember", variant="primary")
                yield Button("Not now (esc)", id="not-now")

    def on_mount(self) -> None:
        self.query_one("#remember-phrase", Input).focus()

    @on(Input.Submitted, "#remember-phrase")
    @on(Button.Pressed, "#remember")
    def _remember(self) -> None:
        phrase = " ".join(self.query_one("#remember-phrase", Input).value.split())
        self.dismiss(phrase or None)

    @on(Button.Pressed, "#not-now")
    def action_not_now(self) -> None:
        """Close without remembering anything."""
        self.dismiss(None)
