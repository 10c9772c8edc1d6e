"""What the review screen does to the attempt under the cursor: retry its question, compare it
with another attempt of the same question, re-grade it (or every stale attempt) offline.

A mixin of `ReviewScreen`, which holds the table, the filter and the bindings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from mockinterview.review.rows import format_score
from mockinterview.tui.host import HostedScreen, offline_grader
from mockinterview.tui.practise_from_review import retry
from mockinterview.tui.screens.compare import CompareScreen
from mockinterview.tui.screens.start import plural

if TYPE_CHECKING:
    from mockinterview.review.rows import BankLike
    from mockinterview.store import Store
    from mockinterview.store.records import AttemptSummary


class ReviewActions(HostedScreen):
    """Retry, compare and re-grade for the review screen."""

    store: Store
    bank: BankLike | None
    marked: int | None

    # --- from the review screen ---------------------------------------------------------------

    def selected(self) -> AttemptSummary | None:
        """The attempt under the cursor."""
        raise NotImplementedError

    def refresh_table(self) -> None:
        """Filter, sort and show the rows already read."""
        raise NotImplementedError

    def reload(self) -> None:
        """Read every attempt again, then refresh the table."""
        raise NotImplementedError

    # --- actions ------------------------------------------------------------------------------

    def action_retry(self) -> None:
        row = self.selected()
        if row is not None:
            retry(self, row.question_id, self.bank)

    def action_compare(self) -> None:
        """First press marks the attempt; a second press on another attempt compares them."""
        row = self.selected()
        if row is None:
            return
        if self.marked is None or self.marked == row.id:
            # the status line and the row's ▶ say it: no toast to linger over the comparison
            self.marked = None if self.marked == row.id else row.id
            self.refresh_table()
            return
        first = self.store.attempt(self.marked)
        second = self.store.attempt(row.id)
        if first is None or second is None:
            return
        if first.question_id != second.question_id:
            self.notify(
                f"Compare tries of one question: the marked one is {first.question_id}, "
                f"this one {second.question_id}.",
                severity="warning",
            )
            return
        self.marked = None
        self.refresh_table()
        self.app.clear_notifications()  # a toast would cover the right-hand answer
        self.app.push_screen(CompareScreen(self.store, self.bank, first, second))

    def action_regrade(self) -> None:
        from mockinterview.review.regrade import regrade_attempts

        row = self.selected()
        if row is None or self.bank is None:
            return
        report = regrade_attempts(self.store, self.bank, offline_grader(self.app), [row.id])
        if report.regraded:
            done = report.regraded[0]
            self.notify(
                f"Re-graded {row.question_id}: {format_score(done.before)} → "
                f"{format_score(done.after)}."
            )
            self.reload()
        else:
            self.notify(report.skipped[0][1].capitalize() + ".", severity="warning")

    def action_regrade_stale(self) -> None:
        if self.bank is not None:
            self._regrade_stale()

    @work(thread=True, exclusive=True, group="regrade")
    def _regrade_stale(self) -> None:
        from mockinterview.review.regrade import regrade_attempts

        assert self.bank is not None
        report = regrade_attempts(self.store, self.bank, offline_grader(self.app))
        self.app.call_from_thread(self._regraded_all, len(report.regraded), len(report.skipped))

    def _regraded_all(self, regraded: int, skipped: int) -> None:
        if not regraded and not skipped:
            self.notify("No attempt was graded by an older rubric: nothing to re-grade.")
        else:
            self.notify(
                f"Re-graded {plural(regraded, 'attempt')} graded by an older rubric "
                f"({skipped} skipped)."
            )
        self.reload()
