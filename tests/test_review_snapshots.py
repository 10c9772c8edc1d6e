"""The look of the review, attempt, comparison and progress screens (SVG snapshots; update
with --snapshot-update). A fixed, old history and a frozen clock keep them deterministic."""

from __future__ import annotations

from datetime import UTC, datetime

from mockinterview.store import Store
from test_review_support import TinyBank, history, review_app

NOW = datetime(2026, 3, 6, 12, tzinfo=UTC)


def _app(screen: str = "review") -> object:
    store = Store.open(":memory:")
    history(store)
    if screen == "progress":
        return review_app(store, TinyBank(), screen="progress", now=NOW)
    return review_app(store, TinyBank())


def test_review_screen(snap_compare) -> None:
    assert snap_compare(_app(), terminal_size=(100, 20))


def test_review_screen_filtered_and_sorted_by_score(snap_compare) -> None:
    async def narrow(pilot) -> None:
        await pilot.pause()
        await pilot.press("slash", *"topic:deep", "enter", "down", "s", "s", "s", "s")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(100, 20), run_before=narrow)


def test_attempt_detail(snap_compare) -> None:
    async def open_attempt(pilot) -> None:
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(100, 40), run_before=open_attempt)


def test_compare_screen(snap_compare) -> None:
    async def compare(pilot) -> None:
        await pilot.pause()
        await pilot.press("down", "down", "c", "down", "down", "c")
        await pilot.pause()

    assert snap_compare(_app(), terminal_size=(100, 30), run_before=compare)


def test_progress_screen(snap_compare) -> None:
    async def settled(pilot) -> None:
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(_app("progress"), terminal_size=(110, 40), run_before=settled)
