"""What helps while answering a question: hints name each uncovered point once, and the
question's clock stops while a dialog covers it."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from mockinterview.tui.screens.confirm import ConfirmScreen
from tui_helpers import build_app, workers_done

SIZE = (100, 30)


async def test_hints_name_each_uncovered_point_once_then_say_none_is_left() -> None:
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"))
    async with app.run_test(size=(50, 30)) as pilot:
        await pilot.pause()
        app.screen.query_one("#answer", TextArea).text = "models underfit"  # p1 hit
        await pilot.pause()
        for _ in range(3):
            await pilot.press("ctrl+t")
            await workers_done(pilot)  # each hint is found in a thread
        assert app.screen.hints == ["p2", "p3"]
        messages = [n.message for n in app._notifications]
        assert messages == ["No new hint: the 2 points not yet covered are named below."]
        hint = app.screen.query_one("#hint-text", Static)
        assert hint.size.height >= 2  # wrapped, not cut off
        shown = " ".join(str(hint.render_line(y)).strip() for y in range(hint.size.height))
        assert "The trade-off" in shown


async def test_question_clock_stops_while_the_quit_dialog_is_open() -> None:
    now = [1000.0]
    app = build_app(Store.open(":memory:"), plan=SessionPlan(mode="all"), clock=lambda: now[0])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        question = app.screen
        now[0] += 10
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        now[0] += 100  # thinking about quitting does not count
        await pilot.press("n")
        await pilot.pause()
        now[0] += 5
        assert abs(question.elapsed - 15) < 0.01
