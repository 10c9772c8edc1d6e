"""Every screen at 80x24, started there and after a resize from 100x30 (issue 16): nothing cut
that a reader needs, every footer key on screen. SVG snapshots (update with --snapshot-update
only after reading the new SVG's text).

Deterministic: the fixed banks of the helpers, in-memory stores, frozen clocks, a fixed seed,
history at pinned times and no blinking cursor.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest
from textual.widgets import TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from test_review_support import TinyBank, history, review_app
from tui_helpers import build_app, wait_until, workers_done

NOW = datetime(2026, 3, 6, 12, tzinfo=UTC)
ANSWER = "High bias makes a model underfit, and high variance makes it overfit."
Step = Callable[[Any], Awaitable[None]]


async def _still(pilot: Any) -> None:
    for editor in pilot.app.screen.query(TextArea):
        editor.cursor_blink = False
    await pilot.pause()


async def _nothing(pilot: Any) -> None:
    await pilot.pause()


async def _answered(pilot: Any) -> None:
    await pilot.pause()
    pilot.app.screen.query_one("#answer", TextArea).text = ANSWER
    await pilot.press("ctrl+s")
    await workers_done(pilot)
    await pilot.press("r")  # the reference answer too


async def _summary(pilot: Any) -> None:
    await pilot.pause()
    for _ in range(3):
        await pilot.press("ctrl+n")
        await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


async def _help(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press("f1")
    await pilot.pause()


async def _attempt(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press("down", "down", "enter")
    await pilot.pause()


async def _compare(pilot: Any) -> None:
    await pilot.pause()
    await pilot.press("down", "down", "c", "down", "down", "c")
    await pilot.pause()


async def _progress(pilot: Any) -> None:
    await wait_until(pilot, lambda: getattr(pilot.app.screen, "ready", False), "the figures")
    await pilot.pause()


def _start_app() -> Any:
    store = Store.open(":memory:")
    plan = SessionPlan(mode="topic", topic="machine-learning", count=2, time_limit=300)
    store.start_session(["ml-001", "ml-002"], plan.to_settings())
    store.conn.execute("UPDATE sessions SET started_at = '2026-01-02T09:30:00+00:00'")
    return build_app(store)


def _review_app(screen: str = "review") -> Any:
    store = Store.open(":memory:")
    history(store)
    if screen == "progress":
        return review_app(store, TinyBank(), screen="progress", now=NOW)
    return review_app(store, TinyBank())


SCREENS: dict[str, tuple[Callable[[], Any], Step]] = {
    "start": (_start_app, _nothing),
    "question": (lambda: build_app(plan=SessionPlan(mode="all", time_limit=300)), _still),
    "result": (lambda: build_app(plan=SessionPlan(mode="all")), _answered),
    "summary": (lambda: build_app(plan=SessionPlan(mode="all")), _summary),
    "help": (_start_app, _help),
    "review": (_review_app, _nothing),
    "attempt": (_review_app, _attempt),
    "compare": (_review_app, _compare),
    "progress": (lambda: _review_app("progress"), _progress),
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_screen_at_80x24(snap_compare: Any, screen: str) -> None:
    make, step = SCREENS[screen]
    assert snap_compare(make(), terminal_size=(80, 24), run_before=step)


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_screen_after_a_resize_from_100x30_to_80x24(snap_compare: Any, screen: str) -> None:
    make, step = SCREENS[screen]

    async def resized(pilot: Any) -> None:
        await step(pilot)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()

    assert snap_compare(make(), terminal_size=(100, 30), run_before=resized)
