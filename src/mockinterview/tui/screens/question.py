"""The question screen: read the question, type an answer, submit it for grading.

The layout, the clock and the draft live here; hints, submitting and the grading worker in
`question_grading`. The draft reaches the database about once a second while typing, so a
killed terminal loses at most that much.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, Static, TextArea
from textual.worker import Worker

from mockinterview.models import Grade, Question, Rubric
from mockinterview.text.safe import one_line, visible
from mockinterview.tui.answering import looks_like_markdown, word_count
from mockinterview.tui.screens.question_grading import GradingActions
from mockinterview.tui.widgets.answer_editor import AnswerEditor, editable
from mockinterview.tui.widgets.question_clock import QuestionClock


class QuestionScreen(GradingActions, Screen[None]):
    """One question of the session; the app swaps it for the result once graded."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("ctrl+n", "skip", "Skip"),
        Binding("ctrl+t", "hint", "Hint"),
        Binding(  # ctrl+g, as ctrl+e is the answer box's own end-of-line key
            "ctrl+g",
            "external_editor",
            "Own editor",
            tooltip="write the answer in $VISUAL / $EDITOR",
            show=False,  # the footer is full at 80 columns: f1 lists it
            priority=True,
        ),
        Binding("escape", "cancel_grading", "Cancel grading"),
        Binding("escape", "leave", "Back", tooltip="back one step (see `tui.leaving`)"),
    ]

    grading: reactive[bool] = reactive(False, init=False)
    words: reactive[int] = reactive(0)

    def __init__(
        self,
        question: Question,
        *,
        number: int,
        total: int,
        draft_text: str = "",
        hints: list[str] | None = None,
        started_at: str,
        elapsed_before: float = 0.0,
        time_limit: int | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.number = number
        self.total = total
        self.draft_text = draft_text
        self.hints: list[str] = list(hints or [])
        self.started_at = started_at
        self.elapsed_before = elapsed_before
        self.time_limit = time_limit
        self._save_timer: Timer | None = None
        self._grade_worker: Worker[tuple[Grade, Rubric]] | None = None
        self._finished = False  # submitted or skipped: nothing left to save
        self._session_id: int | None = None
        self._editor: TextArea | None = None
        self._clock: QuestionClock | None = None
        self._waiting_for_store = False  # graded, the database refused it: retried meanwhile

    # --- layout -----------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        q = self.question
        with Horizontal(classes="topbar"):
            yield Static(
                one_line(f"Question {self.number} of {self.total} · {q.topic} · {q.difficulty}"),
                id="progress",
                markup=False,
            )
            yield QuestionClock(
                clock=self.host.settings.clock,
                time_limit=self.time_limit,
                elapsed_before=self.elapsed_before,
                id="timer",
            )
        with VerticalScroll(id="question-pane"):
            yield Static(one_line(q.title), id="question-title", markup=False)
            # plain text for the first paint; Markdown (if needed) replaces it right after
            yield Static(
                visible(q.question), id="question-text", classes="question-body", markup=False
            )
        yield AnswerEditor(
            editable(self.draft_text),
            id="answer",
            soft_wrap=True,
            show_line_numbers=False,
            placeholder="Type your answer here. ctrl+s submits.",
        )
        with Horizontal(id="answer-status"):
            yield Static("", id="words")
            yield Static("", id="hint-text", markup=False)
            yield Static("", id="grading-status")
        # the buttons and the footer are mounted just after the first paint (see on_mount)

    def _controls(self) -> list[Widget]:
        from textual.widgets import Footer  # not needed before the first paint

        buttons = Horizontal(
            Button("Submit ^s", id="submit", variant="primary", compact=True),
            Button("Skip ^n", id="skip", compact=True),
            Button("Hint ^t", id="hint", compact=True),
            classes="buttons",
        )
        return [buttons, Footer()]

    def on_mount(self) -> None:
        self._session_id = self.host.session.id if self.host.session else None
        self._clock = self.query_one(QuestionClock)
        editor = self._editor = self.query_one("#answer", TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)
        self.words = word_count(self.draft_text)
        self._show_hints()
        # After the first frame. Not `self.call_after_refresh` alone: while the app starts, Textual
        # holds every frame back until the app's mount is over (this screen's included) and
        # runs such callbacks at once, so the controls would delay the question's first frame
        # (by about 15 ms: bench/README.md). The app's own queue runs only after that.
        self.app.call_later(self.call_after_refresh, self._first_paint_done)

    async def _first_paint_done(self) -> None:
        """The question and the editor are up: now the rest, so the question shows sooner
        (the buttons and the footer cost about as much to build as everything else)."""
        await self.mount_all(self._controls(), after="#answer-status")
        self.refresh_bindings()  # the footer came after the focus that lists the keys
        self.call_after_refresh(self.host.controls_painted)
        if looks_like_markdown(self.question.question):
            from textual.widgets import Markdown

            plain = self.query_one("#question-text", Static)
            pane = self.query_one("#question-pane", VerticalScroll)
            pane.mount(
                Markdown(
                    visible(self.question.question),
                    id="question-markdown",
                    classes="question-body",
                ),
                after=plain,
            )
            plain.remove()

    # --- time -------------------------------------------------------------------------------

    @property
    def elapsed(self) -> float:
        return self._clock.elapsed if self._clock is not None else self.elapsed_before

    def on_screen_suspend(self) -> None:
        """A dialog (quit, empty answer, help) covers the question: the clock stops meanwhile."""
        if self._clock is not None:
            self._clock.pause()

    def on_screen_resume(self) -> None:
        if self._clock is not None:
            self._clock.resume()

    @on(QuestionClock.TimeUp)
    def _time_up(self) -> None:
        if not self.grading and not self._finished:
            self.notify("Time is up: your answer was submitted.", title="Time")
            self.action_submit(confirm_empty=False)

    # --- typing and drafts --------------------------------------------------------------------

    @on(TextArea.Changed, "#answer")
    def _answer_changed(self) -> None:
        self.words = word_count(self.answer_text)
        if self._save_timer is None:
            self._save_timer = self.set_timer(self.host.settings.autosave_seconds, self.save_draft)

    def watch_words(self, words: int) -> None:
        self.query_one("#words", Static).update(f"{words} word{'s' if words != 1 else ''}")

    @property
    def answer_text(self) -> str:
        # a kept reference: on unmount the editor is already detached from the screen
        return self._editor.text if self._editor is not None else ""

    def save_draft(self) -> None:
        """Write the editor to the drafts table: by the autosave timer, on quit, on leaving."""
        self._save_timer = None
        session = self.host.session
        if self._finished or session is None or session.id != self._session_id:
            return
        if session.current_id != self.question.id:
            return
        self.host.save_draft(self.question.id, self.answer_text, self.started_at, self.hints)

    def on_unmount(self) -> None:
        """Leaving for another screen (say a new session from the palette) keeps the draft."""
        self.save_draft()

    def waiting_for_store(self) -> None:
        """The answer is graded but the database refused it for now (locked, full): the app
        retries in the background and shows the result once it is in; the answer stays, and
        escape stops waiting (the answer goes back to the editor, saved as a draft)."""
        self._waiting_for_store = True
        self.grading = True
        self.query_one("#grading-status", Static).update(
            "Saving… the database is busy; retrying (escape stops waiting; the answer is kept)"
        )

    def action_cancel_grading(self) -> None:
        if self._waiting_for_store:
            self._waiting_for_store = False
            self._finished = False
            self.host.keep_answering()
        super().action_cancel_grading()

    # --- submit, skip, grading ------------------------------------------------------------------

    @on(Button.Pressed, "#submit")
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#skip")
    def _skip_pressed(self) -> None:
        self.action_skip()

    @on(Button.Pressed, "#hint")
    def _hint_pressed(self) -> None:
        self.action_hint()

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        self._grading_worker_changed(event)

    def action_external_editor(self) -> None:
        """Write the answer in $VISUAL / $EDITOR; what it saves comes back here. The draft is
        saved first, and a missing or failing editor leaves the answer as it was."""
        from mockinterview.tui.external_editor import EditorError, edit_in_editor

        editor = self._editor
        if self.grading or self._finished or editor is None:
            return
        self.save_draft()
        try:
            edited = edit_in_editor(self.app, editor.text)
        except EditorError as exc:
            self.notify(str(exc), title="Editor", severity="error", timeout=10, markup=False)
            return
        finally:
            self.refresh()
        if edited != editor.text:
            editor.replace(editable(edited), editor.document.start, editor.document.end)
            editor.move_cursor(editor.document.end)
            self.save_draft()

    def action_leave(self) -> None:
        """Back one step: an untouched retry goes back to the review; else asks first."""
        from mockinterview.tui.leaving import leave_question

        leave_question(self)

    def _stop_autosave(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
            self._save_timer = None
