"""What a screen may ask of the app: the `AppHost` protocol.

Screens and widgets never import `tui.app` or `tui.flow` (import-linter checks it, see
docs/ARCHITECTURE.md): they reach the app's own state and moves through `self.host`, typed by
`AppHost`, and Textual's API (push a screen, exit) through `self.app` as usual. mypy checks that
`MockInterviewApp` offers everything named here (see the end of `tui.app`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol, TypedDict, cast

if TYPE_CHECKING:
    from textual.app import App
    from textual.screen import Screen

    from mockinterview.bank import Bank
    from mockinterview.models import Grade, Grader, Question, Rubric
    from mockinterview.practice.followup import FollowUp, FollowUpOutcome
    from mockinterview.practice.plan import SessionPlan
    from mockinterview.practice.session import InterviewSession
    from mockinterview.store import Session, Store
    from mockinterview.tui.settings import AppSettings

    ScreenBase = Screen[Any]  # the type checker sees a Screen: Textual's API typed as Textual's
else:
    ScreenBase = object  # at run time the screen class brings Screen itself


class AttemptFacts(TypedDict):
    """What the question screen hands over with an answer, besides the answer and its grade."""

    started_at: str
    seconds: float
    hints: list[str]


class SessionHost(Protocol):
    """The running session and every move between screens of a session (`tui.flow`)."""

    session: InterviewSession | None

    def resumable(self) -> Session | None: ...

    def start_plan(self, plan: SessionPlan) -> bool: ...

    def start_session(
        self, question_ids: list[str], plan: SessionPlan | None = None, *, confirmed: bool = False
    ) -> None: ...

    def resume_session(self, session_id: int) -> None: ...

    def discard_session(self, session_id: int) -> None: ...

    def show_start(self) -> None: ...

    def show_current(self) -> None: ...

    def save_draft(
        self, question_id: str, text: str, started_at: str, hints: list[str]
    ) -> None: ...

    def save_follow_up_draft(
        self, question_id: str, attempt_id: int, follow_up: FollowUp, text: str, seconds: float
    ) -> None: ...

    def record_and_show_result(
        self, question: Question, answer: str, grade: Grade, facts: AttemptFacts
    ) -> bool: ...

    def record_skip(self, question: Question, answer: str, facts: AttemptFacts) -> None: ...

    def finish_follow_up(
        self,
        question: Question,
        answer: str,
        grade: Grade,
        outcome: FollowUpOutcome,
        *,
        attempt_id: int,
        number: int,
    ) -> None: ...

    def keep_answering(self) -> None: ...

    def rubric_and_warnings(self, question_id: str) -> tuple[Rubric, list[str]]: ...

    def forget_rubric(self, question_id: str) -> None: ...


class AppHost(SessionHost, Protocol):
    """Everything screens and widgets use of the app beyond Textual's own API."""

    bank: Bank
    store: Store
    settings: AppSettings

    def grader(self, kind: str) -> Grader: ...

    def grader_configured(
        self, model: str | None, base_url: str | None, preset: str | None
    ) -> None: ...

    def controls_painted(self) -> None: ...


def host_of(app: App[Any]) -> AppHost:
    """The running app seen as a host (the one place that says so without proof: Textual
    types `Screen.app` as a plain App; mypy checks `MockInterviewApp` against `AppHost`)."""
    return cast("AppHost", app)


class HostedScreen(ScreenBase):
    """Mixed into a screen (or a screen's mixin): gives it `host`, the app as `AppHost`.

    To the type checker this is a Screen, so a mixin built on it sees `notify`, `query_one`,
    `run_worker`... with Textual's own signatures; at run time it is a plain mixin."""

    @property
    def host(self) -> AppHost:
        return host_of(self.app)


def offline_grader(app: App[Any]) -> Grader:
    """The app's offline grader when it has one (already warm), else a fresh one: the review
    screens also run under hosts that build no graders (their tests)."""
    maker = getattr(app, "grader", None)
    if callable(maker):
        try:
            return cast("Grader", maker("offline"))
        except Exception:  # an app without graders still re-grades, with a fresh one
            pass
    from mockinterview.grading.factory import make_grader

    return make_grader("offline")
