"""An unfinished session is offered back: described on the start screen, asked about before a
new one replaces it, and resumed with its draft."""

from __future__ import annotations

from textual.widgets import TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.screens.choice import ChoiceScreen
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.start import StartScreen
from tui_helpers import build_app, text_of

SIZE = (100, 30)


def _unfinished_with_draft(store: Store) -> int:
    """A session quit at its second question with a draft, as a quit would leave it."""
    session_id = store.start_session(["ml-001", "ml-002"], {"mode": "all"})
    store.advance_session(session_id, 1)
    store.save_draft(session_id, "ml-002", "my half answer", "2026-11-23T18:00:00+00:00", [])
    return session_id


async def test_starting_a_new_session_asks_about_the_unfinished_one() -> None:
    store = Store.open(":memory:")
    old = _unfinished_with_draft(store)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "Discard the unfinished session" in text_of(app, "#choice-message")
        await pilot.press("escape")  # cancel: nothing changes
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        assert store.session(old).status == "active"
        assert len(store.sessions()) == 1

        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("r")  # resume: back to the draft
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.id == old
        assert app.screen.query_one("#answer", TextArea).text == "my half answer"

        app.show_start()
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("d")  # discard and start
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.id != old
    assert store.session(old).status == "abandoned"


async def test_a_new_session_from_the_palette_mid_question_asks_and_resume_keeps_typing() -> None:
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"), autosave_seconds=30)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        question = app.screen
        question.query_one("#answer", TextArea).text = "not yet saved"
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title == "Practise the weakest"
        )
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("r")
        await pilot.pause()
        assert app.screen is question
        assert question.query_one("#answer", TextArea).text == "not yet saved"


async def test_resume_bar_describes_a_retry_and_fits_on_one_line() -> None:
    store = Store.open(":memory:")
    app = build_app(store, plan=SessionPlan(mode="all", time_limit=60))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.press("ctrl+n")  # skip all three: all weak
            await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        retry_id = app.session.id
    again = build_app(store)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.resumable().id == retry_id
        offer = text_of(again, "#resume-text")
        assert "retry of 3 questions" in offer
        assert "question 1 of 3" in offer
        assert again.screen.query_one("#resume-text").size.height == 1
        assert "question 1 of 3" in str(again.screen.query_one("#resume-text").render_line(0))
