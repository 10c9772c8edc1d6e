"""What the question screen does with the grader: hints, submitting, the grading worker.

Grading runs in a thread worker so a slow (LLM) grader never freezes the editor; escape cancels
it and leaves the answer as it was. A hint runs the offline grader in a thread too and reveals
the title of one rubric point the answer does not cover yet.

A mixin of `QuestionScreen`, which declares the `grading` reactive, the bindings and the
message handlers (Textual collects `@on` handlers from widget classes only).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.widgets import Button, Static, TextArea
from textual.worker import Worker, WorkerState

from mockinterview.models import Grade, PointResult, Question, Rubric
from mockinterview.tui.answering import empty_grade, hint_exhausted_message, next_hint

if TYPE_CHECKING:
    from mockinterview.tui.app import MockInterviewApp


class GradingActions:
    """Hint, submit, cancel and skip for the question screen."""

    app: MockInterviewApp
    question: Question
    hints: list[str]
    grading: bool
    started_at: str
    _grade_worker: Worker[tuple[Grade, Rubric]] | None
    _finished: bool
    # from the screen (and Textual)
    answer_text: str
    elapsed: float
    notify: Any
    query: Any
    query_one: Any
    refresh_bindings: Any
    run_worker: Any
    save_draft: Any
    _stop_autosave: Any

    # --- hints --------------------------------------------------------------------------------

    def action_hint(self) -> None:
        """Reveal the title of one rubric point the answer does not cover yet."""
        if self.grading:
            return
        answer, revealed = self.answer_text, list(self.hints)  # read here, not in the thread

        def find_hint() -> tuple[PointResult | None, int]:
            rubric = self.app.bank.rubric_for(self.question.id)
            grade = self.app.grader("offline").grade(self.question, rubric, answer)
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
        rubric = self.app.bank.rubric_for(self.question.id)
        titles = [(rubric.point(h).title if rubric.point(h) else h) for h in self.hints]
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
            self._finish(
                answer, empty_grade(self.question, self.app.bank.rubric_for(self.question.id))
            )
            return

        def decided(submit: bool | None) -> None:
            if submit:
                rubric = self.app.bank.rubric_for(self.question.id)
                self._finish(answer, empty_grade(self.question, rubric))

        from mockinterview.tui.screens.confirm import ConfirmScreen

        self.app.push_screen(
            ConfirmScreen(
                "Your answer is empty. Submit it anyway? It scores 0.", "Submit", "Keep writing"
            ),
            decided,
        )

    def _start_grading(self, answer: str) -> None:
        self.grading = True
        kind = self.app.session.plan.grader if self.app.session else "offline"

        def grade() -> tuple[Grade, Rubric]:
            rubric = self.app.bank.rubric_for(self.question.id)
            return self.app.grader(kind).grade(self.question, rubric, answer), rubric

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
        if action in ("submit", "skip", "hint"):
            return None if self.grading else True  # shown greyed out while grading
        return True

    def action_cancel_grading(self) -> None:
        """Stop waiting for the grader; the answer stays in the editor."""
        if self._grade_worker is not None:
            self._grade_worker.cancel()
        self._grade_worker = None
        self.grading = False
        self.notify("Grading cancelled; your answer is still here.")

    def _grading_worker_changed(self, event: Worker.StateChanged) -> None:
        """A hint or a grading finished, failed or was cancelled."""
        worker = event.worker
        if worker.group == "hint":
            if event.state == WorkerState.SUCCESS:
                self._hint_found(worker.result)
            elif event.state == WorkerState.ERROR:
                self.notify(f"No hint: {worker.error}", severity="warning", markup=False)
            return
        if worker.group != "grade" or worker is not self._grade_worker:
            return  # a cancelled grading that finished late: ignore it
        if event.state == WorkerState.SUCCESS and worker.result is not None:
            grade, _rubric = worker.result
            self._grade_worker = None
            self._finish(self.answer_text, grade)
        elif event.state == WorkerState.ERROR:
            self._grade_worker = None
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
        if not self.app.record_and_show_result(self.question, answer, grade, self._attempt_facts()):
            self._finished = False  # not saved (the app said why): stay, answer intact
            self.grading = False

    def action_skip(self) -> None:
        """Move on without grading; the attempt is recorded as skipped."""
        if self.grading:
            return
        self._stop_autosave()
        self._finished = True
        self.app.record_skip(self.question, self.answer_text, self._attempt_facts())

    def _attempt_facts(self) -> dict[str, object]:
        return {"started_at": self.started_at, "seconds": self.elapsed, "hints": list(self.hints)}
