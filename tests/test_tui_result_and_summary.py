"""After answering: the result screen keeps the reference answer's line breaks, and the summary
neither praises nor offers a retry it has no ground for."""

from __future__ import annotations

from textual.widgets import Button, TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.screens.result import ResultScreen
from mockinterview.tui.screens.summary import SummaryScreen
from tui_helpers import build_app, text_of, workers_done

SIZE = (100, 30)


async def test_reference_answer_keeps_its_line_breaks() -> None:
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    app.bank.questions["ml-001"].answer = "(1) Bias underfits.\n(2) Variance overfits."
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#answer", TextArea).text = "underfit"
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        assert isinstance(app.screen, ResultScreen)
        await pilot.press("r")
        await pilot.pause()
        reference = app.screen.query_one("#reference-answer")
        await pilot.pause()
        lines = [
            "".join(seg.text for seg in reference.render_line(y)).strip()
            for y in range(reference.size.height)
        ]
        assert "(1) Bias underfits." in lines
        assert "(2) Variance overfits." in lines


async def test_summary_without_weak_questions_hides_retry_and_w_says_why() -> None:
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="topic", topic="systems"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        app.screen.query_one("#answer", TextArea).text = "split by key to scale writes"
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert not app.screen.query_one("#retry", Button).display
        await pilot.press("w")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert any("Nothing to retry" in n.message for n in app._notifications)


async def test_skipping_to_the_summary_leaves_no_pile_of_notices() -> None:
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.press("ctrl+n")
            await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert not [n for n in app._notifications if n.message.startswith("Skipped")]
        missed = text_of(app, "#summary-missed")
        assert "Well done" not in missed  # nothing was answered: no praise
