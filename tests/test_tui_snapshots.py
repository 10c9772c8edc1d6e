"""The look of the key screens, kept as SVG snapshots (update with --snapshot-update).

Deterministic by construction: the fixed bank of tui_helpers, an in-memory store, a frozen
clock, a fixed seed and no blinking cursor.
"""

from __future__ import annotations

from textual.widgets import TextArea

from mockinterview.practice.plan import SessionPlan
from mockinterview.store import Store
from tui_helpers import build_app, workers_done

ANSWER = "High bias makes a model underfit, and high variance makes it overfit."


async def _still_editor(pilot) -> None:
    for editor in pilot.app.screen.query(TextArea):
        editor.cursor_blink = False
    await pilot.pause()


async def _answer_first(pilot) -> None:
    await pilot.pause()
    pilot.app.screen.query_one("#answer", TextArea).text = ANSWER
    await pilot.press("ctrl+s")
    await workers_done(pilot)


def test_start_screen(snap_compare) -> None:
    store = Store.open(":memory:")
    store.start_session(["ml-001", "ml-002"], SessionPlan(mode="topic", topic="ml").to_settings())
    store.conn.execute("UPDATE sessions SET started_at = '2026-01-02T09:30:00+00:00'")
    assert snap_compare(build_app(store), terminal_size=(100, 30))


def test_question_screen(snap_compare) -> None:
    async def typed(pilot) -> None:
        await pilot.pause()
        pilot.app.screen.query_one("#answer", TextArea).text = ANSWER
        await _still_editor(pilot)

    app = build_app(plan=SessionPlan(mode="all"))
    assert snap_compare(app, terminal_size=(100, 30), run_before=typed)


def test_question_screen_at_80x24(snap_compare) -> None:
    app = build_app(plan=SessionPlan(mode="all", time_limit=300))
    assert snap_compare(app, terminal_size=(80, 24), run_before=_still_editor)


def test_result_screen(snap_compare) -> None:
    app = build_app(plan=SessionPlan(mode="all"))
    assert snap_compare(app, terminal_size=(100, 30), run_before=_answer_first)


def test_summary_screen(snap_compare) -> None:
    async def whole_session(pilot) -> None:
        await _answer_first(pilot)
        await pilot.press("enter")
        await pilot.pause()
        pilot.app.screen.query_one("#answer", TextArea).text = "weights"
        await pilot.press("ctrl+s")
        await workers_done(pilot)
        await pilot.press("enter")
        await pilot.pause()
        # the last one is skipped: no toast may linger in the picture
        await pilot.press("ctrl+n")
        pilot.app.clear_notifications()
        await pilot.pause()

    app = build_app(plan=SessionPlan(mode="all"))
    assert snap_compare(app, terminal_size=(100, 30), run_before=whole_session)
