"""The start screen's form and topic table: what a session is made of before it starts."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable, Input, Select
from textual.widgets._select import InvalidSelectValueError, SelectCurrent

from mockinterview.store import Store
from tui_helpers import build_app

SIZE = (100, 30)


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


async def test_tab_order_visible_focus_and_no_blank_choices() -> None:
    app = build_app(Store.open(":memory:"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert app.focused.id == "topics"  # arrows and enter start a topic, as the tip says
        order = screen.query_one("#order", Select)
        before = order.query_one(SelectCurrent).styles.background
        stops = []
        for _ in range(2):
            await pilot.press("tab")
            await pilot.pause()
            stops.append(app.focused.id)
        assert stops == ["mode", "topic"]  # no invisible stop in between
        order.focus()
        await pilot.pause()
        after = order.query_one(SelectCurrent).styles.background
        assert abs(before.brightness - after.brightness) > 0.1, (before, after)  # plainly seen
        for select_id in ("mode", "order", "grader"):
            with pytest.raises(InvalidSelectValueError):
                screen.query_one(f"#{select_id}", Select).clear()  # no blank "Select" entry


async def test_done_column_counts_answered_questions_not_skips() -> None:
    store = Store.open(":memory:")
    session = store.start_session(["ml-001", "ml-002"], {"mode": "all"})
    store.record_attempt(
        question_id="ml-001", answer="", grade=None, rubric_hash=None,
        started_at="2026-03-01T09:00:00+00:00", seconds=1.0, session_id=session, hints=[],
        skipped=True,
    )  # fmt: skip
    store.finish_session(session)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#topics", DataTable)
        row = table.get_row("machine-learning")
        assert str(row[2]) == "0"  # skipped is not done
        assert str(row[3]) != "never"  # but it was practised
