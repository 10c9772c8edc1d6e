"""Two attempts of one question side by side, opened from the review table (`c`, then `c`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer

from mockinterview.tui.widgets.attempt_comparison import AttemptComparison

if TYPE_CHECKING:
    from mockinterview.review.rows import BankLike
    from mockinterview.store import Attempt, Store


class CompareScreen(Screen[None]):
    """Two attempts of one question side by side."""

    closes_on_practice: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q", "app.pop_screen", "Back")]

    def __init__(
        self, store: Store, bank: BankLike | None, first: Attempt, second: Attempt
    ) -> None:
        super().__init__()
        self.store, self.bank, self.first, self.second = store, bank, first, second

    def reopen(self) -> CompareScreen:
        """This screen again (after a retry left with escape)."""
        return CompareScreen(self.store, self.bank, self.first, self.second)

    def compose(self) -> ComposeResult:
        yield AttemptComparison(self.store, self.bank, self.first, self.second, id="comparison")
        yield Footer()
