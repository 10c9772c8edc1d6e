"""One past attempt opened from the review table, in full; from here the candidate retries its
question, re-grades it offline, or corrects its grade point by point (as on the result screen)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Footer, Static

from mockinterview.models import Grade
from mockinterview.review.attempt_detail import latest_automatic_grade, question_or_stub
from mockinterview.review.rows import format_score, rubric_or_none
from mockinterview.tui.corrections import CORRECT_BINDINGS, Corrector
from mockinterview.tui.host import offline_grader
from mockinterview.tui.practise_from_review import retry
from mockinterview.tui.widgets.attempt_detail import AttemptDetail
from mockinterview.tui.widgets.grade_view import GradeView

if TYPE_CHECKING:
    from mockinterview.review.rows import BankLike
    from mockinterview.store import Attempt, Store


class AttemptScreen(Corrector, Screen[bool]):
    """One attempt in full. Dismisses with True when it was re-graded or corrected (the table
    refreshes). The point's number corrects its verdict, as on the result screen."""

    closes_on_practice: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "Back"),
        Binding("r", "retry", "Retry", tooltip="practise this question again"),
        Binding("g", "regrade", "Re-grade"),
        *CORRECT_BINDINGS,
    ]

    def __init__(self, store: Store, bank: BankLike | None, attempt: Attempt) -> None:
        super().__init__()
        self.store, self.bank, self.attempt = store, bank, attempt
        self.regraded = False
        self._load_correction()

    @property
    def correction_store(self) -> Store:
        return self.store

    def _load_correction(self) -> None:
        """What corrections need (see `Corrector`), from the attempt as stored now."""
        attempt = self.attempt
        grade, _ = latest_automatic_grade(self.store, attempt)
        self.correction_attempt_id = None if attempt.skipped or grade is None else attempt.id
        self.correction_question = question_or_stub(self.bank, attempt.question_id)
        self.correction_answer = attempt.answer
        self.correction_rubric = rubric_or_none(self.bank, attempt.question_id)
        self.automatic = grade or Grade(attempt.question_id, "none", 0.0, [])
        self.corrected = attempt.corrected

    def compose(self) -> ComposeResult:
        yield AttemptDetail(
            self.store,
            self.bank,
            self.attempt,
            correct_keys=self.correction_attempt_id is not None,
            id="attempt-detail",
        )
        yield Footer(compact=True)  # every key fits in 80 columns

    async def correction_changed(self, corrected: Grade | None) -> None:
        """Both scores in the grade and in the list of grades; the table refreshes on back."""
        self.regraded = True
        fresh = self.store.attempt(self.attempt.id)
        if fresh is not None:
            self.attempt = fresh
        await self.query_one(GradeView).show_correction(corrected)
        _, history = latest_automatic_grade(self.store, self.attempt)
        for widget in self.query("#detail-grades").results(Static):
            widget.update(Text("\n".join(history)))
            widget.display = len(history) > 1

    def action_back(self) -> None:
        self.dismiss(self.regraded)

    def reopen(self) -> AttemptScreen:
        """This screen again (after a retry left with escape)."""
        return AttemptScreen(
            self.store, self.bank, self.store.attempt(self.attempt.id) or self.attempt
        )

    def action_retry(self) -> None:
        retry(self, self.attempt.question_id, self.bank)

    async def action_regrade(self) -> None:
        from mockinterview.review.regrade import regrade_attempts

        if self.bank is None:
            self.notify("No bank loaded: nothing to re-grade against.", severity="warning")
            return
        grader = offline_grader(self.app)
        report = regrade_attempts(self.store, self.bank, grader, [self.attempt.id])
        if not report.regraded:
            self.notify(report.skipped[0][1].capitalize() + ".", severity="warning")
            return
        done = report.regraded[0]
        self.regraded = True
        self.notify(f"Re-graded: {format_score(done.before)} → {format_score(done.after)}.")
        self.attempt = self.store.attempt(self.attempt.id) or self.attempt
        self._load_correction()
        await self.recompose()
