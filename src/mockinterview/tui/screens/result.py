"""The result of one answer: the grade point by point, then on to the next question."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from mockinterview.models import Grade, Question, Rubric
from mockinterview.text.latex import readable_formulas
from mockinterview.text.safe import one_line, visible
from mockinterview.tui.corrections import CORRECT_BINDINGS, Corrector
from mockinterview.tui.widgets.grade_view import GradeView

if TYPE_CHECKING:
    from mockinterview.store import Store
    from mockinterview.store.records import FollowUpRecord


class ResultScreen(Corrector, Screen[None]):
    """Shown after grading; the attempt is already stored when this appears. The point's
    number corrects its verdict (kept beside the automatic grade)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,n", "next", "Next"),
        Binding("r", "toggle_reference", "Reference answer"),
        *CORRECT_BINDINGS,
    ]

    show_reference: reactive[bool] = reactive(False)

    def __init__(
        self,
        question: Question,
        answer: str,
        grade: Grade,
        rubric: Rubric | None,
        *,
        number: int,
        total: int,
        attempt_id: int | None = None,
        follow_up: FollowUpRecord | None = None,
    ) -> None:
        super().__init__()
        self.follow_up = follow_up
        self.question = question
        self.answer = answer
        self.grade = grade
        self.rubric = rubric
        self.number = number
        self.total = total
        # what corrections need (see `Corrector`)
        self.correction_attempt_id = attempt_id
        self.correction_question = question
        self.correction_answer = answer
        self.correction_rubric = rubric
        self.automatic = grade
        self.corrected: Grade | None = None

    @property
    def correction_store(self) -> Store:
        return self.host.store

    @property
    def is_last(self) -> bool:
        return self.number >= self.total

    def compose(self) -> ComposeResult:
        with Horizontal(classes="topbar"):
            yield Static(
                one_line(f"Result {self.number} of {self.total} · {self.question.title}"),
                id="progress",
                markup=False,
            )
        with VerticalScroll(id="result-body"):
            yield GradeView(
                self.question,
                self.answer,
                self.grade,
                self.rubric,
                corrected=self.corrected,
                correct_keys=self.correction_attempt_id is not None,
                follow_up=self.follow_up,
            )
            yield Static("Reference answer", classes="section-title reference")
            # text, like the review detail: Markdown would join the lines of a numbered list
            yield Static(
                visible(readable_formulas(self.question.answer.strip())),  # LaTeX as text
                id="reference-answer",
                classes="reference",
                markup=False,
            )
        with Horizontal(classes="buttons"):
            label = "Summary ⏎" if self.is_last else "Next question ⏎"
            yield Button(label, id="next", variant="primary", compact=True)
            yield Button("Reference answer r", id="reference", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#result-body").focus()  # arrows and page keys scroll; enter goes on
        self.watch_show_reference(False)

    def watch_show_reference(self, shown: bool) -> None:
        for widget in self.query(".reference"):
            widget.display = shown
        if shown:
            self.query_one("#reference-answer").scroll_visible()

    def action_toggle_reference(self) -> None:
        """Show or hide the full reference answer below the rubric."""
        self.show_reference = not self.show_reference

    @on(Button.Pressed, "#reference")
    def _reference_pressed(self) -> None:
        self.action_toggle_reference()

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    async def correction_changed(self, corrected: Grade | None) -> None:
        """Show both scores, and let the session's summary count the corrected one."""
        await self.query_one(GradeView).show_correction(corrected)
        session = self.host.session
        if session is None:
            return
        for outcome in session.outcomes:
            if outcome.attempt_id == self.correction_attempt_id:
                shown = corrected if corrected is not None else self.automatic
                outcome.grade, outcome.score = shown, shown.score

    def action_next(self) -> None:
        """The next question, or the session summary after the last."""
        self.host.show_current()
