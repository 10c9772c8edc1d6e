"""The progress screen in the full app: missed points counted right, and "practise what's due"
offering the weakest questions when nothing is due."""

from __future__ import annotations

from datetime import UTC, datetime

from mockinterview.store import Store
from mockinterview.tui.screens.confirm import ConfirmScreen
from mockinterview.tui.screens.progress import ProgressScreen
from mockinterview.tui.screens.question import QuestionScreen
from test_review_support import add_attempt
from tui_helpers import build_app, text_of, wait_for_screen, wait_until

SIZE = (100, 30)


async def _progress_ready(pilot) -> ProgressScreen:
    """Open the progress screen and wait for its figures (computed in a thread)."""
    pilot.app.action_open("progress")
    screen = await wait_for_screen(pilot, ProgressScreen)
    await wait_until(pilot, lambda: screen.ready, "the progress figures")
    return screen


async def test_miss_rate_and_counts_agree() -> None:
    store = Store.open(":memory:")
    add_attempt(store, "ml-001", ["partial", "hit", "hit"], "2026-03-01T09:00:00+00:00")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await _progress_ready(pilot)
        missed = text_of(app, "#progress-missed")
        assert "50%" in missed
        assert "missed 0/1, partly covered 1/1" in missed


async def test_practise_whats_due_with_nothing_due_offers_the_weakest() -> None:
    store = Store.open(":memory:")
    today = datetime.now(UTC).isoformat(timespec="seconds")
    add_attempt(store, "ml-001", ["hit", "hit", "hit"], today)
    add_attempt(store, "ml-002", ["hit", "hit"], today)
    add_attempt(store, "sys-001", ["hit", "miss"], today)
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = await _progress_ready(pilot)
        assert not any(item.is_due(screen.now) for item in screen.queue)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Nothing is due yet" in app.screen.message
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, QuestionScreen)
        assert app.session.question_ids[0] == "sys-001"  # the weakest first
