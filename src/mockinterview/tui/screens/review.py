"""The review screen: every past attempt in a sortable, filterable table.

Rows come from one light query (no grade JSON parsed) so 10,000 attempts open quickly; an
attempt's grade is read only when it is opened. Enter opens an attempt, `c` marks two attempts
of one question and compares them, `r` retries the question, `g` re-grades with the offline
grader (the original grade is kept beside the new one), `G` re-grades every stale attempt.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, Static

from mockinterview.review.filtering import parse_filter
from mockinterview.review.rows import question_label
from mockinterview.store.attempts import attempt_count, attempt_summaries
from mockinterview.tui.screens.attempt import AttemptScreen
from mockinterview.tui.screens.compare import CompareScreen
from mockinterview.tui.screens.review_actions import ReviewActions
from mockinterview.tui.widgets.attempt_table import (
    COLUMNS,
    NEWEST_FIRST,
    PAGE,
    AttemptTable,
    sort_key,
)

if TYPE_CHECKING:
    from mockinterview.review.rows import BankLike
    from mockinterview.store import AttemptSummary, Store

__all__ = ["PAGE", "AttemptScreen", "CompareScreen", "ReviewScreen"]


class ReviewScreen(ReviewActions, Screen[None]):
    """Past attempts, newest first; type in the filter box to narrow them down."""

    closes_on_practice: ClassVar[bool] = True
    AUTO_FOCUS = "#review-table"  # every visit starts on the table; `/` goes to the filter
    DEFAULT_CSS = """
    ReviewScreen #review-title { text-style: bold; color: $accent; padding: 0 1; }
    ReviewScreen #review-filter { margin: 0 1; }
    ReviewScreen #review-table { height: 1fr; margin: 0 1; }
    ReviewScreen #review-status {
        color: $text-muted; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", tooltip="clear the comparison mark, else go back"),
        Binding("slash", "focus_filter", "Filter", show=False),  # the box says "/ filter"
        Binding("down", "focus_table", "Table", show=False),  # from the filter box to the rows
        Binding("enter", "open_selected", "Open", tooltip="open the attempt under the cursor"),
        Binding(
            "c",
            "compare",
            "Compare",
            tooltip="mark an attempt; c on another attempt of the same question compares "
            "them (c again on the marked one, or escape, clears the mark)",
        ),
        Binding("r", "retry", "Retry", tooltip="practise this question again"),
        Binding("g", "regrade", "Regrade", tooltip="re-grade with the offline grader"),
        Binding(
            "G",
            "regrade_stale",
            "Stale",
            tooltip="re-grade every attempt graded by an older rubric",
        ),
        Binding("s", "cycle_sort", "Sort", tooltip="sort by the next column"),
    ]
    TABLE_ACTIONS: ClassVar[tuple[str, ...]] = (
        "compare", "retry", "regrade", "regrade_stale", "cycle_sort", "open_selected",
    )  # fmt: skip

    def __init__(self, store: Store, bank: BankLike | None) -> None:
        super().__init__()
        self.store = store
        self.bank = bank
        self.rows: list[AttemptSummary] = []
        self.sort_column = "when"
        self.sort_reverse = True
        self.marked: int | None = None
        self._labels: dict[str, tuple[str, str]] = {}  # question id -> (title, topic)
        self._debounce: Timer | None = None
        self._total = 0
        self._columns_width = 0  # the screen width the columns were laid out for
        self._start_filter = ""  # set by `reopen`: the screen as it was left
        self._start_cursor: int | None = None

    def compose(self) -> ComposeResult:
        yield Static("Past attempts", id="review-title")
        yield Input(
            self._start_filter,
            placeholder="/ filter: words topic:… question:… grader:… score<50 skipped · ↓ rows",
            id="review-filter",
        )
        yield AttemptTable(self._labels, id="review-table")
        yield Static("", id="review-status")
        # compact, and `/` and ^p left to the filter box and the help: f1 and f2 fit in 80 columns
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        table = self.query_one(AttemptTable)
        self._columns_width = self.app.size.width
        table.add_attempt_columns(self._columns_width)
        # First paint with the newest page only; every row (for filter and sort) right after.
        self.rows = attempt_summaries(self.store, limit=PAGE)
        self._total = attempt_count(self.store)
        if self._start_filter or self._start_cursor is not None:
            self.rows = attempt_summaries(self.store)  # the cursor's attempt may be old
        self._label_rows()
        self.refresh_table()
        table.focus()
        if self._start_cursor is not None:
            keep = next((r for r in self.shown if r.id == self._start_cursor), None)
            table.show(self.shown, keep=keep)
        if self._total > len(self.rows):
            self.call_after_refresh(self.reload)

    def reopen(self) -> ReviewScreen:
        """This screen again, as it is now (after a retry left with escape)."""
        fresh = ReviewScreen(self.store, self.bank)
        fresh.sort_column, fresh.sort_reverse = self.sort_column, self.sort_reverse
        fresh._start_filter = self.query_one("#review-filter", Input).value
        row = self.selected()
        fresh._start_cursor = row.id if row is not None else None
        return fresh

    # --- data -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read every attempt again (after a re-grade) and redraw, keeping filter and sort."""
        self.rows = attempt_summaries(self.store)
        self._total = len(self.rows)
        self._label_rows()
        self.refresh_table()

    def _label_rows(self) -> None:
        for qid in {row.question_id for row in self.rows} - self._labels.keys():
            self._labels[qid] = question_label(self.bank, qid)

    @property
    def shown(self) -> list[AttemptSummary]:
        """The attempts passing the filter, in the table's order."""
        return self.query_one(AttemptTable).shown

    def refresh_table(self) -> None:
        """Filter and sort the loaded rows, then show them; the cursor stays on its attempt."""
        table = self.query_one(AttemptTable)
        current = table.selected()
        query = parse_filter(self.query_one("#review-filter", Input).value)
        rows = self.rows
        if not query.empty:
            rows = [r for r in rows if query.matches(r, *self._labels[r.question_id])]
        table.marked = self.marked
        table.show(
            sorted(rows, key=sort_key(self.sort_column, self._labels), reverse=self.sort_reverse),
            keep=current,
        )
        arrow = "↓" if self.sort_reverse else "↑"
        status = f"{len(table.shown)} of {self._total} · by {self.sort_column} {arrow}"
        if isinstance(self.focused, Input):
            status += " · ↓ or tab: to the rows"
        else:
            status += " · enter opens · / filter · * re-graded"
        if self.marked is not None:
            row = next((r for r in self.rows if r.id == self.marked), None)
            what = f"{row.question_id} of {row.submitted_at[5:16].replace('T', ' ')}" if row else ""
            status += f" · ▶ {what} marked: c on another try compares, escape clears"
        self.query_one("#review-status", Static).update(Text(status))

    def selected(self) -> AttemptSummary | None:
        return self.query_one(AttemptTable).selected()

    # --- events -----------------------------------------------------------------------------

    @on(Input.Changed, "#review-filter")
    def _filter_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(0.15, self.refresh_table)

    @on(Input.Submitted, "#review-filter")
    def _filter_submitted(self) -> None:
        """Enter applies the filter at once and leaves the focus in the box: letters typed
        next are still text, never keys (↓ or tab moves to the rows)."""
        if self._debounce is not None:
            self._debounce.stop()
        self.refresh_table()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self.refresh_table()  # the status line says what enter and the arrows do there

    def on_resize(self, event: events.Resize) -> None:
        """Lay the columns out again for the new width (scores and graders never cut)."""
        width = self.app.size.width
        if width == self._columns_width or not self.is_mounted:
            return
        self._columns_width = width
        table = self.query_one(AttemptTable)
        table.clear(columns=True)
        table.add_attempt_columns(width)
        self.refresh_table()

    @on(DataTable.HeaderSelected)
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        column = str(event.column_key.value)
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, column in NEWEST_FIRST
        self.refresh_table()

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        attempt = self.store.attempt(int(str(event.row_key.value)))
        if attempt is not None:
            self.app.push_screen(AttemptScreen(self.store, self.bank, attempt), self._returned)

    def _returned(self, regraded: bool | None) -> None:
        if regraded:
            self.reload()

    reopened_child = _returned  # an attempt screen opened again above this one

    # --- actions ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Keys typed in the filter box are text: they never sort, mark or open attempts."""
        return not (action in self.TABLE_ACTIONS and isinstance(self.focused, Input))

    def action_back(self) -> None:
        """Clear the comparison mark if there is one (even if filtered out), else go back."""
        if self.marked is not None:
            self.marked = None
            self.refresh_table()
            self.notify("Comparison mark cleared.")
            return
        self.dismiss()

    def action_open_selected(self) -> None:
        """Open the attempt under the cursor (enter on the table does the same)."""
        row = self.selected()
        attempt = self.store.attempt(row.id) if row is not None else None
        if attempt is not None:
            self.app.push_screen(AttemptScreen(self.store, self.bank, attempt), self._returned)

    def action_focus_filter(self) -> None:
        # at once, not after the keys already queued (`focus()` waits for them): text typed
        # quickly after `/` must land in the box, never on the table's keys
        self.set_focus(self.query_one("#review-filter", Input))

    def action_focus_table(self) -> None:
        self.set_focus(self.query_one(AttemptTable))

    def action_cycle_sort(self) -> None:
        keys = [key for key, _ in COLUMNS]
        self.sort_column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
        self.sort_reverse = self.sort_column in NEWEST_FIRST
        self.refresh_table()
