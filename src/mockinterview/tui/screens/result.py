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
from mockinterview.tui.widgets.grade_view import GradeView

if TYPE_CHECKING:
    from mockinterview.tui.app import MockInterviewApp


class ResultScreen(Screen[None]):
    """Shown after grading; the attempt is already stored when this appears."""

    app: MockInterviewApp

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,n", "next", "Next"),
        Binding("r", "toggle_reference", "Reference answer"),
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
    ) -> None:
        super().__init__()
        self.question = question
        self.answer = answer
        self.grade = grade
        self.rubric = rubric
        self.number = number
        self.total = total

    @property
    def is_last(self) -> bool:
        return self.number >= self.total

    def compose(self) -> ComposeResult:
        with Horizontal(classes="topbar"):
            yield Static(
                f"Result {self.number} of {self.total} · {self.question.title}",
                id="progress",
                markup=False,
            )
        with VerticalScroll(id="result-body"):
            yield GradeView(self.question, self.answer, self.grade, self.rubric)
            yield Static("Reference answer", classes="section-title reference")
            # text, like the review detail: Markdown would join the lines of a numbered list
            yield Static(
                self.question.answer.strip(),
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

    def action_next(self) -> None:
        """The next question, or the session summary after the last."""
        self.app.show_current()
