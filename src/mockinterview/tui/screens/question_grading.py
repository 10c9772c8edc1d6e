"""What the question screen does with the grader: hints, submitting, the grading worker.

Grading runs in a thread worker so a slow (LLM) grader never freezes the editor; escape cancels
it and leaves the answer as it was. Cancelling also stops the LLM grader's request in flight (a
`Cancellation` handed to the thread): a request left running would hold a thread, and the
app's exit, until its timeout. A hint runs the offline grader in a thread too and reveals the
title of one rubric point the answer does not cover yet. What is wrong with the question's
rubric file is added to the grade's warnings by the app (`record_and_show_result`, see `tui.host`).

A mixin of `QuestionScreen`, which declares the `grading` reactive, the bindings and the
message handlers (Textual collects `@on` handlers from widget classes only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Button, Static, TextArea
from textual.worker import Worker, WorkerState

from mockinterview.models import Grade, PointResult, Question, Rubric
from mockinterview.text.safe import one_line
from mockinterview.tui.answering import empty_grade, hint_exhausted_message, next_hint
from mockinterview.tui.host import AttemptFacts, HostedScreen

if TYPE_CHECKING:
    from mockinterview.grading.llm.client import Cancellation


class GradingActions(HostedScreen):
    """Hint, submit, cancel and skip for the question screen."""

    question: Question
    hints: list[str]
    grading: bool
    started_at: str
    _grade_worker: Worker[tuple[Grade, Rubric]] | None
    _grade_cancel: Cancellation | None = None  # stops the running grading's request
    _finished: bool

    # --- from the question screen -------------------------------------------------------------

    @property
    def answer_text(self) -> str:
        """The answer in the editor."""
        raise NotImplementedError

    @property
    def elapsed(self) -> float:
        """Seconds spent on the question so far."""
        raise NotImplementedError

    def save_draft(self) -> None:
        raise NotImplementedError

    def _stop_autosave(self) -> None:
        raise NotImplementedError

    # --- hints --------------------------------------------------------------------------------

    def action_hint(self) -> None:
        """Reveal the title of one rubric point the answer does not cover yet."""
        if self.grading:
            return
        answer, revealed = self.answer_text, list(self.hints)  # read here, not in the thread

        def find_hint() -> tuple[PointResult | None, int]:
            rubric = self._rubric()
            grade = self.host.grader("offline").grade(self.question, rubric, answer)
            return next_hint(grade, revealed), sum(p.verdict != "hit" for p in grade.points)

        self.run_worker(find_hint, thread=True, exclusive=True, group="hint", exit_on_error=False)

    def _hint_found(self, found: tuple[PointResult | None, int]) -> None:
        point, not_covered = found
        if point is not None and point.id in self.hints:
            return  # two quick presses found the same point
        if point is None:
            self.notify(hint_exhausted_message(not_covered), title="Hint")
            return
        self.hints.append(point.id)
        self._show_hints()
        self.save_draft()

    def _show_hints(self) -> None:
        if not self.hints:
            return
        rubric = self._rubric()
        points = [(h, rubric.point(h)) for h in self.hints]
        titles = [one_line(point.title if point is not None else h) for h, point in points]
        self.query_one("#hint-text", Static).update("Hint: " + " · ".join(titles))

    # --- submit, grading, skip -------------------------------------------------------------

    def action_submit(self, confirm_empty: bool = True) -> None:
        """Grade the answer (in a thread); an empty answer is confirmed first."""
        if self.grading:
            return
        answer = self.answer_text
        if answer.strip():
            self._start_grading(answer)
            return
        if not confirm_empty:
            self._finish(answer, empty_grade(self.question, self._rubric()))
            return

        def decided(submit: bool | None) -> None:
            if submit:
                self._finish(answer, empty_grade(self.question, self._rubric()))

        from mockinterview.tui.screens.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                "Your answer is empty. Submit it anyway? It scores 0.", "Submit", "Keep writing"
            ),
            decided,
        )

    def _rubric(self) -> Rubric:
        """The question's rubric, checked once per app (`host.rubric_and_warnings`)."""
        return self.host.rubric_and_warnings(self.question.id)[0]

    def _start_grading(self, answer: str) -> None:
        from mockinterview.grading.llm.client import Cancellation, cancellable

        self.grading = True
        kind = self.host.session.plan.grader if self.host.session else "offline"
        cancel = self._grade_cancel = Cancellation()

        def grade() -> tuple[Grade, Rubric]:
            rubric = self._rubric()  # in the thread: the first use reads the rubric files
            with cancellable(cancel):
                return self.host.grader(kind).grade(self.question, rubric, answer), rubric

        self._grade_worker = self.run_worker(
            grade, thread=True, exclusive=True, group="grade", name="grade", exit_on_error=False
        )

    def watch_grading(self, grading: bool) -> None:
        editor = self.query_one("#answer", TextArea)
        editor.read_only = grading
        for button in self.query("#submit").results(Button):
            button.disabled = grading
        status = self.query_one("#grading-status", Static)
        status.update("Grading… (escape cancels)" if grading else "")
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel_grading":
            return self.grading
        if action == "leave":  # escape: cancels a grading first, else goes back
            return not self.grading and not self._finished
        if action in ("submit", "skip", "hint", "external_editor"):
            return None if self.grading else True  # shown greyed out while grading
        return True

    def action_cancel_grading(self) -> None:
        """Stop the grading; the answer stays in the editor.

        The worker is dropped (a late result is ignored) and the LLM grader's request is
        aborted at once, its socket shut, so the thread ends now rather than at the timeout.
        """
        self._abandon_grading()
        self.grading = False
        self.notify("Grading cancelled; your answer is still here.")

    def _abandon_grading(self) -> None:
        if self._grade_cancel is not None:
            self._grade_cancel.cancel()
            self._grade_cancel = None
        if self._grade_worker is not None:
            self._grade_worker.cancel()
        self._grade_worker = None

    def on_unmount(self) -> None:
        """Leaving the screen mid-grading (quit, a new session): nothing will take the grade,
        and the app cannot exit while the request's thread runs, so stop the request too.
        (Textual calls this beside `QuestionScreen.on_unmount`: handlers run along the MRO.)"""
        if self.grading:
            self._abandon_grading()

    def _grading_worker_changed(self, event: Worker.StateChanged) -> None:
        """A hint or a grading finished, failed or was cancelled."""
        worker = event.worker
        if worker.group == "hint":
            if event.state == WorkerState.SUCCESS and worker.result is not None:
                self._hint_found(worker.result)
            elif event.state == WorkerState.ERROR:
                self.notify(f"No hint: {worker.error}", severity="warning", markup=False)
            return
        if worker.group != "grade" or worker is not self._grade_worker:
            return  # a cancelled grading that finished late: ignore it
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            grade, _rubric = worker.result
            self._grade_worker = self._grade_cancel = None
            self._finish(self.answer_text, grade)
        elif event.state == WorkerState.ERROR:
            self._grade_worker = self._grade_cancel = None
            self.grading = False
            self.notify(
                f"Grading failed: {worker.error}. Your answer is kept; try again.",
                severity="error",
                timeout=8,
                markup=False,
            )

    def _finish(self, answer: str, grade: Grade) -> None:
        self._stop_autosave()
        self._finished = True
        if not self.host.record_and_show_result(
            self.question, answer, grade, self._attempt_facts()
        ):
            self._finished = False  # not saved (the app said why): stay, answer intact
            self.grading = False

    def action_skip(self) -> None:
        """Move on without grading; the attempt is recorded as skipped."""
        if self.grading:
            return
        self._stop_autosave()
        self._finished = True
        self.host.record_skip(self.question, self.answer_text, self._attempt_facts())

    def _attempt_facts(self) -> AttemptFacts:
        return {"started_at": self.started_at, "seconds": self.elapsed, "hints": list(self.hints)}
