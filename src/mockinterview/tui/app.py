"""The interview app. It owns the bank, the store, the graders and the running session; the
screens ask it to move on. Build it with `make_app` (the CLI, the tests and the bench do)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from mockinterview.practice.plan import SessionPlan
from mockinterview.practice.session import InterviewSession
from mockinterview.tui.flow import SessionFlow
from mockinterview.tui.saving import BUSY_TIMEOUT, PendingSaves
from mockinterview.tui.settings import DARK_THEME, LIGHT_THEME, AppSettings, write_theme

if TYPE_CHECKING:
    from mockinterview.bank import Bank
    from mockinterview.models import Grader
    from mockinterview.store import Store
    from mockinterview.tui.host import AppHost

GraderFactory = Callable[[str], "Grader"]


class MockInterviewApp(SessionFlow, App[None]):
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
        if getattr(bank, "overlays_root", False) is None:  # not set by the command line
            from mockinterview import locations
            from mockinterview.rubrics.overlay import overlays_dir

            data = store.path.parent if store.path is not None else locations.data_dir()
            bank.overlays_root = overlays_dir(data)
        self._grader_factory = grader_factory
        self._graders: dict[str, Grader] = {}
        self.session: InterviewSession | None = None
        self.saves = PendingSaves(self, store)  # writes the store refused, retried
        store.set_busy_timeout(BUSY_TIMEOUT)  # a held lock never freezes the screen
        self._controls_painted = False
        if settings.theme in self.available_themes:  # a theme since removed: the default
            self.theme = settings.theme

    # --- start-up ---------------------------------------------------------------------------

    def on_mount(self) -> None:
        from mockinterview.tui.signals import install_exit_signals

        install_exit_signals(self)  # SIGTERM / SIGHUP: save the draft, exit cleanly
        if not self.store_readable():
            return  # a damaged store: the app ends with its message, no screen built on it
        # any theme, from f2 or from the palette's theme list, is the one next time
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        plan = self.settings.plan
        if plan is None or not self.start_plan(plan):
            self.show_start()

    def on_unmount(self) -> None:
        """The app is ending (ctrl+q, a signal, an error): the screens have saved their drafts;
        what the store still refuses gets a last try, else goes to a file named on exit."""
        from mockinterview.tui.signals import restore_exit_signals

        restore_exit_signals()
        unsaved = self.saves.flush()
        if unsaved:
            self.exit(
                return_code=1,
                message=f"mockinterview: {self.store.path or 'the database'} could not be "
                f"written, so {' and '.join(unsaved)} did not reach it.",
            )

    def _handle_exception(self, error: Exception) -> None:
        """The last net: a store that fails where nothing caught it ends the app with its
        message and exit code 1, never a traceback (any other error is Textual's to show)."""
        import sqlite3

        from mockinterview.errors import MockInterviewError

        cause: BaseException | None = error
        while cause is not None and not isinstance(
            cause, (MockInterviewError, sqlite3.DatabaseError)
        ):
            cause = getattr(cause, "error", None) or cause.__cause__  # WorkerFailed: `error`
        if cause is None:
            super()._handle_exception(error)
            return
        with contextlib.suppress(Exception):
            for screen in self.screen_stack:
                save = getattr(screen, "save_draft", None)
                if callable(save):
                    save()
        self.exit(return_code=1, message=f"mockinterview: {cause}")

    def controls_painted(self) -> None:
        """Buttons and footer are on screen too: the app is fully usable."""
        if not self._controls_painted:
            self._controls_painted = True
            self.run_worker(self._warm_grader, thread=True, group="warm")

    def _warm_grader(self) -> None:
        """Import the grader and read the rubric files while the candidate reads, so the first
        submit is not slower."""
        with contextlib.suppress(Exception):
            self.bank.rubrics  # noqa: B018  (read on first use)
            self.grader(self.session.plan.grader if self.session else "offline")

    def grader(self, kind: str) -> Grader:
        """The grader of that kind, built once (lazily: openai costs half a second)."""
        if kind not in self._graders:
            self._graders[kind] = self._grader_factory(kind)
        return self._graders[kind]

    def grader_configured(
        self, model: str | None, base_url: str | None, preset: str | None
    ) -> None:
        """The grader settings screen saved an endpoint: the LLM grader is offered (and the
        start form's default) from now on, built afresh with it when next needed."""
        settings = self.settings
        settings.llm_model, settings.llm_base_url, settings.llm_preset = model, base_url, preset
        settings.llm_available, settings.grader = True, "llm"
        self._graders.pop("llm", None)

    def action_grader_settings(self) -> None:
        """Pick a local server and model, or type an endpoint; test it; save it."""
        from mockinterview.tui.screens.grader_settings import GraderSettingsScreen

        if not isinstance(self.screen, GraderSettingsScreen):
            self.push_screen(GraderSettingsScreen())

    # --- actions ----------------------------------------------------------------------------

    def action_help(self) -> None:
        """Show every key."""
        from mockinterview.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        """Switch between the light and the dark theme (remembered, see `_remember_theme`)."""
        self.theme = LIGHT_THEME if self.current_theme.dark else DARK_THEME

    def _remember_theme(self, theme: object) -> None:
        write_theme(self.settings.theme_file, self.theme)

    async def action_quit(self) -> None:
        """Quit; during a session ask first: the session and the draft stay resumable."""
        from mockinterview.tui.screens.confirm import ConfirmScreen
        from mockinterview.tui.screens.follow_up import FollowUpScreen
        from mockinterview.tui.screens.question import QuestionScreen

        for screen in self.screen_stack:
            if isinstance(screen, QuestionScreen | FollowUpScreen):
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
        opened: Screen[None]
        try:
            if which == "review":
                from mockinterview.tui.screens.review import ReviewScreen

                opened = ReviewScreen(self.store, self.bank)
            else:
                from mockinterview.tui.screens.progress import ProgressScreen

                opened = ProgressScreen(self.store, self.bank)
        except ImportError:
            self.notify(f"The {which} screen is not available yet.", severity="warning")
            return
        self.push_screen(opened)

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        yield SystemCommand("New session", "Back to the start screen", self.show_start)
        yield SystemCommand(
            "Practise the weakest",
            "Five questions never tried or scored lowest",
            lambda: self.start_plan(
                SessionPlan(mode="weakest", count=5, follow_ups=self.settings.follow_ups)
            ),
        )
        yield SystemCommand(
            "Review attempts", "Every past answer and its grade", lambda: self.action_open("review")
        )
        yield SystemCommand(
            "Progress", "Scores by topic over time", lambda: self.action_open("progress")
        )
        yield SystemCommand(
            "Grader settings",
            "Pick a local model server, or type an endpoint; test it and save it",
            self.action_grader_settings,
        )
        yield SystemCommand("Toggle theme", "Light or dark", self.action_toggle_theme)
        yield SystemCommand("Help", "Every key of the app", self.action_help)
        for command in super().get_system_commands(screen):
            if command.title != "Keys":  # Help above lists every key, with what it does
                yield command


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
    factory: GraderFactory
    if grader is not None:
        fixed = grader

        def fixed_factory(kind: str) -> Grader:
            return fixed

        factory = fixed_factory
    elif grader_factory is not None:
        factory = grader_factory
    else:

        def made_factory(kind: str) -> Grader:
            from mockinterview.grading.factory import make_grader

            return make_grader(
                kind,
                llm_model=settings.llm_model,
                llm_base_url=settings.llm_base_url,
                llm_preset=settings.llm_preset,
                store=store,
            )

        factory = made_factory

    return MockInterviewApp(bank, store, factory, settings)


if TYPE_CHECKING:

    def _keeps_its_promises(app: MockInterviewApp) -> AppHost:
        """mypy checks here that the app offers all that screens may ask (`tui.host`)."""
        return app
