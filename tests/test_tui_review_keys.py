"""The review screen's keys in the full app: the comparison mark, the filter box taking text
rather than table keys, and every key shown in the footer at 80 columns."""

from __future__ import annotations

from textual.widgets import Footer, Input, Static
from textual.widgets._footer import FooterKey

from mockinterview.store import Store
from mockinterview.tui.screens.review import AttemptScreen, ReviewScreen
from mockinterview.tui.widgets.attempt_table import AttemptTable
from test_review_support import add_attempt
from tui_helpers import build_app, text_of, wait_until

SIZE = (100, 30)


async def test_compare_mark_clears_and_focus_starts_on_the_table() -> None:
    store = Store.open(":memory:")
    for day in (1, 2, 3):
        add_attempt(store, "ml-001", ["hit", "miss", "miss"], f"2026-03-0{day}T09:00:00+00:00")
    app = build_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _visit in range(2):
            app.action_open("review")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, ReviewScreen)
            assert isinstance(app.focused, AttemptTable)
            await pilot.press("c")
            assert screen.marked is not None
            await pilot.press("c")  # the same row again clears it
            assert screen.marked is None
            await pilot.press("c")
            await pilot.press("slash")
            assert isinstance(app.focused, Input)
            await pilot.press(*"question:zz", "s", "c", "r", "g")  # text, not table keys
            await wait_until(pilot, lambda: not app.screen.shown, "the filter to hide every row")
            assert screen.query_one("#review-filter", Input).value == "question:zzscrg"
            assert screen.sort_column == "when"
            assert screen.marked is not None  # filtered out of view, still marked...
            assert "escape clears" in text_of(app, "#review-status")
            await pilot.press("escape")  # ...until escape clears it
            assert screen.marked is None
            assert isinstance(app.screen, ReviewScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, (ReviewScreen, AttemptScreen))


async def test_table_and_footer_fit_80_columns() -> None:
    store = Store.open(":memory:")
    for day in (1, 2):
        add_attempt(store, "ml-001", ["hit", "miss", "miss"], f"2026-03-0{day}T09:00:00+00:00")
    app = build_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_open("review")
        await pilot.pause()
        table = app.screen.query_one(AttemptTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width  # no clipping
        assert "Time" in str(table.render_line(0))
        assert app.screen.query_one("#review-status", Static).size.height == 1
        footer = app.screen.query_one(Footer)
        edge = footer.region.right
        shown = {
            (key.key_display, key.description)
            for key in footer.query(FooterKey)
            if key.region.width and key.region.right <= edge
        }
        for key in ("f1", "f2", "^q", "c", "G", "r", "g", "s", "esc"):
            assert key in {k for k, _ in shown}, shown
