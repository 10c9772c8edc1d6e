"""Pilot tests of the QA defects fixed in the TUI (one test per defect, most important first)."""

from __future__ import annotations

from textual.widgets import Input, Select, Static, TextArea

from mockinterview.store import Store
from mockinterview.tui.plan import SessionPlan
from mockinterview.tui.screens.choice import ChoiceScreen
from mockinterview.tui.screens.question import QuestionScreen
from mockinterview.tui.screens.start import StartScreen
from tui_helpers import build_app

SIZE = (100, 30)


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def _unfinished_with_draft(store: Store) -> int:
    """A session quit at its second question with a draft, as a quit would leave it."""
    session_id = store.start_session(["ml-001", "ml-002"], {"mode": "all"})
    store.advance_session(session_id, 1)
    store.save_draft(session_id, "ml-002", "my half answer", "2026-11-23T18:00:00+00:00", [])
    return session_id


async def test_starting_a_new_session_asks_about_the_unfinished_one() -> None:
    store = Store.open(":memory:")
    old = await _unfinished_with_draft(store)
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


async def test_all_questions_in_bank_order_with_a_count_takes_the_first() -> None:
    for seed in range(6):
        app = build_app(Store.open(":memory:"))
        app.settings.seed = seed
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            app.screen.query_one("#count", Input).value = "1"
            assert app.screen.query_one("#order", Select).value == "bank"
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert app.session.question_ids == ["ml-001"], seed


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


async def test_start_screen_tab_order_visible_focus_and_no_blank_choices() -> None:
    import pytest
    from textual.widgets._select import InvalidSelectValueError, SelectCurrent

    app = build_app(Store.open(":memory:"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert app.focused.id == "start"
        order = screen.query_one("#order", Select)
        before = order.query_one(SelectCurrent).styles.background
        stops = []
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            stops.append(app.focused.id)
        assert stops == ["topics", "mode", "topic"]  # no invisible stop in between
        order.focus()
        await pilot.pause()
        after = order.query_one(SelectCurrent).styles.background
        assert abs(before.brightness - after.brightness) > 0.1, (before, after)  # plainly seen
        for select_id in ("mode", "order", "grader"):
            with pytest.raises(InvalidSelectValueError):
                screen.query_one(f"#{select_id}", Select).clear()  # no blank "Select" entry
