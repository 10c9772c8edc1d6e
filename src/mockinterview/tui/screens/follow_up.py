"""The interviewer's follow-up: one more question after a graded answer, before its result.

The answer is already stored. The follow-up (`practice.followup`) is answered here, graded in a
thread by the same grader against the points the first answer left open, and folded into the
question's grade; escape (or ctrl+n) skips it, recorded as skipped, the grade as it was. Either
way the app then stores it and shows the result (`host.finish_follow_up`).

The answer being typed is saved about once a second, on quit and on a signal, as the question
screen's draft is (`host.save_follow_up_draft`): a resumed session opens here again with it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Button, Footer, Static, TextArea
from textual.worker import Worker, WorkerState

from mockinterview.models import Grade, Question, Rubric
from mockinterview.practice.followup import FollowUp, FollowUpOutcome, answer_follow_up
from mockinterview.text.safe import one_line
from mockinterview.tui.answering import word_count
from mockinterview.tui.host import HostedScreen
from mockinterview.tui.widgets.answer_editor import AnswerEditor, editable

if TYPE_CHECKING:
    from mockinterview.grading.llm.client import Cancellation


class FollowUpScreen(HostedScreen, Screen[None]):
    """One follow-up question; the app swaps it for the result once answered or skipped."""

    DEFAULT_CSS = """
    FollowUpScreen #follow-up-pane { height: auto; max-height: 50%; padding: 0 1; }
    FollowUpScreen #follow-up-question { text-style: bold; margin: 1 0 0 0; }
    FollowUpScreen #follow-up-about { color: $text-muted; margin: 0 0 1 0; }
    FollowUpScreen #follow-up-answer { height: 1fr; min-height: 5; }
    FollowUpScreen #follow-up-status { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Answer", priority=True),
        Binding("escape", "cancel_grading", "Cancel grading"),
        Binding("escape", "skip", "Skip follow-up"),
        Binding("ctrl+n", "skip", "Skip", show=False),
    ]

    grading: reactive[bool] = reactive(False, init=False)

    def __init__(
        self,
        question: Question,
        answer: str,
        grade: Grade,
        rubric: Rubric,
        follow_up: FollowUp,
        *,
        number: int,
        total: int,
        attempt_id: int,
        grader: str,
        draft_text: str = "",
        seconds_before: float = 0.0,
    ) -> None:
        super().__init__()
        self.question = question
        self.first_answer = answer
        self.grade = grade
        self.rubric = rubric
        self.follow_up = follow_up
        self.number = number
        self.total = total
        self.attempt_id = attempt_id
        self.grader_kind = grader
        self._started = 0.0
        self._worker: Worker[FollowUpOutcome] | None = None
        self._cancel: Cancellation | None = None
        self._done = False
        self.draft_text = draft_text
        self.seconds_before = seconds_before
        self._save_timer: Timer | None = None
        self._session_id: int | None = None
        self._editor: TextArea | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="topbar"):
            yield Static(
                one_line(f"Follow-up · question {self.number} of {self.total}"),
                id="progress",
                markup=False,
            )
        with VerticalScroll(id="follow-up-pane"):
            yield Static(Text(one_line(self.follow_up.question)), id="follow-up-question")
            yield Static(
                Text(
                    one_line(f"About your answer to “{self.question.title}”.")
                    + " Answer it to earn the points still open; escape skips it (your grade"
                    " stays as it is)."
                ),
                id="follow-up-about",
            )
        yield AnswerEditor(
            editable(self.draft_text),
            id="follow-up-answer",
            soft_wrap=True,
            show_line_numbers=False,
            placeholder="Your answer to the follow-up. ctrl+s submits, escape skips.",
        )
        yield Static("", id="follow-up-status")
        with Horizontal(classes="buttons"):
            yield Button("Answer ^s", id="follow-up-submit", variant="primary", compact=True)
            yield Button("Skip esc", id="follow-up-skip", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self._started = self.host.settings.clock() - self.seconds_before
        self._session_id = self.host.session.id if self.host.session else None
        editor = self._editor = self.query_one("#follow-up-answer", TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)
        if self.draft_text:
            self._show_words()

    @property
    def reply(self) -> str:
        # a kept reference: on unmount the editor is already detached from the screen
        return self._editor.text if self._editor is not None else ""

    @property
    def seconds(self) -> float:
        return max(0.0, self.host.settings.clock() - self._started)

    @on(TextArea.Changed, "#follow-up-answer")
    def _typed(self) -> None:
        if not self.grading:
            self._show_words()
        if self._save_timer is None and not self._done:
            self._save_timer = self.set_timer(self.host.settings.autosave_seconds, self.save_draft)

    def _show_words(self) -> None:
        words = word_count(self.reply)
        self.query_one("#follow-up-status", Static).update(
            f"{words} word{'s' if words != 1 else ''}"
        )

    def save_draft(self) -> None:
        """Write the answer so far: by the autosave timer, on quit, on a signal, on leaving;
        not once the follow-up is answered or skipped, nor for a session no longer running."""
        self._save_timer = None
        session = self.host.session
        if self._done or session is None or session.id != self._session_id:
            return
        self.host.save_follow_up_draft(
            self.question.id, self.attempt_id, self.follow_up, self.reply, self.seconds
        )

    # --- answering ---------------------------------------------------------------------------

    def action_submit(self) -> None:
        """Grade the follow-up against the open points (in a thread)."""
        if self.grading or self._done:
            return
        reply = self.reply
        if not reply.strip():
            self.notify("Type an answer first, or press escape to skip the follow-up.")
            return
        from mockinterview.grading.llm.client import Cancellation, cancellable

        self.grading = True
        cancel = self._cancel = Cancellation()
        question, rubric, grade = self.question, self.rubric, self.grade
        first, follow_up, kind = self.first_answer, self.follow_up, self.grader_kind

        def grade_it() -> FollowUpOutcome:
            with cancellable(cancel):
                grader = self.host.grader(kind)
                return answer_follow_up(grader, question, rubric, grade, first, follow_up, reply)

        self._worker = self.run_worker(
            grade_it, thread=True, exclusive=True, group="follow-up", exit_on_error=False
        )

    def watch_grading(self, grading: bool) -> None:
        self.query_one("#follow-up-answer", TextArea).read_only = grading
        self.query_one("#follow-up-submit", Button).disabled = grading
        status = self.query_one("#follow-up-status", Static)
        status.update("Grading your follow-up… (escape cancels)" if grading else "")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_grading":
            return self.grading
        if action == "skip":
            return not self.grading and not self._done
        if action == "submit":
            return None if self.grading else True
        return True

    def action_cancel_grading(self) -> None:
        """Stop grading the follow-up; the answer stays in the editor."""
        if self._cancel is not None:
            self._cancel.cancel()
        if self._worker is not None:
            self._worker.cancel()
        self._worker = self._cancel = None
        self.grading = False
        self.notify("Grading cancelled; your follow-up answer is still here.")

    def action_skip(self) -> None:
        """Move on without answering: recorded as skipped, the grade unchanged."""
        if self.grading or self._done:
            return
        outcome = FollowUpOutcome(
            self.follow_up, answer=self.reply, skipped=True, seconds=self.seconds
        )
        self._finish(outcome)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if worker.group != "follow-up" or worker is not self._worker:
            return  # a cancelled grading that finished late: ignore it
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            self._worker = self._cancel = None
            outcome = worker.result
            outcome.seconds = self.seconds
            self._finish(outcome)
        elif event.state == WorkerState.ERROR:
            self._worker = self._cancel = None
            self.grading = False
            self.notify(
                f"Grading the follow-up failed: {worker.error}. Your answer is kept; try "
                "again, or escape to skip.",
                severity="error",
                timeout=8,
                markup=False,
            )

    def _finish(self, outcome: FollowUpOutcome) -> None:
        self._done = True
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
        self.host.finish_follow_up(
            self.question,
            self.first_answer,
            self.grade,
            outcome,
            attempt_id=self.attempt_id,
            number=self.number,
        )

    def on_unmount(self) -> None:
        if self._cancel is not None:  # leaving mid-grading: stop the request too
            self._cancel.cancel()
        self.save_draft()  # leaving for another screen (a new session) keeps the answer

    @on(Button.Pressed, "#follow-up-submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#follow-up-skip")
    def _skip_pressed(self) -> None:
        self.action_skip()
