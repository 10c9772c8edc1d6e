"""The interview app. It owns the bank, the store, the graders and the running session; the
screens ask it to move on. Build it with `make_app` (the CLI, the tests and the bench do)."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from mockinterview.tui.plan import PlanError, SessionPlan, choose_questions
from mockinterview.tui.session import InterviewSession
from mockinterview.tui.settings import DARK_THEME, LIGHT_THEME, AppSettings, write_theme

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.models import Grade, Grader, Question
    from mockinterview.store import Session, Store

GraderFactory = Callable[[str], "Grader"]


class MockInterviewApp(App[None]):
    """A mock interview: start screen, questions, results, summary."""

    CSS_PATH = "app.tcss"
    TITLE = "mockinterview"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("f2", "toggle_theme", "Theme"),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self, bank: Bank, store: Store, grader_factory: GraderFactory, settings: AppSettings
    ) -> None:
        super().__init__()
        self.bank = bank
        self.store = store
        self.settings = settings
        self._grader_factory = grader_factory
        self._graders: dict[str, Grader] = {}
        self.session: InterviewSession | None = None
        self._painted = False
        self._controls_painted = False
        self.theme = settings.theme

    # --- start-up ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        plan = self.settings.plan
        if plan is None or not self.start_plan(plan):
            self.show_start()

    def question_painted(self) -> None:
        """The first question is on screen: the bench's stopwatch stops here."""
        if self._painted:
            return
        self._painted = True
        self._mark("question")

    def controls_painted(self) -> None:
        """Buttons and footer are on screen too: the app is fully usable."""
        if not self._controls_painted:
            self._controls_painted = True
            self._mark("controls")
            self.run_worker(self._warm_grader, thread=True, group="warm")

    def _mark(self, what: str) -> None:
        """Bench: append `what wall-clock cpu-seconds` to the marker file, if one was asked for."""
        marker = self.settings.ready_marker
        if marker is not None:
            with contextlib.suppress(OSError), marker.open("a", encoding="utf-8") as out:
                out.write(f"{what} {time.time():.6f} {time.process_time():.6f}\n")

    def _warm_grader(self) -> None:
        """Import the grader while the candidate reads, so the first submit is not slower."""
        with contextlib.suppress(Exception):
            self.grader(self.session.plan.grader if self.session else "offline")

    def grader(self, kind: str) -> Grader:
        """The grader of that kind, built once (lazily: openai costs half a second)."""
        if kind not in self._graders:
            self._graders[kind] = self._grader_factory(kind)
        return self._graders[kind]

    # --- sessions ---------------------------------------------------------------------------

    def resumable(self) -> Session | None:
        session = self.store.resumable_session()
        if session is None or session.position >= len(session.question_ids):
            return None
        return session

    def start_plan(self, plan: SessionPlan) -> bool:
        """Start a session from a plan; False (with a notice) when nothing matches."""
        rng = random.Random(self.settings.seed)
        try:
            ids = choose_questions(plan, self.bank, self.store, rng)
        except PlanError as exc:
            self.notify(f"Nothing to practise: {exc}.", severity="warning", timeout=6)
            return False
        self.start_session(ids, plan)
        return True

    def start_session(self, question_ids: list[str], plan: SessionPlan | None = None) -> None:
        """Start a session of these questions (used by retry and by the review screens)."""
        ids = [qid for qid in question_ids if self.bank.get(qid) is not None]
        if not ids:
            self.notify("None of those questions is in the bank.", severity="warning")
            return
        if plan is None:
            previous = self.session.plan if self.session else SessionPlan()
            plan = SessionPlan(grader=previous.grader, time_limit=previous.time_limit)
        self.session = InterviewSession.start(self.store, ids, plan)
        self.show_current()

    def resume_session(self, session_id: int) -> None:
        session = InterviewSession.resume(self.store, session_id)
        if session is None:
            self.notify("That session can no longer be resumed.", severity="warning")
            return
        self.session = session
        self.show_current()

    def discard_session(self, session_id: int) -> None:
        self.store.finish_session(session_id, status="abandoned")
        self.notify("The unfinished session was discarded.")

    def show_start(self) -> None:
        from mockinterview.tui.screens.start import StartScreen

        self._show(StartScreen())

    def show_current(self) -> None:
        """The question the session is at, or its summary when done."""
        session = self.session
        if session is None:
            self.show_start()
            return
        while not session.finished and self.bank.get(session.current_id or "") is None:
            # the bank lost a question since the session began: record it as skipped, move on
            session.record(
                answer="",
                grade=None,
                rubric_hash=None,
                started_at=_now(),
                seconds=0.0,
                hints=[],
                skipped=True,
            )
        if session.finished:
            from mockinterview.tui.screens.summary import SummaryScreen

            self._show(SummaryScreen(session))
            return
        self._show(self._question_screen(session))

    def _question_screen(self, session: InterviewSession) -> Screen[None]:
        from mockinterview.tui.screens.question import QuestionScreen

        question_id = session.current_id or ""
        draft = self.store.draft(session.id, question_id)
        started_at, elapsed, text, hints = _now(), 0.0, "", []
        if draft is not None:
            started_at, text, hints = draft.started_at, draft.text, draft.hints
            elapsed = _seconds_between(draft.started_at, draft.updated_at)
        return QuestionScreen(
            self.bank.questions[question_id],
            number=session.position + 1,
            total=session.total,
            draft_text=text,
            hints=hints,
            started_at=started_at,
            elapsed_before=elapsed,
            time_limit=session.plan.time_limit,
        )

    def _show(self, screen: Screen[Any]) -> None:
        # Only the base screen plus one: modals on top are closed by their own flow.
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def save_draft(self, question_id: str, text: str, started_at: str, hints: list[str]) -> None:
        if self.session is None:
            return
        from mockinterview.store import StoreError

        try:
            self.store.save_draft(self.session.id, question_id, text, started_at, hints)
        except StoreError as exc:
            self.notify(f"Draft not saved: {exc}", severity="error", timeout=8)

    def record_and_show_result(
        self, question: Question, answer: str, grade: Grade, facts: dict[str, Any]
    ) -> bool:
        """Store the graded attempt and show it; False (with a notice) if it was not stored."""
        from mockinterview.tui.screens.result import ResultScreen

        session = self.session
        if session is None:
            return False
        rubric = self._rubric(question.id)
        number = session.position + 1
        if not self._record(answer=answer, grade=grade, rubric=rubric, facts=facts):
            return False
        self._show(
            ResultScreen(question, answer, grade, rubric, number=number, total=session.total)
        )
        return True

    def record_skip(self, question: Question, answer: str, facts: dict[str, Any]) -> None:
        if self._record(answer=answer, grade=None, rubric=None, facts=facts, skipped=True):
            self.notify(f"Skipped: {question.title}")
            self.show_current()

    def _record(
        self,
        *,
        answer: str,
        grade: Grade | None,
        rubric: Any,
        facts: dict[str, Any],
        skipped: bool = False,
    ) -> bool:
        from mockinterview.store import StoreError

        assert self.session is not None
        try:
            self.session.record(
                answer=answer,
                grade=grade,
                rubric_hash=rubric.content_hash if rubric is not None else None,
                started_at=str(facts["started_at"]),
                seconds=float(facts["seconds"]),
                hints=list(facts["hints"]),
                skipped=skipped,
            )
        except StoreError as exc:
            self.notify(f"Could not save the attempt: {exc}", severity="error", timeout=10)
            return False
        return True

    def _rubric(self, question_id: str) -> Any:
        try:
            return self.bank.rubric_for(question_id)
        except Exception:
            return None

    # --- actions ----------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key."""
        from mockinterview.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme (remembered)."""
        self.theme = LIGHT_THEME if self.theme == DARK_THEME else DARK_THEME
        write_theme(self.settings.theme_file, self.theme)

    async def action_quit(self) -> None:
        """Quit; during a session ask first: the session and the draft stay resumable."""
        from mockinterview.tui.screens.confirm import ConfirmScreen
        from mockinterview.tui.screens.question import QuestionScreen

        for screen in self.screen_stack:
            if isinstance(screen, QuestionScreen):
                screen.save_draft()
        if self.session is None or self.session.finished:
            self.exit()
            return
        if isinstance(self.screen, ConfirmScreen):
            return

        def decided(quit_now: bool | None) -> None:
            if quit_now:
                self.exit()

        self.push_screen(
            ConfirmScreen(
                "Quit now? The session and your draft are kept: "
                "start mockinterview again to resume.",
                "Quit",
                "Stay",
            ),
            decided,
        )

    def action_open(self, which: str) -> None:
        """Open the review or the progress screen (built by the review module)."""
        try:
            if which == "review":
                from mockinterview.tui.screens.review import ReviewScreen as Opened
            else:
                from mockinterview.tui.screens.progress import ProgressScreen as Opened
        except ImportError:
            self.notify(f"The {which} screen is not available yet.", severity="warning")
            return
        self.push_screen(Opened(self.store, self.bank))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("New session", "Back to the start screen", self.show_start)
        yield SystemCommand(
            "Practise the weakest",
            "Five questions never tried or scored lowest",
            lambda: self.start_plan(SessionPlan(mode="weakest", count=5)),
        )
        yield SystemCommand(
            "Review attempts", "Every past answer and its grade", lambda: self.action_open("review")
        )
        yield SystemCommand(
            "Progress", "Scores by topic over time", lambda: self.action_open("progress")
        )
        yield SystemCommand("Toggle theme", "Light or dark", self.action_toggle_theme)
        yield SystemCommand("Help", "Every key of the app", self.action_help)
        yield from super().get_system_commands(screen)


def _now() -> str:
    from mockinterview.store import now_iso

    return now_iso()


def _seconds_between(start: str, end: str) -> float:
    try:
        return max(
            0.0, (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
        )
    except ValueError:
        return 0.0


def make_app(
    *,
    bank: Bank,
    store: Store,
    grader: Grader | None = None,
    grader_factory: GraderFactory | None = None,
    settings: AppSettings | None = None,
) -> MockInterviewApp:
    """The app with its dependencies injected: one `grader` for every kind (tests), or a
    factory called with "offline" / "llm" the first time each is needed."""
    settings = settings or AppSettings()
    if grader is not None:
        fixed = grader

        def factory(kind: str) -> Grader:
            return fixed
    elif grader_factory is not None:
        factory = grader_factory
    else:

        def factory(kind: str) -> Grader:
            from mockinterview.grading.factory import make_grader

            return make_grader(
                kind,
                llm_model=settings.llm_model,
                llm_base_url=settings.llm_base_url,
                store=store,
            )

    return MockInterviewApp(bank, store, factory, settings)
